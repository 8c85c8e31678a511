"""Parallel transitions on one enquiry: exactly one wins, the others get 409 and write nothing.

Two real set-ups:

* SQLite as ``make run`` uses it (a file in WAL mode, IMMEDIATE write transactions, busy timeout): a real
  threaded server process on a fresh file database, 16 HTTP requests released at once. The in-memory test
  database cannot show this (its shared cache locks tables instead of waiting).
* PostgreSQL (when DATABASE_URL points there): 16 threads, each with its own database connection, call the
  service at once on the test database.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, connections

from cases.intake import enquiry_submit
from cases.models import Enquiry, TransitionLog
from cases.services import enquiry_transition
from core.errors import Conflict
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
PARALLEL = 16

SETUP = """
import json
from rest_framework.authtoken.models import Token
from tests import factories as f
from cases.intake import enquiry_submit
from cases.services import enquiry_transition
topic = f.TopicFactory(slug="mobilitaet")
muni = f.MunicipalityFactory(ags="09461000")
partner = f.PartnerFactory(short_name="DIFU")
coordinator = f.UserFactory(username="koordination", role="coordinator")
staff = f.UserFactory(username="difu", role="partner", partner=partner)
ids = []
for subject in ("Erste Frage", "Eine ganz andere zweite Frage"):
    e = enquiry_submit(municipality_ags="09461000", contact_name="A", contact_email="a@b.example",
        subject=subject, message="M", topic_slugs=["mobilitaet"], support_type="information", consent=True)
    e = enquiry_transition(enquiry=e, name="triage", by=coordinator)
    e = enquiry_transition(enquiry=e, name="assign", by=coordinator, payload={"partner": partner.pk})
    ids.append(e.pk)
print(json.dumps({"id": ids[0], "id2": ids[1], "partner": Token.objects.create(user=staff).key,
    "coordinator": Token.objects.create(user=coordinator).key}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    """A threaded server process on a fresh SQLite file (WAL, IMMEDIATE, busy timeout, as `make run` has it),
    with two assigned enquiries: one per race test."""
    tmp_path = tmp_path_factory.mktemp("race")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "KTS_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--run-syncdb", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    try:
        yield base, data, env
    finally:
        server.terminate()
        server.wait(timeout=10)


def _post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as err:
        return err.code


def _release_at_once(work, n: int = PARALLEL) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.slow
def test_sixteen_parallel_accepts_on_sqlite_one_wins_fifteen_conflict(sqlite_server):
    """GIVEN an assigned enquiry on a SQLite file served by a threaded server
    WHEN 16 requests accept it at the same moment
    THEN one gets 200, fifteen get 409, none 500, and the log holds one accept."""
    base, data, env = sqlite_server
    url = f"{base}/api/v1/enquiries/{data['id']}/transitions/accept/"
    codes = _release_at_once(lambda i: _post(url, data["partner"], {"comment": f"Versuch {i}"}))
    assert Counter(codes) == {200: 1, 409: PARALLEL - 1}
    check = (
        "from cases.models import TransitionLog;"
        f"print(TransitionLog.objects.filter(enquiry_id={data['id']}, transition='accept').count())"
    )
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", check],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "1"


@pytest.mark.slow
def test_parallel_accepts_and_declines_on_sqlite_one_wins(sqlite_server):
    """GIVEN an assigned enquiry WHEN the partner sends 8 accepts and 8 declines at the same moment
    THEN exactly one of them succeeds; the others get 409, also when they read the state only after the
    other transition committed (or 404 once a decline has won: the case is no longer the partner's); never
    400 and never 500."""
    base, data, _env = sqlite_server
    requests = [("accept", {}), ("decline", {"reason": "keine Zeit"})]

    def work(i: int) -> int:
        name, body = requests[i % 2]
        return _post(f"{base}/api/v1/enquiries/{data['id2']}/transitions/{name}/", data["partner"], body)

    results = _release_at_once(work)
    codes = Counter(results)
    assert codes[200] == 1
    declined = results.index(200) % 2 == 1
    assert set(codes) <= ({200, 404, 409} if declined else {200, 409})


@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_service_calls_on_postgresql_one_wins(coordinator, partner, partner_user):
    """GIVEN an assigned enquiry in PostgreSQL WHEN 16 threads with their own connections accept it at once
    THEN exactly one wins, the others get Conflict, and the log holds one accept."""
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL); the SQLite race is the server-process test above")
    f.TopicFactory(slug="mobilitaet")
    muni = f.MunicipalityFactory(ags="09461000")
    e = enquiry_submit(
        municipality_ags=muni.ags,
        contact_name="A",
        contact_email="a@b.example",
        subject="S",
        message="M",
        topic_slugs=["mobilitaet"],
        support_type="information",
        consent=True,
    )
    e = enquiry_transition(enquiry=e, name="triage", by=coordinator)
    e = enquiry_transition(enquiry=e, name="assign", by=coordinator, payload={"partner": partner.pk})

    # everybody reads the enquiry before anybody writes: the barrier sits after the read
    barrier = threading.Barrier(PARALLEL)
    results: list = [None] * PARALLEL

    def run(i: int) -> None:
        try:
            stale = Enquiry.objects.get(pk=e.pk)
            barrier.wait()
            enquiry_transition(enquiry=stale, name="accept", by=partner_user, payload={"comment": str(i)})
            results[i] = "won"
        except Conflict:
            results[i] = "conflict"
        except Exception as exc:
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert Counter(results) == {"won": 1, "conflict": PARALLEL - 1}
    assert TransitionLog.objects.filter(enquiry=e, transition="accept").count() == 1
    assert Enquiry.objects.get(pk=e.pk).state == "in_progress"


def _submit_json(base: str, n: int) -> tuple[int, dict]:
    body = {
        "municipality": "09461000",
        "contact_name": f"Person {n}",
        "contact_email": f"p{n}@gemeinde.example",
        "subject": f"Frage Nummer {n} zu einem eigenen Thema {n * 'x'}",
        "message": "Wie geht das?",
        "topics": ["mobilitaet"],
        "support_type": "information",
        "consent": True,
    }
    request = urllib.request.Request(
        f"{base}/api/v1/enquiries/",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, {}


@pytest.mark.slow
def test_sixteen_parallel_submissions_on_sqlite_get_distinct_references(sqlite_server):
    """GIVEN the SQLite file server WHEN 16 submissions arrive at once
    THEN all are stored, each with its own reference, numbered without duplicates."""
    base, _data, _env = sqlite_server
    results = _release_at_once(lambda i: _submit_json(base, i))
    assert [code for code, _ in results] == [201] * PARALLEL
    references = {body["reference"] for _, body in results}
    assert len(references) == PARALLEL
    numbers = sorted(int(r[-6:]) for r in references)
    assert numbers == list(range(numbers[0], numbers[0] + PARALLEL))


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_on_postgresql_get_distinct_references():
    """GIVEN PostgreSQL WHEN 16 threads submit at once THEN 16 enquiries with 16 distinct references."""
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL); the SQLite variant is the server-process test above")
    f.TopicFactory(slug="mobilitaet")
    f.MunicipalityFactory(ags="09461000")
    barrier = threading.Barrier(PARALLEL)
    results: list = [None] * PARALLEL

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = enquiry_submit(
                municipality_ags="09461000",
                contact_name="A",
                contact_email=f"p{i}@b.example",
                subject=f"Frage {i} {'y' * i}",
                message="M",
                topic_slugs=["mobilitaet"],
                support_type="information",
                consent=True,
            ).reference
        except Exception as exc:
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r and r.startswith("KTS-") for r in results), results
    assert len(set(results)) == PARALLEL
    assert Enquiry.objects.count() == PARALLEL

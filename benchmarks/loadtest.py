"""`make loadtest`: the public submission (POST /api/v1/enquiries/) under load, beside a floor on the same stack.

    .venv/bin/python -m benchmarks.loadtest [--cases N] [--duration 20] [--levels 4,8,16] [--fresh]

1. the database of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kts_loadtest) is created when
   missing, migrated, given the catalogue and, with ``--cases N``, N synthetic cases (generate_load_data);
   all of it is reused by the next run. ``--fresh`` drops this one database first, nothing else;
2. gunicorn starts with 2 sync workers on a free port (settings: benchmarks.settings_loadtest, production plus
   the floor route), with Redis at REDIS_URL (default redis://127.0.0.1:6379/9) and the submit throttle raised;
3. wrk (Debian's, installed when missing and running as root) runs benchmarks/loadtest.lua at each level
   (2 threads), first against the submission, then against the floor (benchmarks.urls_loadtest);
4. every 201 must be an enquiry with its confirmation in the outbox (no Celery worker runs, so the
   confirmations stay queued: exactly what is counted); the table gives req/s, p50, p99, errors and the ratio.

gunicorn is stopped at the end, also on errors and Ctrl-C. The machine's PostgreSQL and Redis configuration
is never touched; only the own database and the own Redis db are written.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kts_loadtest"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "loadtest.lua"
SUBMIT_PATH = "/api/v1/enquiries/"
FLOOR_PATH = "/loadtest-floor/"


def _ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is missing: sudo apt-get install -y wrk")
    print("installing wrk (apt-get install -y wrk)")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)  # noqa: S607
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def _ensure_database(url: str, *, fresh: bool) -> None:
    """Creates the database of ``url`` when missing; with ``fresh`` drops it first (only this one)."""
    import psycopg
    from psycopg import sql

    from settings.env import parse_database_url

    config = parse_database_url(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("the load test needs PostgreSQL (gunicorn's workers write concurrently)")
    name = config["NAME"]
    maintenance = psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )
    with maintenance:
        exists = maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            print(f"dropping database {name} (--fresh)")
            maintenance.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            print(f"creating database {name}")
            maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _prepare(cases: int) -> None:
    """Migrations, catalogue, synthetic cases and the floor table, each skipped when already there."""
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.urls_loadtest import FLOOR_TABLE
    from cases.models import Enquiry
    from catalogue.models import Municipality, Topic

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Municipality.objects.exists() or not Topic.objects.exists():
        print("importing the catalogue (municipalities, model projects)")
        call_command("import_municipalities", stdout=quiet)
        call_command("import_model_projects", stdout=quiet)
    synthetic = Enquiry.objects.filter(is_synthetic=True).count()
    # --cases N means exactly N synthetic cases (another number is generated anew); without it they are kept
    if cases and synthetic != cases:
        if synthetic:
            call_command("generate_load_data", delete=True, stdout=quiet)
        started = time.perf_counter()
        call_command("generate_load_data", enquiries=cases, stdout=quiet)
        print(f"generated {cases:,} synthetic cases in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    # No worker runs here: what one would have done after the earlier runs is done now (their deferred jobs
    # gone, their queued mails sent), so that each run starts from the steady state of a deployment and not
    # from the growing backlog of every run before it.
    from django.utils import timezone

    from ops.models import DeferredJob
    from outbox.models import OutboxMessage

    DeferredJob.objects.all().delete()
    OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ops_deferredjob, outbox_outboxmessage")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} "
            "(id bigserial PRIMARY KEY, name varchar(200) NOT NULL, email varchar(254) NOT NULL, "
            "created_at timestamptz NOT NULL)"
        )


def _catalogue_sample() -> tuple[list[str], list[str]]:
    from catalogue.models import Municipality, Topic

    municipalities = list(
        Municipality.objects.order_by("-population", "ags").values_list("ags", flat=True)[:200]
        if hasattr(Municipality, "population")
        else Municipality.objects.order_by("ags").values_list("ags", flat=True)[:200]
    )
    topics = list(Topic.objects.order_by("slug").values_list("slug", flat=True))
    return municipalities, topics


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_gunicorn(port: int, env: dict[str, str], threads: int = 1) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "settings.wsgi",
            "--workers",
            "2",
            *(["--worker-class", "sync"] if threads <= 1 else ["--worker-class", "gthread", "--threads", str(threads)]),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped as a whole at the end
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{FLOOR_PATH}", timeout=2)
        except OSError:
            time.sleep(0.3)
        else:
            return process
    _stop(process)
    sys.exit("gunicorn did not answer within 60 s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _warm_up(port: int, body: dict) -> None:
    """One submission before measuring: the workers import and connect outside the measured window."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{SUBMIT_PATH}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        if response.status != 201:
            sys.exit(f"warm-up submission answered {response.status}")


def _wrk(wrk: str, port: int, *, kind: str, connections: int, duration: int, env: dict[str, str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    run_env = {
        **env,
        "LOADTEST_KIND": kind,
        "LOADTEST_PATH": SUBMIT_PATH if kind == "submit" else FLOOR_PATH,
        "LOADTEST_TAG": f"{env['LOADTEST_TAG']}-{kind}-{connections}",
        "LOADTEST_OUT": out_path,
    }
    subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [
            wrk,
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{duration}s",
            "--timeout",
            "10s",
            "--script",
            str(LUA),
            f"http://127.0.0.1:{port}",
        ],
        env=run_env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        return json.loads(Path(out_path).read_text())
    finally:
        Path(out_path).unlink(missing_ok=True)


def _figures(result: dict) -> tuple[float, float, float, int, int]:
    """req/s, p50 ms, p99 ms, errors (socket errors and non-201 answers), 201s."""
    created = result["codes"].get("201", 0)
    socket_errors = sum(v for k, v in result["errors"].items() if k != "status")
    errors = socket_errors + sum(v for k, v in result["codes"].items() if k != "201")
    rate = result["requests"] / (result["duration_us"] / 1e6)
    return rate, result["p50_us"] / 1000, result["p99_us"] / 1000, errors, created


def _check(ids: list[int]) -> tuple[int, int]:
    """Of the enquiries whose 201 wrk saw (their ids from the answers): how many are stored, how many have
    their confirmation queued in the outbox."""
    from cases.models import Enquiry
    from outbox.models import OutboxMessage

    stored = confirmed = 0
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        stored += Enquiry.objects.filter(id__in=chunk).count()
        confirmed += (
            OutboxMessage.objects.filter(enquiry_id__in=chunk, template="confirmation")
            .values("enquiry_id")
            .distinct()
            .count()
        )
    return stored, confirmed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loadtest", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--cases", type=int, default=0, help="exactly N synthetic cases stored before the run (kept for the next run)"
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per level (default 20)")
    parser.add_argument("--levels", default="4,8,16", help="concurrent connections, comma-separated")
    parser.add_argument("--fresh", action="store_true", help="drop the load test's own database first")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (default 1: 2 sync workers; N > 1: 2 gthread workers with N threads each, "
        "for ours and the floor alike)",
    )
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.local"  # generate_load_data refuses production settings
    sys.path.insert(0, str(ROOT))
    wrk = _ensure_wrk()
    _ensure_database(database_url, fresh=args.fresh)

    import django

    django.setup()
    from django.db import connection

    _prepare(args.cases)
    municipalities, topics = _catalogue_sample()
    from cases.models import Enquiry

    stored = Enquiry.objects.count()
    connection.close()

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings_loadtest",
        "SECRET_KEY": secrets.token_urlsafe(40),
        # no Celery worker runs: nothing is sent, the confirmations stay queued in the outbox
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SUBMIT_RATE": "1000000/hour",
        "PYTHONWARNINGS": "ignore:No directory at",  # whitenoise: no collectstatic for an API load test
        "LOADTEST_MUNICIPALITIES": ",".join(municipalities),
        "LOADTEST_TOPICS": ",".join(topics),
        "LOADTEST_TAG": secrets.token_hex(4),
    }
    print(
        f"make loadtest: {stored:,} enquiries stored, gunicorn 2 "
        f"{'sync workers' if args.threads <= 1 else f'gthread workers with {args.threads} threads'} on 127.0.0.1:{port}, "
        f"wrk 2 threads, {args.duration} s per level"
    )
    process = _start_gunicorn(port, env, threads=args.threads)
    rows = []
    try:
        _warm_up(
            port,
            {
                "municipality": municipalities[0],
                "contact_name": "Aufwärmen",
                "contact_email": f"warmup-{env['LOADTEST_TAG']}@loadtest.invalid",
                "subject": "Aufwärmen",
                "message": "Eine Anfrage vor der Messung.",
                "topics": topics[:1],
                "support_type": "contact",
                "consent": True,
            },
        )
        # both workers warm (imports, connections, first queries) before anything is measured
        for kind in ("submit", "floor"):
            _wrk(wrk, port, kind=kind, connections=4, duration=2, env=env)
        ids: list[int] = []
        for connections in levels:
            ours = _wrk(wrk, port, kind="submit", connections=connections, duration=args.duration, env=env)
            floor = _wrk(wrk, port, kind="floor", connections=connections, duration=args.duration, env=env)
            rows.append((connections, _figures(ours), _figures(floor)))
            ids += [int(i) for i in ours["ids"]]
    finally:
        _stop(process)
    submitted = sum(row[1][4] for row in rows)
    enquiries, confirmations = _check(ids)

    print()
    print(
        "| clients | submission req/s | p50 ms | p99 ms | errors | floor req/s | p50 ms | p99 ms | errors | us/floor |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for connections, (rate, p50, p99, errors, _), (f_rate, f_p50, f_p99, f_errors, _) in rows:
        print(
            f"| {connections} | {rate:,.1f} | {p50:,.0f} | {p99:,.0f} | {errors} | {f_rate:,.1f} | {f_p50:,.0f} "
            f"| {f_p99:,.0f} | {f_errors} | {rate / f_rate:.3f} |"
        )
    print()
    print(
        f"201s counted by wrk: {submitted:,} ({len(ids):,} ids read from their answers); of these stored as "
        f"enquiries: {enquiries:,}; with their confirmation queued in the outbox: {confirmations:,}; "
        f"lost: {len(ids) - min(enquiries, confirmations)}"
    )
    ok = len(ids) == submitted == enquiries == confirmations
    if not ok:
        print("FAILED: every 201 must be an enquiry with its confirmation queued")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

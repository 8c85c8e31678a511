"""The case lists at scale: the staff API ``GET /api/v1/enquiries/`` and the workspace list ``/intern/faelle/``,
first, middle and last page, cursor pages, ``?topic=`` and ``?q=``, each as a coordinator's full request
(median ms, queries) next to its raw-SQL floor measured in the same run: the minimal SQL that returns the same 50
rows plus the count the page shows, through ``connection.cursor()``, json-encoded. The target: every figure at
most 3x its floor at 1,000,000 cases. Beside it the stack floor: the same SQL through a minimal view on the same
stack (``benchmarks.urls_lists``: middleware, session or API authentication, the staff check), so that what our
code adds shows apart from what any signed-in request costs. Request and floors run alternately.

A per-size module (``make bench`` runs it once per size): it reads KTS_BENCH_SIZE, uses the configured database
as it is (``kts_bench_<size>``, prepared by ``benchmarks.data``) and changes no enquiry:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kts_bench_1000000 KTS_BENCH_SIZE=1000000 \\
        .venv/bin/python -m benchmarks.lists

KTS_BENCH_REPEAT sets the runs per figure (default 15), each request alternating with its floor. On SQLite it prints a note and stops.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import django

PAGE = 50


def _interleaved(
    request: Callable[[], Any], floors: list[Callable[[], Any]], repeat: int
) -> tuple[float, int, list[float]]:
    """The medians (ms) of the request and of each floor, run alternately, so that a busy moment of a shared
    machine falls on all alike; with the request's query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for fn in (request, *floors):  # warm: caches, the plan of a first query
        fn()
    times: list[float] = []
    floor_times: list[list[float]] = [[] for _ in floors]
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            request()
            times.append(time.perf_counter() - started)
        queries = len(captured)
        for fn, spent in zip(floors, floor_times, strict=True):
            started = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, queries, [statistics.median(spent) * 1000 for spent in floor_times]


def _sql(statements: list[tuple[str, list[Any]]]) -> Callable[[], str]:
    """The floor: the statements run through one cursor, every row fetched and json-encoded."""
    from django.db import connection

    def run() -> str:
        out = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                out.append(cursor.fetchall())
        return json.dumps(out, default=str)

    return run


def _tables() -> dict[str, str]:
    from django.contrib.auth import get_user_model

    from cases.models import Enquiry
    from catalogue.models import ConsortiumPartner, Measure, ModelProject, Municipality, Topic

    return {
        "e": Enquiry._meta.db_table,
        "et": Enquiry.topics.through._meta.db_table,
        "t": Topic._meta.db_table,
        "m": Municipality._meta.db_table,
        "p": ConsortiumPartner._meta.db_table,
        "u": get_user_model()._meta.db_table,
        "me": Measure._meta.db_table,
        "mp": ModelProject._meta.db_table,
    }


def _api_rows(ids_sql: str, order: str) -> str:
    """What the API's serializer shows of the 50 rows whose ids ``ids_sql`` selects, in ``order``."""
    t = _tables()
    return f"""
        SELECT e.id, e.reference, e.state, e.funded, e.contact_name, e.contact_email, e.contact_phone,
            e.contact_role, e.subject, e.message, e.topics_auto, e.support_type, e.channel, e.priority,
            e.close_reason, e.duplicate_of_id, e.created_at, e.updated_at, e.first_response_at, e.assigned_at,
            e.resolved_at, e.closed_at, e.first_response_due, e.assignment_due, e.resolution_due, e.escalated_at,
            m.ags, m.name, m.kind, m.bundesland, p.id, p.short_name, p.name, u.id, u.username, me.id, me.title,
            mp.id, mp.name,
            ARRAY(SELECT tt.slug FROM {t["et"]} x JOIN {t["t"]} tt ON tt.id = x.topic_id
                  WHERE x.enquiry_id = e.id ORDER BY tt.slug)
        FROM {t["e"]} e
        JOIN {t["m"]} m ON m.id = e.municipality_id
        LEFT JOIN {t["p"]} p ON p.id = e.assigned_partner_id
        LEFT JOIN {t["u"]} u ON u.id = e.assigned_user_id
        LEFT JOIN {t["me"]} me ON me.id = e.measure_id
        LEFT JOIN {t["mp"]} mp ON mp.id = me.model_project_id
        WHERE e.id IN ({ids_sql})
        ORDER BY {order}
    """  # noqa: S608


def _workspace_rows(ids_sql: str, order: str) -> str:
    """What a row of the workspace list shows of the 50 cases whose ids ``ids_sql`` selects, in ``order``."""
    t = _tables()
    return f"""
        SELECT e.id, e.reference, e.subject, e.state, e.escalated_at, e.priority, e.next_due,
            e.first_response_due, e.assignment_due, e.resolution_due, e.first_response_at, e.assigned_at,
            e.paused_at, m.short_name, p.short_name, u.username, u.first_name, u.last_name
        FROM {t["e"]} e
        JOIN {t["m"]} m ON m.id = e.municipality_id
        LEFT JOIN {t["p"]} p ON p.id = e.assigned_partner_id
        LEFT JOIN {t["u"]} u ON u.id = e.assigned_user_id
        WHERE e.id IN ({ids_sql})
        ORDER BY {order}
    """  # noqa: S608


def _cursor_token(values: list[Any], names: list[str]) -> str:
    import base64

    payload = {"o": names, "v": [v.isoformat() if hasattr(v, "isoformat") else v for v in values], "d": "n"}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def _line(label: str, ms: float, queries: int, floor: float, stack: float) -> None:
    print(
        f"  {label:<34} {ms:7.1f} ms {queries:2d} q   floor {floor:6.1f} ms x{ms / floor:5.2f}"
        f"   stack floor {stack:6.1f} ms x{ms / stack:5.2f}",
        flush=True,
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from rest_framework.test import APIClient

    from api.pagination import EnquiryPagination
    from catalogue.models import Topic

    if connection.vendor != "postgresql":
        print("benchmarks.lists: DATABASE_URL is not PostgreSQL; nothing measured.")
        return
    size = int(os.environ.get("KTS_BENCH_SIZE", "100000"))
    repeat = int(os.environ.get("KTS_BENCH_REPEAT", "15"))
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "benchmarks.urls_lists"  # the project's routes and the stack floors
    from benchmarks import urls_lists

    user, _ = get_user_model().objects.get_or_create(username="bench-koordination")
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    api = APIClient()
    api.force_authenticate(user=user)
    web = Client()
    web.force_login(user)
    t = _tables()
    cap = EnquiryPagination.COUNT_EXACT_UP_TO

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {t['e']}")  # noqa: S608
        total = cursor.fetchone()[0]
        # the topic with the most cases: the slowest ?topic=
        cursor.execute(
            f"SELECT topic_id, count(*) FROM {t['et']} GROUP BY topic_id ORDER BY 2 DESC LIMIT 1"  # noqa: S608
        )
        topic_id, _tagged = cursor.fetchone()
        middle = (total // PAGE // 2) * PAGE
        cursor.execute(
            f"SELECT created_at, id FROM {t['e']} ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",  # noqa: S608
            [middle - 1],
        )
        deep_created, deep_id = cursor.fetchone()
        cursor.execute(
            f"SELECT next_due, id FROM {t['e']} ORDER BY next_due ASC NULLS LAST, id ASC OFFSET %s LIMIT 1",  # noqa: S608
            [middle - 1],
        )
        deep_due, deep_due_id = cursor.fetchone()
    topic = Topic.objects.get(pk=topic_id).slug
    pages = -(-total // PAGE)
    last_rows = total - (pages - 1) * PAGE
    print(
        f"benchmarks.lists: {size:,} (table: {total:,} enquiries), median of {repeat} runs, 50 per page, "
        f"?topic={topic}",
        flush=True,
    )

    def api_get(url: str) -> Callable[[], Any]:
        def run() -> Any:
            answer = api.get(url)
            assert answer.status_code == 200, (url, answer.status_code, answer.content[:300])
            return answer.content

        return run

    def web_get(url: str) -> Callable[[], Any]:
        def run() -> Any:
            answer = web.get(url)
            assert answer.status_code == 200, (url, answer.status_code)
            return answer.content

        return run

    count_all = (f"SELECT count(*) FROM {t['e']}", [])  # noqa: S608
    newest = "e.created_at DESC, e.id DESC"
    ids_newest = f"SELECT id FROM {t['e']} ORDER BY created_at DESC, id DESC"  # noqa: S608
    bounded = (f"SELECT count(*) FROM (SELECT id FROM {t['e']} LIMIT {cap + 1}) x", [])  # noqa: S608
    estimate = (f"EXPLAIN (FORMAT JSON) SELECT id FROM {t['e']}", [])  # noqa: S608
    tagged = f"EXISTS (SELECT 1 FROM {t['et']} x WHERE x.enquiry_id = {{e}}.id AND x.topic_id = %s)"  # noqa: S608
    search = "{e}.search_vector @@ plainto_tsquery('german', %s)"

    def api_search_floor(word: str) -> Callable[[], str]:
        where = search.format(e="s")
        ids = f"SELECT id FROM {t['e']} s WHERE {where} ORDER BY created_at DESC, id DESC LIMIT {PAGE}"  # noqa: S608
        counted = (f"SELECT count(*) FROM {t['e']} s WHERE {where}", [word])  # noqa: S608
        return _sql([(_api_rows(ids, newest), [word]), counted])

    cursor_token = _cursor_token([deep_created, deep_id], ["-created_at", "-id"])
    figures: list[tuple[str, Callable[[], Any], Callable[[], str]]] = [
        (
            "API page 1",
            api_get("/api/v1/enquiries/"),
            _sql([(_api_rows(f"{ids_newest} LIMIT {PAGE}", newest), []), count_all]),
        ),
        (
            f"API page {pages // 2 + 1:,} (middle)",
            api_get(f"/api/v1/enquiries/?page={pages // 2 + 1}"),
            _sql([(_api_rows(f"{ids_newest} OFFSET {(pages // 2) * PAGE} LIMIT {PAGE}", newest), []), count_all]),
        ),
        (
            f"API page {pages:,} (last)",
            api_get(f"/api/v1/enquiries/?page={pages}"),
            _sql(
                [
                    (
                        _api_rows(
                            f"SELECT id FROM {t['e']} ORDER BY created_at, id LIMIT {last_rows}",  # noqa: S608
                            newest,
                        ),
                        [],
                    ),
                    count_all,
                ]
            ),
        ),
        (
            "API cursor, first page",
            api_get("/api/v1/enquiries/?cursor="),
            _sql([(_api_rows(f"{ids_newest} LIMIT {PAGE}", newest), []), bounded, estimate]),
        ),
        (
            "API cursor, middle",
            api_get(f"/api/v1/enquiries/?cursor={cursor_token}"),
            _sql(
                [
                    (
                        _api_rows(
                            f"SELECT id FROM {t['e']} WHERE (created_at, id) < (%s, %s) "  # noqa: S608
                            f"ORDER BY created_at DESC, id DESC LIMIT {PAGE}",
                            newest,
                        ),
                        [deep_created, deep_id],
                    ),
                    bounded,
                    estimate,
                ]
            ),
        ),
        (
            f"API ?topic={topic}",
            api_get(f"/api/v1/enquiries/?topic={topic}"),
            _sql(
                [
                    (
                        _api_rows(
                            f"SELECT id FROM {t['e']} s WHERE {tagged.format(e='s')} "  # noqa: S608
                            f"ORDER BY created_at DESC, id DESC LIMIT {PAGE}",
                            newest,
                        ),
                        [topic_id],
                    ),
                    (f"SELECT count(*) FROM {t['et']} WHERE topic_id = %s", [topic_id]),  # noqa: S608
                ]
            ),
        ),
        ("API ?q=Stichwort123", api_get("/api/v1/enquiries/?q=Stichwort123"), api_search_floor("Stichwort123")),
        ("API ?q=Lastdaten", api_get("/api/v1/enquiries/?q=Lastdaten"), api_search_floor("Lastdaten")),
    ]

    # the workspace: ordered by the next deadline (NULL last), no count shown
    due = "e.next_due ASC NULLS LAST, e.id ASC"
    ids_due = f"SELECT id FROM {t['e']} s ORDER BY next_due ASC NULLS LAST, id ASC"  # noqa: S608
    due_cursor = f"{deep_due.isoformat() if deep_due else '~'}_{deep_due_id}"

    def web_search_floor(word: str) -> Callable[[], str]:
        # the newest 2,000 matches ranked, the best 50 shown (cases.search.enquiries_search)
        where = search.format(e="s")
        ranked = f"""
            SELECT s.id FROM {t["e"]} s WHERE s.id IN (
                SELECT id FROM {t["e"]} s WHERE {where} ORDER BY id DESC LIMIT 2000)
            ORDER BY ts_rank(s.search_vector, plainto_tsquery('german', %s)) DESC, s.next_due ASC NULLS LAST,
                s.id ASC LIMIT {PAGE + 1}
        """  # noqa: S608
        return _sql([(_workspace_rows(ranked, due), [word, word])])

    figures += [
        (
            "workspace page 1",
            web_get("/intern/faelle/"),
            _sql([(_workspace_rows(f"{ids_due} LIMIT {PAGE + 1}", due), [])]),
        ),
        (
            f"workspace ?page={pages // 2 + 1:,} (middle)",
            web_get(f"/intern/faelle/?page={pages // 2 + 1}"),
            _sql([(_workspace_rows(f"{ids_due} OFFSET {(pages // 2) * PAGE} LIMIT {PAGE + 1}", due), [])]),
        ),
        (
            "workspace ?last=1",
            web_get("/intern/faelle/?last=1"),
            _sql(
                [
                    (
                        _workspace_rows(
                            f"SELECT id FROM {t['e']} ORDER BY next_due DESC NULLS FIRST, id DESC "  # noqa: S608
                            f"LIMIT {PAGE + 1}",
                            due,
                        ),
                        [],
                    )
                ]
            ),
        ),
        (
            "workspace cursor, middle",
            web_get(f"/intern/faelle/?after={due_cursor}"),
            _sql(
                [
                    (
                        _workspace_rows(
                            f"SELECT id FROM {t['e']} WHERE (next_due, id) > (%s, %s) OR next_due IS NULL "  # noqa: S608
                            f"ORDER BY next_due ASC NULLS LAST, id ASC LIMIT {PAGE + 1}"
                            if deep_due
                            else f"SELECT id FROM {t['e']} WHERE next_due IS NULL AND id > %s "  # noqa: S608
                            f"ORDER BY id LIMIT {PAGE + 1}",
                            due,
                        ),
                        [deep_due, deep_due_id] if deep_due else [deep_due_id],
                    )
                ]
            ),
        ),
        (
            f"workspace ?topic={topic}",
            web_get(f"/intern/faelle/?topic={topic}"),
            _sql(
                [
                    (
                        _workspace_rows(
                            f"{ids_due.replace(' ORDER', ' WHERE ' + tagged.format(e='s') + ' ORDER')} "
                            f"LIMIT {PAGE + 1}",
                            due,
                        ),
                        [topic_id],
                    )
                ]
            ),
        ),
        ("workspace ?q=Stichwort123", web_get("/intern/faelle/?q=Stichwort123"), web_search_floor("Stichwort123")),
        ("workspace ?q=Lastdaten", web_get("/intern/faelle/?q=Lastdaten"), web_search_floor("Lastdaten")),
    ]
    worst = worst_stack = 0.0
    for number, (label, request, floor) in enumerate(figures):
        # the same SQL through a minimal view on the same stack (benchmarks.urls_lists)
        urls_lists.FLOORS[number] = floor
        door = "api" if label.startswith("API") else "web"
        stack = (api_get if door == "api" else web_get)(f"/bench-floor/{door}/{number}/")
        ms, queries, (floor_ms, stack_ms) = _interleaved(request, [floor, stack], repeat)
        worst, worst_stack = max(worst, ms / floor_ms), max(worst_stack, ms / stack_ms)
        _line(label, ms, queries, floor_ms, stack_ms)
    print(f"  worst ratio to its floor: x{worst:.2f} (target: at most x3)", flush=True)
    print(f"  worst ratio to its stack floor: x{worst_stack:.2f}", flush=True)


if __name__ == "__main__":
    main()

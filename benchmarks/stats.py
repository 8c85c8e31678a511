"""Statistics at scale (per size): the summary and each breakdown as a manager's full API request (view,
filters, selectors, JSON), median ms and query count, each beside its raw-SQL floor: the one GROUP BY over the
fact table that gives the same figures (counts per state and outcome, escalations, distinct municipalities,
survey means, the three medians and 90th percentiles), run in the same process, and the ratio.

Run by ``make bench`` once per size against ``kts_bench_<size>`` (built by ``benchmarks.data``), or directly:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kts_bench_1000000 KTS_BENCH_SIZE=1000000 \\
        .venv/bin/python -m benchmarks.stats

It reads the configured database as it is (KTS_BENCH_SIZE only names the size in the output). Without
KTS_BENCH_SIZE on SQLite it generates a few thousand synthetic enquiries into the configured database and
removes them again. KTS_BENCH_REPEAT sets the runs per figure (the median is printed). Target: every figure
under 1 s at 1,000,000 enquiries on PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import time

import django

SQLITE_SIZE = 3_000
PERIOD_FROM = "2020-01-01"


def _median(fn, repeat: int, floor=None) -> tuple[float, int, float | None]:
    """The median seconds of ``fn`` and its query count; with a ``floor``, its median too, the two run alternately
    (a busy moment of a shared machine falls on both alike)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, floors, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries = len(captured)
        if floor is not None:
            started = time.perf_counter()
            floor()
            floors.append(time.perf_counter() - started)
    return statistics.median(times), queries, statistics.median(floors) if floors else None


def _manager():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(username="bench-leitung")
    user.groups.add(Group.objects.get_or_create(name="manager")[0])
    return get_user_model().objects.get(pk=user.pk)


def _floor_sql(dimension: str | None) -> tuple[str, list]:
    """The plain query that gives a figure's numbers in one pass over the fact table (no index tricks)."""
    from cases.models import OPEN_STATES, SUCCESSFUL_OUTCOMES
    from matching.models import Introduction
    from stats.models import EnquiryStats, EnquiryTopicStats

    table = EnquiryStats._meta.db_table
    key = {
        None: None,
        "topic": "topic_id",
        "bundesland": "bundesland",
        "size_class": "size_class",
        "partner": "partner_id",
        "channel": "channel",
        "month": "month",
    }
    if dimension == "topic":
        table = EnquiryTopicStats._meta.db_table
    open_in = ", ".join(["%s"] * len(OPEN_STATES))
    success_in = ", ".join(["%s"] * len(SUCCESSFUL_OUTCOMES))
    figures = [
        "COUNT(*)",
        f"COUNT(*) FILTER (WHERE state IN ({open_in}))",
        "COUNT(*) FILTER (WHERE outcome <> '')",
        f"COUNT(*) FILTER (WHERE outcome IN ({success_in}))",
        "COUNT(*) FILTER (WHERE flags & 1 = 1)",
        "COUNT(DISTINCT municipality_id)",
        "AVG(satisfaction_score)",
        *(
            f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {name}_seconds)"
            for name in ("first_response", "assignment", "resolution")
        ),
    ]
    params: list = [*OPEN_STATES, *SUCCESSFUL_OUTCOMES, f"{PERIOD_FROM}T00:00:00Z"]
    where = "WHERE created_at >= %s"
    if dimension == "model_project":
        introductions = Introduction._meta.db_table
        sql = (
            "SELECT i.model_project_id, COUNT(*), COUNT(*) FILTER (WHERE i.state = 'completed') "  # noqa: S608
            f"FROM {introductions} i JOIN {table} s ON s.enquiry_id = i.enquiry_id WHERE s.created_at >= %s GROUP BY 1"
        )
        return sql, [f"{PERIOD_FROM}T00:00:00Z"]
    column = key[dimension]
    select = ", ".join(figures if column is None else [column, *figures])
    group = "" if column is None else " GROUP BY 1"
    return f"SELECT {select} FROM {table} {where}{group}", params  # noqa: S608 (fixed names)


def _floor(dimension: str | None):
    from django.db import connection, transaction

    sql, params = _floor_sql(dimension)

    def run() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # the settings the selectors use for their analytic queries
                cursor.execute("SET LOCAL work_mem = '128MB'; SET LOCAL jit = off")
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def _sqlite_load() -> bool:
    """SQLite without KTS_BENCH_SIZE: a few thousand synthetic enquiries, unless there are some already."""
    from django.core.management import call_command

    from cases.models import Enquiry

    if Enquiry.objects.filter(is_synthetic=True).exists():
        return False
    call_command("generate_load_data", enquiries=SQLITE_SIZE, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return True


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from rest_framework.test import APIClient

    from stats.models import EnquiryStats
    from stats.selectors import DIMENSIONS

    repeat = int(os.environ.get("KTS_BENCH_REPEAT", "5"))
    generated = False
    if not os.environ.get("KTS_BENCH_SIZE") and connection.vendor == "sqlite":
        generated = _sqlite_load()
    size = EnquiryStats.objects.count()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = APIClient()
    client.force_authenticate(_manager())
    params = {"from": PERIOD_FROM}
    figures: list[tuple[str, str, str | None]] = [("summary", "/api/v1/stats/summary/", None)]
    figures += [(f"by {d}", f"/api/v1/stats/by/{d}/", d) for d in DIMENSIONS]
    postgres = connection.vendor == "postgresql"
    print(f"benchmarks.stats: {size:,} enquiries ({connection.vendor}), from {PERIOD_FROM}, median of {repeat} runs")
    try:
        for label, url, dimension in figures:

            def request(url: str = url) -> None:
                response = client.get(url, params)
                assert response.status_code == 200, (url, response.status_code)

            floor_sql = _floor(None if label == "summary" else dimension) if postgres else None
            seconds, queries, floor = _median(request, repeat, floor_sql)
            line = f"  {label:<18} {seconds * 1000:7.0f} ms  {queries:3d} queries"
            if floor is not None:
                line += f"   floor {floor * 1000:6.0f} ms  ratio {seconds / floor:4.2f}"
            print(line, flush=True)
    finally:
        if generated:
            from django.core.management import call_command

            call_command("generate_load_data", delete=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
            print("benchmarks.stats: the synthetic enquiries of this run were removed again")


if __name__ == "__main__":
    main()

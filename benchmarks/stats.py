"""Statistics at scale: the summary and each breakdown over 100,000 and 1,000,000 synthetic enquiries, and the
staff case list (first page, 50 per page) at the same sizes, each with its query count.

Run against a dedicated PostgreSQL database (the load data are generated into it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kts_bench .venv/bin/python -m benchmarks benchmarks.stats

On SQLite it prints a note and runs a small size. KTS_BENCH_STATS_SIZES=100000,1000000 overrides the sizes,
KTS_BENCH_REPEAT the number of runs per figure (the median is printed).
"""

from __future__ import annotations

import os
import statistics
import time

import django


def _median_run(fn, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries


def _ensure_load(size: int) -> bool:
    """Bring the synthetic enquiries up to ``size``; False when the database holds more (a smaller size would
    mean deleting and regenerating them, which takes a quarter of an hour at a million: only with
    KTS_BENCH_REGENERATE=1)."""
    from django.core.management import call_command

    from cases.models import Enquiry

    present = Enquiry.objects.filter(is_synthetic=True).count()
    if present > size:
        if os.environ.get("KTS_BENCH_REGENERATE") != "1":
            print(
                f"benchmarks.stats: {size:,} skipped: the database holds {present:,} synthetic enquiries "
                "(KTS_BENCH_REGENERATE=1 deletes and regenerates them)"
            )
            return False
        call_command("generate_load_data", delete=True)
        present = 0
    if present < size:
        started = time.perf_counter()
        call_command("generate_load_data", enquiries=size - present)
        print(f"  load data: {size - present} enquiries generated in {time.perf_counter() - started:.0f} s")
    if django.db.connection.vendor == "postgresql":
        with django.db.connection.cursor() as cursor:
            # planner statistics and the visibility map (index-only percentile walks) as after autovacuum
            cursor.execute("VACUUM ANALYZE")
    return True


def _manager():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(username="bench-leitung")
    user.groups.add(Group.objects.get_or_create(name="manager")[0])
    return get_user_model().objects.get(pk=user.pk)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    django.setup()
    from django.db import connection
    from rest_framework.test import APIRequestFactory, force_authenticate

    from api.views.enquiries import EnquiryListCreateView
    from stats.filters import stats_filters_parse
    from stats.selectors import DIMENSIONS, stats_breakdown, stats_summary

    repeat = int(os.environ.get("KTS_BENCH_REPEAT", "5"))
    if connection.vendor == "postgresql":
        sizes = [100_000, 1_000_000]
    else:
        print("benchmarks.stats: DATABASE_URL is not PostgreSQL; running 5,000 enquiries on SQLite only.")
        sizes = [5_000]
    if os.environ.get("KTS_BENCH_STATS_SIZES"):
        sizes = [int(s) for s in os.environ["KTS_BENCH_STATS_SIZES"].split(",")]

    manager = _manager()
    list_view = EnquiryListCreateView.as_view()
    factory = APIRequestFactory()

    def case_list():
        request = factory.get("/api/v1/enquiries/", {"page_size": 50}, HTTP_HOST="127.0.0.1")
        force_authenticate(request, user=manager)
        response = list_view(request)
        assert response.status_code == 200, response.status_code
        response.render()

    from cases.models import Enquiry

    synthetic_before = Enquiry.objects.filter(is_synthetic=True).exists()
    for size in sizes:
        if not _ensure_load(size):
            continue
        # the whole two years of load data: the heaviest period the dashboard asks for
        filters = stats_filters_parse(params={"from": "2020-01-01"})
        print(f"benchmarks.stats: {size:,} synthetic enquiries ({connection.vendor}), median of {repeat} runs")
        seconds, queries = _median_run(lambda f=filters: stats_summary(filters=f), repeat)
        print(f"  summary                 {seconds * 1000:8.0f} ms  {queries:3d} queries")
        for dimension in DIMENSIONS:
            seconds, queries = _median_run(
                lambda d=dimension, f=filters: stats_breakdown(filters=f, dimension=d), repeat
            )
            print(f"  by {dimension:<20} {seconds * 1000:8.0f} ms  {queries:3d} queries")
        seconds, queries = _median_run(case_list, repeat)
        print(f"  case list (50/page)     {seconds * 1000:8.0f} ms  {queries:3d} queries")
    if connection.vendor == "sqlite" and not synthetic_before:
        # the default SQLite database is the demo of `make run`: leave it as it was
        from django.core.management import call_command

        call_command("generate_load_data", delete=True)
        print("benchmarks.stats: the synthetic enquiries of this run were removed again")


if __name__ == "__main__":
    main()

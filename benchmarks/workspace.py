"""The staff workspace at scale: the case list (first page, last page, ``?q=``, ``?topic=``, a queue), the landing
and the case page, each as a coordinator's full request (middleware, view, template), median ms and queries.

Runs in a throwaway test database of the configured one (SQLite: in memory; PostgreSQL: ``test_<name>``,
dropped afterwards), so neither the demo data of ``make run`` nor another benchmark's database is touched:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kts_a .venv/bin/python -m benchmarks.workspace 1000000

The size is the first argument or KTS_BENCH_WORKSPACE_SIZE (default 100,000 on PostgreSQL, 20,000 on SQLite);
KTS_BENCH_REPEAT the runs per figure. The target: under 150 ms at 1,000,000 enquiries on PostgreSQL.
The load generator writes one text for every case, so the benchmark gives each message a keyword of 1 in
5,000 cases ("stichwort123"), the selective search a user makes; "Lastdaten" (in every case) is the worst case.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import django

KEYWORDS = 5_000


def _median_run(client, url: str, repeat: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        queries, status = len(captured), response.status_code
    return statistics.median(times), queries, status


def _load(size: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat, Mod

    from benchmarks.privacy import _small_catalogue
    from cases.models import Enquiry
    from cases.search import search_rebuild_all

    _small_catalogue()
    started = time.perf_counter()
    call_command("generate_load_data", enquiries=size, stdout=open(os.devnull, "w"))  # noqa: SIM115
    generated = time.perf_counter() - started
    # a keyword per 1 in KEYWORDS cases: the load generator writes the same message everywhere
    Enquiry.objects.update(message=Concat(F("message"), Value(" Stichwort"), Cast(Mod(F("id"), KEYWORDS), CharField())))
    started = time.perf_counter()
    search_rebuild_all()
    indexed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"  load data: {size:,} enquiries generated in {generated:.0f} s, search and next deadline in {indexed:.0f} s"
    )


def main(size: int | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    if size is None:
        default = "100000" if connection.vendor == "postgresql" else "20000"
        size = int(os.environ.get("KTS_BENCH_WORKSPACE_SIZE", default))
    repeat = int(os.environ.get("KTS_BENCH_REPEAT", "5"))
    # KTS_BENCH_KEEPDB=1 keeps the throwaway database and its data for the next run (building 1,000,000 cases
    # takes about 20 minutes); a kept database of another size is filled anew
    keep = os.environ.get("KTS_BENCH_KEEPDB") == "1" and connection.vendor == "postgresql"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    databases = setup_databases(
        verbosity=0, interactive=False, aliases={"default"}, keepdb=keep, serialized_aliases=set()
    )
    try:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from cases.models import Enquiry
        from catalogue.models import Topic

        print(f"benchmarks.workspace: {size:,} synthetic enquiries ({connection.vendor}), median of {repeat} runs")
        if Enquiry.objects.count() != size:
            if Enquiry.objects.exists():
                call_command("flush", interactive=False, verbosity=0)
            _load(size)
        else:
            print("  load data: kept from the last run (KTS_BENCH_KEEPDB=1)")
        user, _ = get_user_model().objects.get_or_create(username="bench-koordination")
        user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
        client = Client()
        client.force_login(user)
        topic = Topic.objects.filter(enquiries__isnull=False).values_list("slug", flat=True).first() or "mobilitaet"
        case = Enquiry.objects.order_by("-id").values_list("pk", flat=True).first()
        pages = [
            ("list, page 1", "/intern/faelle/"),
            ("list, last page", "/intern/faelle/?last=1"),
            ("list, newest first", "/intern/faelle/?sort=age"),
            ("list, ?q= 1 in 5,000", "/intern/faelle/?q=Stichwort123"),
            ("list, ?q= in every case", "/intern/faelle/?q=Lastdaten"),
            (f"list, ?topic={topic}", f"/intern/faelle/?topic={topic}"),
            ("list, queue new", "/intern/faelle/?queue=new"),
            ("list, queue overdue", "/intern/faelle/?queue=overdue"),
            ("landing /intern/", "/intern/"),
            ("case page", f"/intern/faelle/{case}/"),
        ]
        for label, url in pages:
            seconds, queries, status = _median_run(client, url, repeat)
            if status != 200 and label == "case page":
                print(f"  {label:<40} not built (status {status})")
                continue
            assert status == 200, (url, status)
            print(f"  {label:<40} {seconds * 1000:8.0f} ms  {queries:3d} queries")
    finally:
        if not keep:
            teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)

"""The staff workspace at scale (per size): the landing ``/intern/`` (queues with counts) and the case page
``/intern/faelle/<id>/``, each as a full request (middleware, view, template) of a coordinator and of partner
staff, median ms and query count. (The case list's pages, search and queues: ``benchmarks.lists``.)

Run by ``make bench`` once per size against ``kts_bench_<size>`` (built by ``benchmarks.data``), or directly:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kts_bench_1000000 KTS_BENCH_SIZE=1000000 \\
        .venv/bin/python -m benchmarks.workspace

It reads the configured database as it is (two bench users are created once). Without KTS_BENCH_SIZE on SQLite
it generates a few thousand synthetic enquiries into the configured database and removes them again.
KTS_BENCH_REPEAT sets the runs per figure. Target: under 150 ms at 1,000,000 enquiries on PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import time

import django

SQLITE_SIZE = 3_000


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


def _user(username: str, group: str, partner=None):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from catalogue.models import PartnerMembership

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    if partner is not None:
        PartnerMembership.objects.update_or_create(user=user, defaults={"partner": partner})
    return get_user_model().objects.get(pk=user.pk)


def _sqlite_load() -> bool:
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
    from django.db.models import Count
    from django.test import Client

    from cases.models import OPEN_STATES, Enquiry
    from catalogue.models import ConsortiumPartner

    repeat = int(os.environ.get("KTS_BENCH_REPEAT", "5"))
    generated = False
    if not os.environ.get("KTS_BENCH_SIZE") and connection.vendor == "sqlite":
        generated = _sqlite_load()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    try:
        size = Enquiry.objects.count()
        print(f"benchmarks.workspace: {size:,} enquiries ({connection.vendor}), median of {repeat} runs")
        # the partner with the most cases: the heaviest partner landing
        partner_id = (
            Enquiry.objects.filter(assigned_partner__isnull=False)
            .values("assigned_partner")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("assigned_partner", flat=True)
            .first()
        )
        partner = ConsortiumPartner.objects.filter(pk=partner_id).first() or ConsortiumPartner.objects.first()
        coordinator = _user("bench-koordination", "coordinator")
        users = [("coordinator", coordinator)]
        if partner is not None:
            users.append(("partner", _user("bench-partner", "partner", partner)))
        newest = Enquiry.objects.order_by("-id").values_list("pk", flat=True).first()
        # an open case of the partner (visible to both) and a closed one with its whole history
        open_case = (
            Enquiry.objects.filter(assigned_partner=partner, state__in=OPEN_STATES).values_list("pk", flat=True).first()
        )
        closed_case = Enquiry.objects.filter(state="closed").values_list("pk", flat=True).first()
        for role, user in users:
            client = Client()
            client.force_login(user)
            pages = [("landing /intern/", "/intern/")]
            for name, pk in (("newest", newest), ("open", open_case), ("closed", closed_case)):
                if pk is not None and (role == "coordinator" or name == "open"):
                    pages.append((f"case page, {name}", f"/intern/faelle/{pk}/"))
            for label, url in pages:
                seconds, queries, status = _median_run(client, url, repeat)
                assert status == 200, (url, status)
                print(f"  {role:<11} {label:<22} {seconds * 1000:7.0f} ms  {queries:3d} queries", flush=True)
    finally:
        if generated:
            from django.core.management import call_command

            call_command("generate_load_data", delete=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
            print("benchmarks.workspace: the synthetic enquiries of this run were removed again")


if __name__ == "__main__":
    main()

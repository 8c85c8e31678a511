"""The benchmarks' data: one PostgreSQL database per size, ``kts_bench_<size>`` (100,000 and 1,000,000 synthetic
enquiries), built once and reused by every later run (a million takes a quarter of an hour to generate).

``bench_database_prepare(size)`` creates the database when missing, migrates it, imports the catalogue, generates
exactly ``size`` synthetic enquiries (only when the number differs), gives 1 in ``KEYWORDS`` messages a keyword
("stichwort123" is the selective search a user makes), rebuilds the search fields and runs VACUUM ANALYZE, and
gives 1 in ``PARTNER_SHARE`` triaged cases to the demo's consortium partners (``bench_partners_assign``). It
runs in its own process (``python -m benchmarks.data SIZE``): Django reads its database once per process.
Nothing outside the bench database is touched.
"""

from __future__ import annotations

import os
import sys
import time

KEYWORDS = 5_000
PARTNER_SHARE = 10
DATABASE_PREFIX = "kts_bench_"


def bench_database_url(base_url: str, size: int) -> str:
    """The URL of the size's database on the server of ``base_url`` (a postgres:// URL)."""
    from urllib.parse import urlparse, urlunparse

    parsed = urlparse(base_url)
    return urlunparse(parsed._replace(path=f"/{DATABASE_PREFIX}{size}"))


def bench_database_prepare(size: int) -> None:
    """In this process, whose DATABASE_URL names the size's database: bring it to ``size`` synthetic cases."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    from benchmarks.loadtest import _ensure_database

    _ensure_database(os.environ["DATABASE_URL"], fresh=False)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat, Mod

    from cases.models import Enquiry
    from cases.search import search_rebuild_all, search_refresh
    from catalogue.models import Municipality, Topic

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Municipality.objects.exists() or not Topic.objects.exists():
        print("  importing the catalogue (municipalities, model projects)")
        call_command("import_municipalities", stdout=quiet)
        call_command("import_model_projects", stdout=quiet)
    synthetic = Enquiry.objects.filter(is_synthetic=True).count()
    if synthetic != size:
        if synthetic:
            call_command("generate_load_data", delete=True, stdout=quiet)
        started = time.perf_counter()
        call_command("generate_load_data", enquiries=size, stdout=quiet)
        print(f"  load data: {size:,} enquiries generated in {time.perf_counter() - started:.0f} s")
    if not Enquiry.objects.filter(is_synthetic=True, message__contains=" Stichwort").exists():
        # the load generator writes the same message everywhere: a keyword in 1 of KEYWORDS cases
        Enquiry.objects.filter(is_synthetic=True).update(
            message=Concat(F("message"), Value(" Stichwort"), Cast(Mod(F("id"), KEYWORDS), CharField()))
        )
        started = time.perf_counter()
        search_rebuild_all()
    elif connection.vendor == "postgresql" and Enquiry.objects.filter(search_vector__isnull=True).exists():
        # a build that was interrupted: the search fields still missing, in batches
        started = time.perf_counter()
        missing = Enquiry.objects.filter(search_vector__isnull=True).order_by("pk").values_list("pk", flat=True)
        while ids := list(missing[:10_000]):
            search_refresh(ids)
    else:
        bench_partners_assign()
        return
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  load data: keywords and search fields in {indexed:.0f} s")
    bench_partners_assign()


def bench_partners_assign() -> None:
    """Partners with cases, for the partner staff's pages: the load generator leaves every case unassigned when
    the database has no partner (a bench database built before this step had none). Creates the demo's
    consortium partners when there is none, and gives 1 in ``PARTNER_SHARE`` triaged synthetic cases to them in
    turn, in progress (or, 1 in 2 of them, assigned and not yet accepted); their next deadline is recomputed. Runs
    once: nothing happens when a synthetic case has a partner already."""
    from django.db import connection

    from cases.models import Enquiry
    from cases.search import search_refresh
    from catalogue.models import ConsortiumPartner
    from devtools.demo import demo_partners_seed

    if Enquiry.objects.filter(is_synthetic=True, assigned_partner__isnull=False).exists():
        return
    started = time.perf_counter()
    if not ConsortiumPartner.objects.exists():
        demo_partners_seed()
    partners = list(ConsortiumPartner.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    chosen = Enquiry.objects.filter(is_synthetic=True, state="triaged").order_by("pk").values_list("pk", flat=True)
    ids = [pk for pk in chosen.iterator(chunk_size=20_000) if pk % PARTNER_SHARE == 0]
    table = Enquiry._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 20_000):
            batch = ids[start : start + 20_000]
            # the partner in turn by id; every other one accepted (table name from the model, values parameters)
            cursor.execute(
                f"""UPDATE {table} SET assigned_partner_id = (%s::bigint[])[1 + (id / %s) %% %s],
                    state = CASE WHEN (id / %s) %% 2 = 0 THEN 'in_progress' ELSE 'assigned' END,
                    assigned_at = created_at + interval '1 day',
                    first_response_at = coalesce(first_response_at, created_at + interval '1 day'),
                    last_transition = CASE WHEN (id / %s) %% 2 = 0 THEN 'accept' ELSE 'assign' END,
                    updated_at = now()
                WHERE id = ANY(%s)""",  # noqa: S608
                [partners, PARTNER_SHARE, len(partners), PARTNER_SHARE, PARTNER_SHARE, batch],
            )
            search_refresh(batch)
        cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"  load data: {len(ids):,} cases given to {len(partners)} partners in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    bench_database_prepare(int(sys.argv[1]))

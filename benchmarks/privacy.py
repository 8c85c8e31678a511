"""The retention job on a big backlog: synthetic cases over five years (20,000 by default), the expired ones
anonymised in one run, with the rate per second.

Runs in a throwaway test database of the configured one (SQLite: in memory; PostgreSQL: ``test_<name>``,
dropped afterwards), so neither the demo data of ``make run`` nor a benchmark database is touched.
``python -m benchmarks benchmarks.privacy``; KTS_BENCH_PRIVACY_SIZE overrides the number of cases.
"""

from __future__ import annotations

import os
import time

import django


def _small_catalogue() -> None:
    """What the load generator needs: the real directory, the fields of action, two partners, a model project."""
    from pathlib import Path

    from django.conf import settings

    from catalogue.loaders import municipalities_import, topics_sync
    from catalogue.models import ConsortiumPartner, ModelProject

    municipalities_import(path=Path(settings.SHARED_DATA_DIR) / "municipalities.csv")
    topics_sync()
    for short_name, name in [("DIFU", "Deutsches Institut für Urbanistik"), ("CCC", "Creative Climate Cities")]:
        ConsortiumPartner.objects.create(short_name=short_name, name=name, email=f"{short_name.lower()}@example.org")
    ModelProject.objects.create(slug="mpsc-bench", name="Modellprojekt Bench", cohort=2020, kind="city")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    size = int(os.environ.get("KTS_BENCH_PRIVACY_SIZE", "20000"))
    databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        from datetime import timedelta

        from django.conf import settings
        from django.utils import timezone

        from cases.models import Enquiry, State
        from privacy.services import enquiries_anonymise_expired

        _small_catalogue()
        call_command("generate_load_data", enquiries=size, days=5 * 365, stdout=open(os.devnull, "w"))  # noqa: SIM115
        cutoff = timezone.now() - timedelta(days=settings.KTS_RETENTION_DAYS)
        due = Enquiry.objects.filter(state=State.CLOSED, closed_at__lt=cutoff, anonymised_at=None).count()
        started = time.perf_counter()
        done = enquiries_anonymise_expired()
        seconds = time.perf_counter() - started
        assert done == due, f"anonymised {done}, but {due} were due"
        print(
            f"privacy: [{connection.vendor}] anonymised {done} of {size} cases in {seconds:.1f} s "
            f"({done / seconds:.0f}/s)"
        )
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()

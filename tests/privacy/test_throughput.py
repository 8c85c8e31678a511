"""The retention job in bulk: a fixed number of queries per case. The figure for a big backlog (20,000 cases)
is `make bench` (benchmarks/privacy.py)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from cases.models import Activity, Enquiry, State
from privacy.services import enquiries_anonymise_expired
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(partner, other_partner):
    for slug in ["mobilitaet", "energie", "verwaltung", "beteiligung"]:
        f.TopicFactory(slug=slug)
    f.MunicipalityFactory(ags="09162000", name="München", population=1_500_000)
    f.MunicipalityFactory(ags="09111001", name="Kleinhausen", population=2_000)
    f.ModelProjectFactory()


def expired() -> Q:
    from datetime import timedelta

    from django.conf import settings

    return Q(state=State.CLOSED, closed_at__lt=timezone.now() - timedelta(days=settings.KTS_RETENTION_DAYS))


def test_queries_grow_by_one_per_case_not_by_the_rows_of_its_history(catalogue, django_assert_max_num_queries):
    """GIVEN synthetic cases over five years WHEN the expired ones are anonymised THEN the job needs one
    claim per case plus a fixed number of statements per batch of 200, however long each history is."""
    call_command("generate_load_data", enquiries=600, days=5 * 365)
    due = Enquiry.objects.filter(expired(), anonymised_at=None).count()
    assert due > 100
    batches = -(-due // 200)
    # per batch: its reads and updates, and the deferred jobs (ops.jobs) of its statistics rows and search fields
    with django_assert_max_num_queries(1 + due + batches * 24):
        assert enquiries_anonymise_expired() == due
    assert Activity.objects.filter(kind="system", text__contains="Aufbewahrungsfrist").count() == due

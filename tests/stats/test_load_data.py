"""generate_load_data: synthetic enquiries with histories, marked and removable with one command."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from cases.models import Activity, Enquiry, Outcome, State, SurveyResponse, TransitionLog
from matching.models import Introduction
from stats.filters import stats_filters_parse
from stats.selectors import stats_summary
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(partner, other_partner):
    for slug in ["mobilitaet", "energie", "verwaltung", "beteiligung"]:
        f.TopicFactory(slug=slug)
    f.MunicipalityFactory(ags="09162000", name="München", population=1_500_000)
    f.MunicipalityFactory(ags="09111001", name="Kleinhausen", population=2_000)
    f.MunicipalityFactory(ags="05111000", name="Düsseldorf", population=620_000, bundesland="NW")
    f.ModelProjectFactory()


def test_it_creates_synthetic_enquiries_with_complete_histories(catalogue):
    """GIVEN a catalogue WHEN 400 synthetic enquiries are generated
    THEN each is marked synthetic, carries a SYN reference, a submit log row and a timeline entry per
    transition, and resolved ones have an outcome."""
    call_command("generate_load_data", enquiries=400)
    enquiries = Enquiry.objects.all()
    assert enquiries.count() == 400
    assert not enquiries.filter(is_synthetic=False).exists()
    assert all(ref.startswith("SYN-") and len(ref) == 16 for ref in enquiries.values_list("reference", flat=True))
    assert TransitionLog.objects.filter(transition="submit").count() == 400
    assert TransitionLog.objects.count() == Activity.objects.count()
    assert Outcome.objects.count() == enquiries.filter(resolved_at__isnull=False).count() > 0
    assert enquiries.filter(state=State.CLOSED).exists() and enquiries.exclude(state=State.CLOSED).exists()
    assert SurveyResponse.objects.exists() and Introduction.objects.exists()
    # the state of each enquiry is where its last log row left it
    for enquiry in enquiries.prefetch_related("transition_logs")[:50]:
        assert list(enquiry.transition_logs.all())[-1].to_state == enquiry.state
    # bigger places ask more often
    by_place = dict(enquiries.values_list("municipality__name").annotate(n=Count("pk")))
    assert by_place["München"] > by_place["Kleinhausen"]
    summary = stats_summary(filters=stats_filters_parse(params={"from": "2020-01-01"}))
    assert summary["volume"]["received"] == 400
    assert summary["speed"]["resolution"]["median_hours"] > 0


def test_a_second_run_continues_the_references_and_delete_removes_only_synthetic_ones(catalogue):
    real = f.EnquiryFactory()
    call_command("generate_load_data", enquiries=30)
    call_command("generate_load_data", enquiries=20)
    assert Enquiry.objects.filter(is_synthetic=True).count() == 50
    call_command("generate_load_data", delete=True)
    assert list(Enquiry.objects.all()) == [real]
    assert not TransitionLog.objects.exclude(enquiry=real).exists()

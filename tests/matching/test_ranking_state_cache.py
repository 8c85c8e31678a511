"""Issue 14, item 1 (a first step): the ranking state (open introductions, success rates, partner workload and
last assignment) comes from the cache while nothing it counts changed, so a submission does not re-aggregate
the Introduction, ProjectTopicSuccess and Enquiry tables; every change of those counts moves the cache on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.services import enquiry_transition
from matching.engine import ranking_state_cached, ranking_state_load
from matching.learning import project_success_refresh
from matching.models import Introduction, Match
from matching.proposals import proposals_compute

pytestmark = pytest.mark.django_db


def _aggregates(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "GROUP BY" in q["sql"].upper()]


def test_the_second_submission_reads_the_ranking_state_from_the_cache(submit):
    first = submit()
    with CaptureQueriesContext(connection) as cold:
        proposals_compute(enquiry=first)
    with CaptureQueriesContext(connection) as warm:
        proposals_compute(enquiry=submit(subject="Energiemonitoring der Schulen"))

    assert len(_aggregates(warm.captured_queries)) == 0
    assert not [q for q in warm.captured_queries if "projecttopicsuccess" in q["sql"].lower()]
    assert len(cold.captured_queries) >= 1


def test_an_assignment_moves_the_cached_partner_workload_on(submit, coordinator, partner):
    enquiry = submit()
    before = ranking_state_cached().partner_open.get(partner.pk, 0)
    enquiry = enquiry_transition(enquiry=enquiry, name="triage", by=coordinator, payload={})
    enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": partner.pk})

    cached = ranking_state_cached()

    assert cached.partner_open.get(partner.pk, 0) == before + 1
    assert cached.partner_open == ranking_state_load().partner_open
    assert cached.partner_last_assigned == ranking_state_load().partner_last_assigned


def test_an_introduction_and_a_learning_refresh_move_the_cache_on(in_progress, partner_client, partner_user):
    enquiry = in_progress()
    assert ranking_state_cached().open_introductions == {}
    match = Match.objects.get(enquiry=enquiry, kind="model_project", rank=1)
    partner_client.post(f"/api/v1/enquiries/{enquiry.pk}/matches/{match.pk}/accept/")
    assert Introduction.objects.filter(enquiry=enquiry).exists()

    assert ranking_state_cached().open_introductions == ranking_state_load().open_introductions != {}

    enquiry.refresh_from_db()
    enquiry = enquiry_transition(
        enquiry=enquiry, name="resolve", by=partner_user, payload={"category": "solution_adopted", "notes": "ok"}
    )
    project_success_refresh(enquiry=enquiry)

    assert ranking_state_cached().success == ranking_state_load().success != {}

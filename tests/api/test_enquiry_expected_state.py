"""Every transition body may carry the state the client saw (SPEC section 5): a stale one is 409, nothing changes."""

from __future__ import annotations

import pytest

from cases.models import Enquiry, TransitionLog

pytestmark = pytest.mark.django_db


def test_a_transition_from_a_state_the_case_has_left_is_409_and_changes_nothing(coordinator_client, make_case):
    """GIVEN a triaged case WHEN a coordinator who still saw it as new closes it THEN 409, it stays triaged."""
    enquiry = make_case("triaged")
    before = TransitionLog.objects.filter(enquiry=enquiry).count()
    answer = coordinator_client.post(
        f"/api/v1/enquiries/{enquiry.pk}/transitions/close/",
        {"reason": "spam", "expected_state": "new"},
        format="json",
    )
    assert answer.status_code == 409, answer.content
    assert answer.json()["code"] == "conflict"
    assert Enquiry.objects.get(pk=enquiry.pk).state == "triaged"
    assert TransitionLog.objects.filter(enquiry=enquiry).count() == before


def test_a_transition_from_the_state_the_client_saw_goes_through(coordinator_client, make_case):
    enquiry = make_case("triaged")
    answer = coordinator_client.post(
        f"/api/v1/enquiries/{enquiry.pk}/transitions/close/",
        {"reason": "spam", "expected_state": "triaged"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "closed"


def test_an_expected_state_that_is_no_state_is_400(coordinator_client, make_case):
    enquiry = make_case("new")
    answer = coordinator_client.post(
        f"/api/v1/enquiries/{enquiry.pk}/transitions/close/",
        {"reason": "spam", "expected_state": "gibt-es-nicht"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "expected_state"
    assert Enquiry.objects.get(pk=enquiry.pk).state == "new"


def test_an_unknown_transition_is_404(coordinator_client, make_case):
    enquiry = make_case("new")
    answer = coordinator_client.post(f"/api/v1/enquiries/{enquiry.pk}/transitions/snooze/", {}, format="json")
    assert answer.status_code == 404

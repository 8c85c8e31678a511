"""Every staff endpoint x every role x own/foreign case -> the expected status (404 hides foreign cases)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import FollowUp
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "list": ("get", "/api/v1/enquiries/", None),
    "detail": ("get", "/api/v1/enquiries/{id}/", None),
    "transitions": ("get", "/api/v1/enquiries/{id}/transitions/", None),
    "transition": ("post", "/api/v1/enquiries/{id}/transitions/request_info/", {"message": "Noch eine Frage"}),
    "timeline": ("get", "/api/v1/enquiries/{id}/timeline/", None),
    "follow_ups": ("get", "/api/v1/enquiries/{id}/follow-ups/", None),
    "follow_up_create": ("post", "/api/v1/enquiries/{id}/follow-ups/", "due"),
    "follow_up_complete": ("post", "/api/v1/enquiries/{id}/follow-ups/{fid}/complete/", {}),
}

# role -> case ("own" = the DIFU partner's case, "foreign" = another partner's) -> endpoint -> status
READ_OK = {"list": 200, "detail": 200, "transitions": 200, "timeline": 200, "follow_ups": 200}
EXPECTED = {
    "anonymous": {case: dict.fromkeys(ENDPOINTS, 401) for case in ("own", "foreign")},
    "no_role": {case: dict.fromkeys(ENDPOINTS, 403) for case in ("own", "foreign")},
    "coordinator": {
        case: {**READ_OK, "transition": 200, "follow_up_create": 201, "follow_up_complete": 200}
        for case in ("own", "foreign")
    },
    "manager": {
        case: {**READ_OK, "transition": 403, "follow_up_create": 403, "follow_up_complete": 403}
        for case in ("own", "foreign")
    },
    "partner": {
        "own": {**READ_OK, "transition": 200, "follow_up_create": 201, "follow_up_complete": 200},
        "foreign": {**dict.fromkeys(ENDPOINTS, 404), "list": 200},
    },
}

CASES = [
    (role, case, endpoint, EXPECTED[role][case][endpoint])
    for role in EXPECTED
    for case in ("own", "foreign")
    for endpoint in ENDPOINTS
]


@pytest.mark.parametrize(("role", "case", "endpoint", "expected"), CASES)
def test_rights_matrix(
    role,
    case,
    endpoint,
    expected,
    make_case,
    partner,
    other_partner,
    coordinator,
    manager,
    partner_user,
    anon_client,
):
    enquiry = make_case("in_progress", for_partner=partner if case == "own" else other_partner)
    follow_up = FollowUp.objects.create(
        enquiry=enquiry, due_at=timezone.now() + timedelta(days=3), created_at=timezone.now()
    )
    users = {
        "anonymous": None,
        "no_role": f.UserFactory(username="ohne-rolle"),
        "coordinator": coordinator,
        "manager": manager,
        "partner": partner_user,
    }
    client = anon_client if users[role] is None else client_for(users[role])
    method, url, body = ENDPOINTS[endpoint]
    if body == "due":
        body = {"due_at": (timezone.now() + timedelta(days=2)).isoformat(), "note": "nachfassen"}
    answer = getattr(client, method)(url.format(id=enquiry.pk, fid=follow_up.pk), body, format="json")
    assert answer.status_code == expected, answer.content
    if endpoint == "list" and expected == 200:
        ids = [row["id"] for row in answer.json()["results"]]
        assert (enquiry.pk in ids) == (role != "partner" or case == "own")


def test_an_unknown_transition_name_is_404(coordinator_client, make_case):
    enquiry = make_case("new")
    assert coordinator_client.post(f"/api/v1/enquiries/{enquiry.pk}/transitions/explode/").status_code == 404


def test_an_unknown_enquiry_is_404(coordinator_client):
    assert coordinator_client.get("/api/v1/enquiries/999999/").status_code == 404
    assert coordinator_client.post("/api/v1/enquiries/999999/transitions/triage/").status_code == 404


@pytest.mark.parametrize(
    ("state", "who", "name", "body", "expected"),
    [
        ("new", "partner", "triage", {}, 404),  # not yet the partner's case: invisible
        ("triaged", "manager", "assign", {"partner": 1}, 403),
        ("assigned", "coordinator", "accept", {}, 403),
        ("in_progress", "coordinator", "resolve", {"category": "exchange_held", "notes": "x"}, 403),
        ("in_progress", "partner", "close", {"reason": "spam"}, 400),  # not from in_progress
        ("resolved", "partner", "close", {"reason": "completed"}, 403),
        ("new", "coordinator", "accept", {}, 400),
        ("closed", "partner", "reopen", {}, 404),
        ("resolved", "manager", "reopen", {}, 200),
    ],
)
def test_rights_and_states_of_single_transitions(
    make_case, coordinator, manager, partner_user, state, who, name, body, expected
):
    enquiry = make_case(state)
    user = {"coordinator": coordinator, "manager": manager, "partner": partner_user}[who]
    answer = client_for(user).post(f"/api/v1/enquiries/{enquiry.pk}/transitions/{name}/", body, format="json")
    assert answer.status_code == expected, answer.content

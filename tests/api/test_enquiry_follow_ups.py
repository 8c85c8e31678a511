"""Follow-ups of a case: create, list, complete once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_follow_up_is_created_listed_and_completed_once(partner_client, make_case):
    enquiry = make_case("in_progress")
    url = f"/api/v1/enquiries/{enquiry.pk}/follow-ups/"
    due = (timezone.now() + timedelta(days=3)).isoformat()
    created = partner_client.post(url, {"due_at": due, "kind": "call_back", "note": "anrufen"}, format="json")
    assert created.status_code == 201, created.json()
    fid = created.json()["id"]
    listed = partner_client.get(url).json()
    assert [row["id"] for row in listed["results"]] == [fid]
    done = partner_client.post(f"{url}{fid}/complete/")
    assert done.status_code == 200 and done.json()["done_at"]
    assert partner_client.post(f"{url}{fid}/complete/").status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due_at": "morgen"}, "due_at"),
        ({}, "due_at"),
        ({"due_at": "2027-01-01T10:00:00Z", "kind": "party"}, "kind"),
        ({"due_at": "2027-01-01T10:00:00Z", "assignee": 999999}, "assignee"),
        ({"due_at": "2027-01-01T10:00:00Z", "assignee": True}, "assignee"),
        ({"due_at": "2027-01-01T10:00:00Z", "assignee": 10**20}, "assignee"),
    ],
)
def test_bad_follow_ups_are_400(coordinator_client, make_case, body, field):
    enquiry = make_case("triaged")
    answer = coordinator_client.post(f"/api/v1/enquiries/{enquiry.pk}/follow-ups/", body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()


def test_an_unknown_follow_up_is_404(coordinator_client, make_case):
    enquiry = make_case("triaged")
    assert coordinator_client.post(f"/api/v1/enquiries/{enquiry.pk}/follow-ups/999/complete/").status_code == 404

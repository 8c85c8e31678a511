"""Bad transition bodies: 400 naming the field, nothing written."""

from __future__ import annotations

import pytest

from cases.models import Enquiry, Outcome, TransitionLog
from tests import factories as f

pytestmark = pytest.mark.django_db


def logs(enquiry) -> int:
    return TransitionLog.objects.filter(enquiry=enquiry).count()


@pytest.mark.parametrize(
    ("state", "name", "body", "field"),
    [
        ("triaged", "assign", {}, "partner"),
        ("triaged", "assign", {"partner": "abc"}, "partner"),
        ("triaged", "assign", {"partner": 999999}, "partner"),
        ("triaged", "assign", {"partner": True}, "partner"),
        ("triaged", "assign", {"partner": 1.5}, "partner"),
        ("triaged", "assign", {"partner": "1e9"}, "partner"),
        ("triaged", "assign", {"partner": 10**20}, "partner"),
        ("triaged", "assign", {"partner": "own", "user": True}, "user"),
        ("triaged", "assign", {"partner": "inactive"}, "partner"),
        ("triaged", "assign", {"partner": "own", "user": 999999}, "user"),
        ("new", "triage", {"topics": []}, "topics"),
        ("new", "triage", {"topics": ["gibt-es-nicht"]}, "topics"),
        ("new", "triage", {"topics": "mobilitaet"}, "topics"),
        ("triaged", "request_info", {}, "message"),
        ("triaged", "request_info", {"message": "   "}, "message"),
        ("triaged", "request_info", {"message": ["a"]}, "message"),
        ("new", "close", {}, "reason"),
        ("new", "close", {"reason": "withdrawn"}, "reason"),
        ("new", "close", {"reason": "completed"}, "reason"),
        ("new", "close", {"reason": "spam", "comment": "x" * 2001}, "comment"),
        ("new", "close", {"reason": "spam", "comment": "a\x00"}, "comment"),
    ],
)
def test_bad_bodies_are_400_with_the_field(coordinator_client, make_case, state, name, body, field, partner):
    enquiry = make_case(state)
    if body.get("partner") == "inactive":
        body["partner"] = f.PartnerFactory(short_name="ALT", active=False).pk
    elif body.get("partner") == "own":
        body["partner"] = partner.pk
    before = logs(enquiry)
    answer = coordinator_client.post(f"/api/v1/enquiries/{enquiry.pk}/transitions/{name}/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == field and field in answer.json()
    assert logs(enquiry) == before
    assert Enquiry.objects.get(pk=enquiry.pk).state == state


@pytest.mark.parametrize(
    "body",
    [
        {"notes": "fertig"},
        {"category": "erfolgreich", "notes": "fertig"},
        {"category": "exchange_held"},
        {"category": "exchange_held", "notes": ""},
        {"category": 5, "notes": "x"},
    ],
)
def test_resolve_needs_a_category_and_notes(partner_client, make_case, body):
    enquiry = make_case("in_progress")
    answer = partner_client.post(f"/api/v1/enquiries/{enquiry.pk}/transitions/resolve/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["field"] in ("category", "notes")
    assert Enquiry.objects.get(pk=enquiry.pk).state == "in_progress"
    assert not Outcome.objects.filter(enquiry=enquiry).exists()


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "{broken"])
def test_a_body_that_is_not_an_object_is_400(coordinator_client, make_case, raw):
    enquiry = make_case("new")
    answer = coordinator_client.post(
        f"/api/v1/enquiries/{enquiry.pk}/transitions/triage/", raw, content_type="application/json"
    )
    assert answer.status_code == 400
    assert Enquiry.objects.get(pk=enquiry.pk).state == "new"


def test_a_decline_needs_a_reason(partner_client, make_case):
    enquiry = make_case("assigned")
    answer = partner_client.post(f"/api/v1/enquiries/{enquiry.pk}/transitions/decline/", {}, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == "reason"


def test_the_reference_skips_a_number_already_taken(municipality, topic, make_case):
    from django.utils import timezone

    year = timezone.localdate().year
    f.EnquiryFactory(reference=f"KTS-{year}-000001", municipality=municipality)
    assert make_case("new").reference == f"KTS-{year}-000002"

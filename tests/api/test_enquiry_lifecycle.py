"""One enquiry through every transition via the HTTP API, with the three roles and the public token."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Enquiry, Outcome, TransitionLog
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post(client, enquiry_id, name, body=None):
    return client.post(f"/api/v1/enquiries/{enquiry_id}/transitions/{name}/", body or {}, format="json")


def test_one_enquiry_goes_through_every_transition_over_http(
    anon_client, coordinator_client, partner_client, manager_client, other_partner, submission, partner, topic
):
    """GIVEN a submission through the public API
    WHEN coordinator, partner staff, manager and the token holder take every transition in turn
    THEN each answer is the enquiry in its new state, the timeline lists the transitions oldest first,
    and the TransitionLog names who acted."""
    created = anon_client.post("/api/v1/enquiries/", submission, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert set(body) == {"id", "reference", "state", "token", "status_url"}
    assert body["state"] == "new"
    assert body["status_url"] == f"http://testserver/status/{body['token']}/"
    pk, token = body["id"], body["token"]

    steps = [
        (coordinator_client, "triage", {"topics": ["mobilitaet"]}, "triaged"),
        (coordinator_client, "assign", {"partner": other_partner.pk}, "assigned"),
    ]
    for client, name, payload, state in steps:
        answer = post(client, pk, name, payload)
        assert answer.status_code == 200, answer.json()
        assert answer.json()["state"] == state
    # request_info is not possible from assigned: 400, with and without expected_state
    assert post(coordinator_client, pk, "request_info", {"message": "?"}).status_code == 400
    refused = post(coordinator_client, pk, "request_info", {"message": "?", "expected_state": "assigned"})
    assert refused.status_code == 400

    # the other partner's staff declines; partner staff of DIFU cannot even see the case
    ccc = client_for(UserFactory(username="ccc-staff", role="partner", partner=other_partner))
    assert post(partner_client, pk, "accept").status_code == 404
    answer = post(ccc, pk, "decline", {"reason": "keine Kapazität", "comment": "sorry"})
    assert answer.status_code == 200 and answer.json()["state"] == "triaged"
    assert answer.json()["assigned_partner"] is None

    answer = post(coordinator_client, pk, "assign", {"partner": partner.pk})
    assert answer.json()["assigned_partner"] == {"id": partner.pk, "short_name": "DIFU", "name": partner.name}
    answer = post(partner_client, pk, "accept")
    assert answer.json()["state"] == "in_progress" and answer.json()["first_response_at"]
    answer = post(partner_client, pk, "request_info", {"message": "Wie viele Einwohner hat der Ort?"})
    assert answer.json()["state"] == "awaiting_reply"

    public = anon_client.get(f"/api/v1/public/enquiries/{token}/")
    assert public.status_code == 200
    assert public.json()["can_reply"] is True
    assert public.json()["timeline"][-1]["text"] == "Wie viele Einwohner hat der Ort?"
    reply = anon_client.post(f"/api/v1/public/enquiries/{token}/reply/", {"message": "Etwa 77.000."}, format="json")
    assert reply.status_code == 200 and reply.json()["state"] == "in_progress"

    answer = post(partner_client, pk, "resolve", {"category": "contact_established", "notes": "Kontakt zu Ulm"})
    assert answer.json()["state"] == "resolved"
    assert answer.json()["outcome"]["category"] == "contact_established"
    answer = post(coordinator_client, pk, "close", {"reason": "completed"})
    assert answer.json()["state"] == "closed" and answer.json()["close_reason"] == "completed"
    answer = post(manager_client, pk, "reopen", {"comment": "Kommune meldet sich erneut"})
    assert answer.json()["state"] == "triaged"
    answer = post(coordinator_client, pk, "request_info", {"message": "Worum geht es diesmal?"})
    reply = anon_client.post(f"/api/v1/public/enquiries/{token}/reply/", {"message": "Parkraum"}, format="json")
    assert reply.json()["state"] == "triaged"  # no partner any more: back to triage
    withdrawn = anon_client.post(f"/api/v1/public/enquiries/{token}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "closed"
    assert Enquiry.objects.get(pk=pk).close_reason == "withdrawn"
    # a second close on a withdrawn case: the guard answers, not a 500
    assert post(coordinator_client, pk, "close", {"reason": "spam", "expected_state": "closed"}).status_code == 400
    assert post(coordinator_client, pk, "close", {"reason": "spam"}).status_code == 400

    expected = [
        "submit",
        "triage",
        "assign",
        "decline",
        "assign",
        "accept",
        "request_info",
        "receive_reply",
        "resolve",
        "close",
        "reopen",
        "request_info",
        "receive_reply",
        "withdraw",
    ]
    timeline = coordinator_client.get(f"/api/v1/enquiries/{pk}/timeline/?page_size=200").json()["results"]
    assert [e["transition"] for e in timeline if e["transition"]] == expected
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)
    logs = list(TransitionLog.objects.filter(enquiry_id=pk).values_list("transition", "by", "from_state", "to_state"))
    assert [row[0] for row in logs] == expected
    assert logs[3] == ("decline", "ccc-staff", "assigned", "triaged")
    assert logs[7] == ("receive_reply", "municipality", "awaiting_reply", "in_progress")
    assert logs[10] == ("reopen", "leitung", "closed", "triaged")
    assert logs[13] == ("withdraw", "municipality", "triaged", "closed")
    assert TransitionLog.objects.get(enquiry_id=pk, transition="decline").comment == "sorry"
    assert Outcome.objects.filter(enquiry_id=pk).count() == 1

    # the municipality's view: public entries only, no internal notes or names
    public = anon_client.get(f"/api/v1/public/enquiries/{token}/").json()
    texts = " ".join(e["text"] for e in public["timeline"])
    assert "keine Kapazität" not in texts and "Kontakt zu Ulm" not in texts
    assert "author" not in public["timeline"][0]
    assert public["state_label"] == "abgeschlossen"


def test_the_enquiry_json_has_the_contract_fields(coordinator_client, make_case):
    enquiry = make_case("in_progress")
    data = coordinator_client.get(f"/api/v1/enquiries/{enquiry.pk}/").json()
    for field in [
        "id",
        "reference",
        "state",
        "state_label",
        "municipality",
        "funded",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_role",
        "subject",
        "message",
        "topics",
        "support_type",
        "channel",
        "priority",
        "assigned_partner",
        "assigned_user",
        "close_reason",
        "duplicate_of",
        "outcome",
        "created_at",
        "first_response_at",
        "assigned_at",
        "resolved_at",
        "closed_at",
        "first_response_due",
        "assignment_due",
        "resolution_due",
        "escalated_at",
    ]:
        assert field in data, field
    assert data["municipality"] == {"ags": "09461000", "name": "Bamberg", "state": "BY"}
    assert data["topics"] == ["mobilitaet"]
    assert data["state_label"] == "in Bearbeitung"


def test_available_transitions_list_name_label_and_target(coordinator_client, partner_client, make_case):
    enquiry = make_case("assigned")
    coordinator = coordinator_client.get(f"/api/v1/enquiries/{enquiry.pk}/transitions/").json()
    assert [t["name"] for t in coordinator] == ["withdraw"]
    partner = partner_client.get(f"/api/v1/enquiries/{enquiry.pk}/transitions/").json()
    assert partner == [
        {"name": "accept", "label": "Übernehmen", "target": "in_progress"},
        {"name": "decline", "label": "Ablehnen", "target": "triaged"},
    ]


def test_reopen_after_90_days_is_refused_with_a_clear_message(coordinator_client, make_case):
    enquiry = make_case("closed")
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        answer = post(coordinator_client, enquiry.pk, "reopen")
    assert answer.status_code == 400
    assert "90 Tagen" in answer.json()["detail"]

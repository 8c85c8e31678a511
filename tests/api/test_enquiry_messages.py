"""POST /api/v1/enquiries/{id}/messages/: a free message to the municipality (cases.messages). No state change;
the rights of request_info; a subject is one line (header injection); an anonymised case gets nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from cases.messages import enquiry_message_send
from cases.models import Activity, Enquiry
from core.errors import NotAllowed
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def url(enquiry: Enquiry) -> str:
    return f"/api/v1/enquiries/{enquiry.pk}/messages/"


def stored(enquiry: Enquiry) -> tuple[int, int]:
    """(EMAIL_OUT timeline entries, outbox rows of the message template) of the case."""
    return (
        Activity.objects.filter(enquiry=enquiry, kind=Activity.Kind.EMAIL_OUT).count(),
        OutboxMessage.objects.filter(enquiry=enquiry, template="message").count(),
    )


def test_a_coordinator_writes_to_the_municipality_and_the_state_stays(coordinator, make_case):
    """GIVEN a case in progress WHEN a coordinator posts a message with a subject THEN 201 with the timeline entry
    (as the timeline lists it), one e-mail to the contact with the text and the status link, a public entry the
    status page shows, and the state unchanged."""
    enquiry = make_case("in_progress")
    client = client_for(coordinator)
    with b.after_commit():
        answer = client.post(
            url(enquiry),
            {"subject": "Kontakt zu Musterstadt", "message": "Guten Tag,\nhier der Kontakt."},
            format="json",
        )
    assert answer.status_code == 201, answer.content
    entry = answer.json()
    assert entry["kind"] == "email_out"
    assert entry["text"] == "Guten Tag,\nhier der Kontakt."
    assert entry["public"] is True
    assert entry["author"] == coordinator.get_username()
    timeline = client.get(f"/api/v1/enquiries/{enquiry.pk}/timeline/?page_size=200").json()["results"]
    assert timeline[-1] == entry

    enquiry.refresh_from_db()
    assert enquiry.state == "in_progress"
    sent = [m for m in mail.outbox if m.to == [enquiry.contact_email]]
    assert sent[-1].subject == f"[{enquiry.reference}] Kontakt zu Musterstadt"
    assert "hier der Kontakt." in sent[-1].body
    assert f"/status/{enquiry.public_token}/" in sent[-1].body
    assert sent[-1].reply_to == [f"Transferstelle Smart Cities <transferstelle+{enquiry.mail_key}@kts.invalid>"]
    kept = OutboxMessage.objects.get(enquiry=enquiry, template="message")
    assert kept.auto_submitted is False

    public = client_for(None).get(f"/api/v1/public/enquiries/{enquiry.public_token}/").json()
    assert "Guten Tag,\nhier der Kontakt." in [item["text"] for item in public["timeline"]]


def test_without_a_subject_the_mail_says_nachricht_zu_ihrer_anfrage(coordinator, make_case):
    enquiry = make_case("awaiting_reply")
    answer = client_for(coordinator).post(url(enquiry), {"message": "Kurze Zwischeninfo."}, format="json")
    assert answer.status_code == 201, answer.content
    kept = OutboxMessage.objects.get(enquiry=enquiry, template="message")
    assert kept.subject == f"[{enquiry.reference}] Nachricht zu Ihrer Anfrage"
    enquiry.refresh_from_db()
    assert enquiry.state == "awaiting_reply"


@pytest.mark.parametrize(
    ("who", "case", "expected"),
    [
        ("coordinator", "own", 201),
        ("coordinator", "foreign", 201),
        ("partner", "own", 201),
        ("partner", "foreign", 404),  # another partner's case is invisible, as for the transitions
        ("manager", "own", 403),  # managers read only
        ("no_role", "own", 403),
        ("anonymous", "own", 401),
    ],
)
def test_who_may_write(
    who, case, expected, make_case, partner, other_partner, coordinator, manager, partner_user, anon_client
):
    enquiry = make_case("in_progress", for_partner=partner if case == "own" else other_partner)
    users = {
        "coordinator": coordinator,
        "partner": partner_user,
        "manager": manager,
        "no_role": f.UserFactory(username="ohne-rolle"),
    }
    client = anon_client if who == "anonymous" else client_for(users[who])
    answer = client.post(url(enquiry), {"message": "Hallo"}, format="json")
    assert answer.status_code == expected, answer.content
    assert stored(enquiry) == ((1, 1) if expected == 201 else (0, 0))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "message"),
        ({"message": "   "}, "message"),
        ({"message": 42}, "message"),
        ({"message": "a\x00b"}, "message"),
        ({"message": "x" * 10_001}, "message"),
        ({"message": "Hallo", "subject": "Frage\r\nBcc: x@y"}, "subject"),
        ({"message": "Hallo", "subject": "Frage\nBcc: x@y"}, "subject"),
        ({"message": "Hallo", "subject": "Frage\u2028Bcc: x@y"}, "subject"),
        ({"message": "Hallo", "subject": "Tab\tim Betreff"}, "subject"),
        ({"message": "Hallo", "subject": "x" * 201}, "subject"),
        ({"message": "Hallo", "subject": ["Liste"]}, "subject"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_nothing_is_stored(coordinator, make_case, body, field):
    enquiry = make_case("in_progress")
    answer = client_for(coordinator).post(url(enquiry), body, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == field
    assert field in answer.json()
    assert stored(enquiry) == (0, 0)


def test_a_body_that_is_no_object_is_400(coordinator, make_case):
    enquiry = make_case("in_progress")
    answer = client_for(coordinator).post(url(enquiry), ["Hallo"], format="json")
    assert answer.status_code == 400
    assert stored(enquiry) == (0, 0)


def test_an_unknown_case_is_404(coordinator):
    assert client_for(coordinator).post("/api/v1/enquiries/999999/messages/", {"message": "x"}).status_code == 404


def test_an_anonymised_case_gets_no_message(coordinator, make_case):
    enquiry = make_case("in_progress")
    Enquiry.objects.filter(pk=enquiry.pk).update(anonymised_at=timezone.now())
    answer = client_for(coordinator).post(url(enquiry), {"message": "Hallo"}, format="json")
    assert answer.status_code == 400, answer.content
    assert "anonymisiert" in answer.json()["detail"]
    assert stored(enquiry) == (0, 0)


def test_the_service_checks_the_right_before_the_text(manager, make_case):
    """A manager with an empty message hears that he may not write (403), not that the text is missing."""
    enquiry = make_case("in_progress")
    with pytest.raises(NotAllowed):
        enquiry_message_send(enquiry=enquiry, by=manager, message="")


def test_a_message_to_a_closed_case_is_still_possible(coordinator, make_case):
    """A case that is closed still has a contact who may need a last word; only anonymisation ends that."""
    enquiry = make_case("closed")
    activity = enquiry_message_send(enquiry=enquiry, by=coordinator, message="Nachtrag.")
    assert activity.public and activity.kind == Activity.Kind.EMAIL_OUT
    enquiry.refresh_from_db()
    assert enquiry.state == "closed"


def test_the_schema_documents_the_endpoint(coordinator_client):
    schema = coordinator_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/enquiries/{id}/messages/"]["post"]
    assert operation["operationId"] == "v1_enquiries_messages_create"
    assert "201" in operation["responses"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert body["required"] == ["message"]
    assert set(body["properties"]) == {"message", "subject"}

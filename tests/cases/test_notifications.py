"""Which e-mails each transition causes (through the outbox, after commit)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from outbox.models import OutboxMessage
from tests.cases.conftest import sent_to

pytestmark = pytest.mark.django_db


def test_submission_confirms_with_the_status_link_in_text_and_html(submit):
    """GIVEN a municipality WHEN it submits THEN it gets one confirmation with its status link."""
    enquiry = submit()
    confirmations = sent_to(enquiry.contact_email)
    assert len(confirmations) == 1
    message = confirmations[0]
    assert enquiry.reference in message.subject
    link = f"http://testserver/status/{enquiry.public_token}/"
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0][0]
    assert "Guten Tag Erika Muster" in message.body
    row = OutboxMessage.objects.get(template="confirmation")
    assert (row.enquiry_id, row.status) == (enquiry.pk, "sent")


def test_the_whole_way_sends_the_right_mails_to_the_right_people(submit, move, coordinator, partner, partner_user):
    """GIVEN a submitted enquiry
    WHEN it is triaged, assigned, accepted, asked, answered and resolved
    THEN the partner hears of the assignment, the municipality of the question and the resolution, the
    handler of the reply; triage and accept send nothing."""
    enquiry = submit()
    contact = enquiry.contact_email
    enquiry = move(enquiry, "triage", coordinator)
    assert len(mail.outbox) == 1
    enquiry = move(enquiry, "assign", coordinator, partner=partner.pk, user=partner_user.pk)
    assigned = mail.outbox[-1]
    assert set(assigned.to) == {partner.email, partner_user.email}
    enquiry = move(enquiry, "accept", partner_user)
    assert len(mail.outbox) == 2
    enquiry = move(enquiry, "request_info", partner_user, message="Wie viele Einwohner hat der Ortsteil?")
    question = mail.outbox[-1]
    assert question.to == [contact]
    assert "Wie viele Einwohner hat der Ortsteil?" in question.body
    enquiry = move(enquiry, "receive_reply", None, actor="municipality", message="Etwa 800.")
    assert mail.outbox[-1].to == [partner_user.email]
    assert "Etwa 800." in mail.outbox[-1].body
    move(enquiry, "resolve", partner_user, category="information_provided", notes="Leitfaden geschickt")
    resolved = mail.outbox[-1]
    assert resolved.to == [contact]
    assert "Information bereitgestellt" in resolved.body
    assert len(mail.outbox) == 5


def test_a_decline_tells_the_coordinators(submit, move, coordinator, partner, partner_user):
    enquiry = submit()
    enquiry = move(enquiry, "triage", coordinator)
    enquiry = move(enquiry, "assign", coordinator, partner=partner.pk)
    move(enquiry, "decline", partner_user, reason="Kein Bezug zu unserem Schwerpunkt")
    declined = sent_to(coordinator.email)
    assert len(declined) == 1
    assert "DIFU" in declined[0].body and "Kein Bezug" in declined[0].body


def test_spam_is_closed_silently_but_out_of_scope_is_told(submit, move, coordinator):
    spam = submit(email="spam@example.org")
    move(spam, "close", coordinator, reason="spam")
    assert len(sent_to("spam@example.org")) == 1, "only the confirmation"
    other = submit(email="falsch@example.org")
    move(other, "close", coordinator, reason="out_of_scope")
    closing = sent_to("falsch@example.org")[-1]
    assert "abgeschlossen" in closing.subject and "nicht zuständig" in closing.body


def test_the_mail_templates_render_in_english_too(submit):
    from outbox.services import outbox_enqueue

    enquiry = submit()
    with translation.override("de"):
        message = outbox_enqueue(
            to="x@example.org", template="confirmation", context={"enquiry": enquiry, "status_url": "u"}, language="en"
        )
    assert message.language == "en"
    assert message.text.strip()

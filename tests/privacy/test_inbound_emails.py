"""Inbound e-mail and personal data: an anonymised case's mails lose their personal data and their files (the
row stays, so the same mail fetched again is recognised by its Message-ID), and a contact's export lists the
mails they wrote."""

from __future__ import annotations

import json

import pytest

from conversation.models import InboundEmail, mail_storage
from privacy.services import contact_data_erase, contact_data_export, enquiries_anonymise_expired
from tests.mail_builders import filed_email, inbound_email
from tests.privacy.conftest import CONTACT

pytestmark = pytest.mark.django_db


def _files_of(mail: InboundEmail) -> list[str]:
    return [mail.raw.name, *(a.file.name for a in mail.attachments.all())]


def test_anonymising_a_case_blanks_its_mails_and_deletes_their_files(
    submit, coordinator, django_capture_on_commit_callbacks
):
    """GIVEN a case with a reply and a third party's mail, each with an attachment, and a stray mail of the same
    address WHEN the contact asks for erasure THEN the mails keep their rows and Message-IDs, lose sender,
    recipients, subject and texts, and their files are gone from the storage; the stray mail too."""
    enquiry = submit()
    reply = filed_email(
        enquiry=enquiry,
        sender=CONTACT,
        name="Erika Muster",
        subject="AW: Rufbus für Erika Musters Dorf",
        text="Mobil: 0171 5550123",
        attachments=[("Lebenslauf Erika Muster.pdf", b"%PDF", "application/pdf")],
    )
    stranger = filed_email(enquiry=enquiry, sender="nachbar@example.org", attachments=[("foto.jpg", b"JPG", "x")])
    stray = inbound_email(sender=CONTACT.lower(), subject="Noch eine Frage von Erika Muster")
    files = _files_of(reply) + _files_of(stranger) + _files_of(stray)
    assert all(mail_storage().exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        assert contact_data_erase(email=CONTACT, by=coordinator) == 1

    for mail in (reply, stranger, stray):
        mail.refresh_from_db()
        assert mail.message_id.endswith("@gemeinde.example")
        assert (mail.from_address, mail.from_name, mail.to_addresses, mail.in_reply_to, mail.references) == (
            "",
            "",
            "",
            "",
            "",
        )
        assert mail.subject == mail.text == mail.full_text == "[anonymisiert]" and not mail.raw
    assert [a.name for a in reply.attachments.all()] == ["[anonymisiert]"]
    assert reply.kind == "reply" and reply.status == "filed" and reply.enquiry_id == enquiry.pk
    assert not any(mail_storage().exists(name) for name in files)
    dump = json.dumps(list(InboundEmail.objects.values()), default=str)
    assert "Erika" not in dump and "0171" not in dump


def test_the_retention_run_blanks_the_mails_of_the_expired_cases(closed_case, django_capture_on_commit_callbacks):
    enquiry = closed_case(800)
    mail = filed_email(enquiry=enquiry, sender=CONTACT, attachments=[("Plan.pdf", b"%PDF", "application/pdf")])
    files = _files_of(mail)
    with django_capture_on_commit_callbacks(execute=True):
        assert enquiries_anonymise_expired() == 1
    mail.refresh_from_db()
    assert mail.from_address == "" and mail.text == "[anonymisiert]"
    assert not any(mail_storage().exists(name) for name in files)


def test_a_contact_s_export_lists_the_mails_they_wrote(submit):
    enquiry = submit()
    filed_email(enquiry=enquiry, sender=CONTACT.upper(), subject="AW: Rufbus", text="Unsere Antwort")
    inbound_email(sender=CONTACT, subject="Neue Frage", text="Noch etwas")
    inbound_email(sender="jemand@example.org", subject="Fremd", text="Nicht dabei")
    data = contact_data_export(email=CONTACT)
    assert [(m["subject"], m["text"]) for m in data["inbound_emails"]] == [
        ("AW: Rufbus", "Unsere Antwort"),
        ("Neue Frage", "Noch etwas"),
    ]
    assert all(m["received_at"] for m in data["inbound_emails"])
    assert "Fremd" not in json.dumps(data)

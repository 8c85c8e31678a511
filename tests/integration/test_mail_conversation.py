"""Issue 12, done when: with real parts end to end. Our mails leave through SMTP to a real server (aiosmtpd);
the municipality's reply is built from the mail that server received (its Reply-To, Message-ID and subject),
quoting it as a German mail client does and carrying a PDF; it comes back once through ``receive_email`` (the
MTA pipe) and once through a real IMAP mailbox (dovecot), and each lands on its case: the case moves from
awaiting_reply to in_progress, the timeline shows the answer without the quote, with the attachment, which
staff can download."""

from __future__ import annotations

import email
import io
import socket
import sys
import threading
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import call_command

from conversation.models import InboundEmail
from outbox.delivery import outbox_sweep
from tests import builders as b
from tests import factories as f
from tests.conversation.dovecot import dovecot_server, mailbox_fixture  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ANSWER = "Wir haben 12.000 Einwohner und wollen 2027 starten."


class Inbox:
    """aiosmtpd handler: keeps the raw messages the SMTP server accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(envelope.content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def awaiting_case(coordinator, partner, partner_user):
    """A case that asked its municipality a question, with every mail of its history sent through SMTP."""
    topic = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")

    def make(contact: str):
        enquiry = b.enquiry_submitted(municipality=f.MunicipalityFactory(), topics=[topic.slug], contact_email=contact)
        return b.enquiry_brought_to(
            enquiry, "awaiting_reply", coordinator=coordinator, staff=partner_user, partner=partner
        )

    return make


def _question_received(inbox: Inbox, contact: str) -> email.message.EmailMessage:
    outbox_sweep()
    for raw in inbox.messages:
        message = email.message_from_bytes(raw, policy=policy.default)
        if contact in message["To"] and "Rückfrage" in message["Subject"]:
            return message
    raise AssertionError(f"no question to {contact} among {len(inbox.messages)} mails")


def _reply_to(question: email.message.EmailMessage, *, contact: str) -> bytes:
    """What Thunderbird (German) makes of "Antworten": the quote under "Am … schrieb …:", a signature, a PDF."""
    quoted = "\n".join("> " + line for line in question.get_body(("plain",)).get_content().splitlines())
    reply = EmailMessage()
    reply["From"] = f"Anna Amt <{contact}>"
    reply["To"] = question["Reply-To"]
    reply["Subject"] = "Re: " + question["Subject"]
    reply["Message-ID"] = make_msgid(domain="gemeinde.example")
    reply["In-Reply-To"] = question["Message-ID"]
    reply["References"] = question["Message-ID"]
    reply.set_content(
        f"Guten Tag,\n\n{ANSWER}\n\nMit freundlichen Grüßen\nAnna Amt\n\n-- \nGemeinde Musterdorf, Hauptamt\n\n"
        f"Am 30.11.2026 um 10:12 schrieb Transferstelle Smart Cities:\n{quoted}\n"
    )
    reply.add_attachment(PDF, maintype="application", subtype="pdf", filename="Einwohner 2026.pdf")
    return reply.as_bytes(policy=policy.default.clone(linesep="\r\n"))


def _assert_landed(enquiry, coordinator_client) -> None:
    enquiry.refresh_from_db()
    assert enquiry.state == "in_progress"
    mail = InboundEmail.objects.get(enquiry=enquiry)
    assert mail.kind == "reply" and mail.matched_by == "key"
    entries = coordinator_client.get(f"/api/v1/enquiries/{enquiry.pk}/timeline/").json()
    entries = entries["results"] if isinstance(entries, dict) else entries
    answer = next(entry for entry in entries if entry.get("email"))
    assert ANSWER in answer["text"]
    assert "schrieb" not in answer["text"] and "Rückfrage" not in answer["text"] and "Hauptamt" not in answer["text"]
    assert "Rückfrage" in mail.full_text or ">" in mail.full_text  # the whole original stays
    assert [(a["name"], a["size"]) for a in answer["attachments"]] == [("Einwohner 2026.pdf", len(PDF))]
    download = coordinator_client.get(answer["attachments"][0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_reply_to_our_smtp_mail_lands_on_its_case_through_the_pipe(
    smtp, awaiting_case, coordinator_client, monkeypatch
):
    enquiry = awaiting_case("amt@musterdorf.example")
    question = _question_received(smtp, "amt@musterdorf.example")
    assert enquiry.mail_key in question["Reply-To"] and str(enquiry.pk) not in question["Reply-To"].split("@")[0]
    assert question["Subject"].startswith(f"[{enquiry.reference}]")

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_reply_to(question, contact=enquiry.contact_email))))
    out = io.StringIO()
    call_command("receive_email", stdout=out)

    assert enquiry.reference in out.getvalue()
    _assert_landed(enquiry, coordinator_client)


def test_a_reply_to_our_smtp_mail_lands_on_its_case_through_imap(
    smtp, awaiting_case, coordinator_client, mailbox, settings
):
    from conversation.imap import imap_poll

    enquiry = awaiting_case("buero@beispielstadt.example")
    question = _question_received(smtp, "buero@beispielstadt.example")
    mailbox.deliver(_reply_to(question, contact=enquiry.contact_email))
    settings.INBOUND_IMAP_URL = mailbox.url(tls=True)
    settings.INBOUND_IMAP_CAFILE = mailbox.server.cafile

    first = imap_poll()
    second = imap_poll()

    assert first.stored == 1 and second.stored == 0
    _assert_landed(enquiry, coordinator_client)

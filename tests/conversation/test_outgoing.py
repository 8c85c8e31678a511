"""Outgoing mail that can be answered (issue 12, item 1), against a real SMTP server (aiosmtpd on a free port):
what the server received is parsed with Python's email package and compared with the outbox rows.

- mail to the municipality: the kept Message-ID, Reply-To at the case's plus-address (its mail_key, neither the
  id nor the status page's token), "[KTS-...] " before the subject, the thread of the case's earlier mail;
- system mail (confirmation, surveys, reminders, staff notifications): Auto-Submitted and
  X-Auto-Response-Suppress; mail a person wrote (request_info, the free message, resolved): neither;
- staff mail answers to KTS_REPLY_TO, never to a plus-address;
- a retry sends the same Message-ID.
"""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses

import pytest
from django.utils import timezone

from cases.messages import enquiry_message_send
from cases.models import Enquiry
from cases.reminders import awaiting_reminder_send
from cases.surveys import survey_send
from outbox.addresses import case_key_of, case_reply_address, inbound_domain
from outbox.delivery import outbox_deliver, outbox_sweep
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db

CONTACT = "amt@gemeinde.example"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps (recipients, raw message) of everything the SMTP server accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.raw: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.raw.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message_from_bytes(raw, policy=policy.default) for _, raw in self.raw]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages() if address in [a for _, a in getaddresses([str(m["To"])])]]

    def with_id(self, message_id: str) -> EmailMessage:
        found = [m for m in self.messages() if m["Message-ID"] == message_id]
        assert len(found) == 1, f"{len(found)} mails with Message-ID {message_id}"
        return found[0]


def _smtp_settings(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(settings):
    """A real SMTP server for the test, and Django's mail pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    _smtp_settings(settings, port)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Mobilität"])


@pytest.fixture
def case(municipality, topic, coordinator, partner, partner_user):
    """case(state) -> an enquiry moved there through the services, its mail sent after each commit."""

    def make(state: str) -> Enquiry:
        enquiry = b.enquiry_submitted(municipality=municipality, contact_email=CONTACT, effects=True)
        return b.enquiry_brought_to(
            enquiry, state, coordinator=coordinator, staff=partner_user, partner=partner, effects=True
        )

    return make


def row(enquiry: Enquiry, template: str) -> OutboxMessage:
    return OutboxMessage.objects.get(enquiry=enquiry, template=template)


def reply_to_address(message: EmailMessage) -> str:
    addresses = getaddresses([str(message["Reply-To"])])
    assert len(addresses) == 1, message["Reply-To"]
    return addresses[0][1]


def test_mail_to_the_municipality_can_be_answered_onto_its_case(smtp, case, coordinator, settings):
    """GIVEN a case that was submitted, assigned, accepted and asked a question
    WHEN a coordinator also writes a free message
    THEN every mail to the municipality arrives with the Message-ID the outbox kept, Reply-To at the case's
    plus-address and the reference in front of the subject (once); the staff mails answer to KTS_REPLY_TO."""
    enquiry = case("awaiting_reply")
    with b.after_commit():
        enquiry_message_send(enquiry=enquiry, by=coordinator, message="Hier der Kontakt: Frau Beispiel.")
    enquiry.refresh_from_db()

    to_municipality = smtp.to(CONTACT)
    assert len(to_municipality) == 3  # confirmation, request_info, message
    plus = f"transferstelle+{enquiry.mail_key}@kts.invalid"
    for template in ("confirmation", "request_info", "message"):
        kept = row(enquiry, template)
        assert kept.message_id.startswith("<") and kept.message_id.endswith("@kts.invalid>")
        received = smtp.with_id(kept.message_id)
        assert received["Reply-To"] == f"Transferstelle Smart Cities <{plus}>"
        address = reply_to_address(received)
        assert case_key_of(address) == enquiry.mail_key
        assert str(enquiry.pk) not in address.split("@")[0].split("+")[1]
        assert enquiry.public_token not in address
        subject = str(received["Subject"])
        assert subject.startswith(f"[{enquiry.reference}] "), subject
        assert subject.count(enquiry.reference) == 1, subject
        assert received["From"] == settings.DEFAULT_FROM_EMAIL
    assert str(smtp.with_id(row(enquiry, "message").message_id)["Subject"]) == (
        f"[{enquiry.reference}] Nachricht zu Ihrer Anfrage"
    )

    staff_mail = smtp.with_id(row(enquiry, "assigned").message_id)
    assert staff_mail["Reply-To"] == settings.KTS_REPLY_TO
    assert "+" not in reply_to_address(staff_mail)
    assert not str(staff_mail["Subject"]).startswith("[")
    assert row(enquiry, "assigned").reply_to == settings.KTS_REPLY_TO


def test_system_mail_is_auto_submitted_and_what_a_person_wrote_is_not(smtp, case, coordinator, partner_user):
    """GIVEN cases in several states
    WHEN the confirmation, the staff notifications, the request_info, the free message, the resolution, a
    satisfaction survey and an awaiting reminder go out
    THEN the system's mails carry Auto-Submitted: auto-generated and X-Auto-Response-Suppress: All, and the mails
    a person wrote carry neither."""
    asked = case("awaiting_reply")
    with b.after_commit():
        enquiry_message_send(enquiry=asked, by=partner_user, message="Noch ein Hinweis.", subject="Ein Hinweis")
    with b.after_commit():
        assert awaiting_reminder_send(enquiry_id=asked.pk, now=timezone.now() + timedelta(days=8))
    resolved = case("resolved")
    with b.after_commit():
        assert survey_send(enquiry_id=resolved.pk, kind="satisfaction") is not None
    outbox_sweep()

    auto = {"confirmation", "assigned", "awaiting_reminder", "survey_satisfaction"}
    person = {"request_info", "message", "resolved"}
    seen = set()
    for kept in OutboxMessage.objects.filter(enquiry__in=[asked, resolved]):
        assert kept.status == OutboxMessage.Status.SENT, (kept.template, kept.last_error)
        received = smtp.with_id(kept.message_id)
        seen.add(kept.template)
        if kept.template in auto:
            assert kept.auto_submitted
            assert received["Auto-Submitted"] == "auto-generated", kept.template
            assert received["X-Auto-Response-Suppress"] == "All", kept.template
        if kept.template in person:
            assert not kept.auto_submitted
            assert received["Auto-Submitted"] is None, kept.template
            assert received["X-Auto-Response-Suppress"] is None, kept.template
    assert auto | person <= seen
    hint = smtp.with_id(row(asked, "message").message_id)
    assert str(hint["Subject"]) == f"[{asked.reference}] Ein Hinweis"


def test_mail_to_the_municipality_names_the_cases_earlier_mail_as_its_thread(smtp, case):
    """GIVEN a case that got its confirmation WHEN it is asked a question THEN the question's In-Reply-To is the
    confirmation's Message-ID and its References list it (the municipality's client shows one thread)."""
    enquiry = case("awaiting_reply")
    confirmation = row(enquiry, "confirmation").message_id
    question = smtp.with_id(row(enquiry, "request_info").message_id)
    assert question["In-Reply-To"] == confirmation
    assert question["References"].split() == [confirmation]
    assert smtp.with_id(confirmation)["References"] is None


def test_a_retry_sends_the_message_id_that_was_kept(smtp, settings, case, coordinator):
    """GIVEN the mail server is unreachable when a free message is first sent
    WHEN the outbox tries again after its backoff, with the server back
    THEN the mail arrives once, with the Message-ID stored at enqueue time."""
    enquiry = case("in_progress")
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with b.after_commit():
        enquiry_message_send(enquiry=enquiry, by=coordinator, message="Zweiter Versuch.")
    kept = row(enquiry, "message")
    assert (kept.status, kept.attempts) == (OutboxMessage.Status.PENDING, 1)
    stored = kept.message_id
    assert stored

    settings.EMAIL_PORT = port
    assert outbox_deliver(message_id=kept.pk, now=timezone.now() + timedelta(hours=1))
    kept.refresh_from_db()
    assert (kept.status, kept.message_id) == (OutboxMessage.Status.SENT, stored)
    assert smtp.with_id(stored)["Message-ID"] == stored


def test_the_reply_address_is_built_from_the_inbound_address_with_or_without_a_display_name(settings):
    settings.INBOUND_EMAIL_ADDRESS = "transferstelle@kts.invalid"
    assert case_reply_address("abc234") == "Transferstelle Smart Cities <transferstelle+abc234@kts.invalid>"
    settings.INBOUND_EMAIL_ADDRESS = "Postfach der Transferstelle <Post@Example.ORG>"
    assert case_reply_address("abc234") == "Postfach der Transferstelle <Post+abc234@example.org>"
    assert inbound_domain() == "example.org"
    # the inbound side reads the key back; mail systems may fold the case of the local part
    assert case_key_of("POST+ABC234@example.org") == "abc234"
    assert case_key_of("Jemand <post+abc234@example.org>") == "abc234"
    assert case_key_of("post@example.org") is None
    assert case_key_of("other+abc234@example.org") is None
    assert case_key_of("post+abc234@elsewhere.example") is None


def test_a_message_id_is_kept_for_every_mail_at_enqueue_time(case):
    """Every outbox row has its own Message-ID in angle brackets at our inbound domain before it is sent."""
    enquiry = case("in_progress")
    ids = list(OutboxMessage.objects.filter(enquiry=enquiry).values_list("message_id", flat=True))
    assert len(ids) >= 2
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("<") and i.endswith("@kts.invalid>") for i in ids)

"""Inbound mail tests: the sample mails of tests/conversation/mails with the case's data filled in, and cases
brought to a state through the real services (tests.builders)."""

from __future__ import annotations

from pathlib import Path

import pytest

from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

MAILS = Path(__file__).parent / "mails"
CONTACT = "erika@gemeinde.example"


def sample(name: str, *, enquiry=None, contact: str = CONTACT, msgid: str = "<none@kts.invalid>") -> bytes:
    """A sample mail with {CONTACT}, {KEY}, {REF} and {MSGID} filled in."""
    raw = (MAILS / name).read_bytes()
    values = {
        b"{CONTACT}": contact.encode(),
        b"{KEY}": (enquiry.mail_key if enquiry else "nokey").encode(),
        b"{REF}": (enquiry.reference if enquiry else "KTS-2000-000000").encode(),
        b"{MSGID}": msgid.encode(),
    }
    for placeholder, value in values.items():
        raw = raw.replace(placeholder, value)
    return raw


def outgoing_message_id(enquiry) -> str:
    """The Message-ID of the newest mail we wrote about ``enquiry`` (outbox_enqueue keeps it, with <>)."""
    message = OutboxMessage.objects.filter(enquiry=enquiry).exclude(message_id="").order_by("-id").first()
    assert message is not None, "the workflow wrote no mail with a Message-ID for the case"
    return message.message_id


@pytest.fixture
def case(db, coordinator, partner, partner_user):
    """case(state="awaiting_reply", contact=CONTACT) -> Enquiry moved there through the real services."""
    topic = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    municipality = f.MunicipalityFactory()

    def _case(state: str = "awaiting_reply", *, contact: str = CONTACT):
        enquiry = b.enquiry_submitted(
            municipality=municipality, topics=[topic.slug], contact_email=contact, effects=True
        )
        return b.enquiry_brought_to(
            enquiry,
            state,
            coordinator=coordinator,
            staff=partner_user,
            partner=partner,
            assign_user=partner_user,
            effects=True,
        )

    return _case

"""A contact's event invitations (issue 15) in the privacy requests: exported with their event, blanked on
erasure (a seat ahead given back first) and when the retention period of the case ran out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import NotVisible
from events.models import EventLog, Invitation
from events.registrations import invitations_send, registration_answer
from outbox.models import OutboxMessage
from privacy.services import contact_data_erase, contact_data_export, enquiries_anonymise_expired
from tests import builders as b
from tests.privacy.conftest import CONTACT

pytestmark = pytest.mark.django_db

NOTE = "Ich bringe Herrn Beispiel aus der Kämmerei mit, Tel. 0171 5550123"


@pytest.fixture
def full_event(coordinator, topic, submit):
    """An event ahead with one seat: the contact holds it (with a note), another address waits."""
    mine, other = submit(), submit(email="andere@gemeinde.example")
    event = b.event_created(by=coordinator, topics=[topic], capacity=1)
    invitations_send(event=event, enquiries=[mine, other], by=coordinator)
    held = Invitation.objects.get(event=event, enquiry=mine)
    waiting = Invitation.objects.get(event=event, enquiry=other)
    registration_answer(token=held.token, register=True, note=NOTE)
    registration_answer(token=waiting.token, register=True)
    return event, held, waiting


def test_the_export_lists_the_invitations_of_the_address_with_their_event(full_event):
    event, _held, _waiting = full_event

    (exported,) = contact_data_export(email=CONTACT.upper())["event_invitations"]

    assert exported["event"] == event.title and exported["event_state"] == "full"
    assert exported["state"] == "registered" and exported["registered_at"] is not None
    assert exported["event_starts_at"] == event.starts_at.isoformat()


def test_erasure_gives_the_seat_back_then_blanks_the_invitation(full_event, coordinator):
    """GIVEN the contact holds the last seat of an event ahead and another municipality waits WHEN a
    coordinator erases the contact's data THEN the seat goes to the one waiting, and the invitation keeps its
    state and dates but no name, address, note or working link."""
    _event, held, waiting = full_event
    old_token = held.token

    contact_data_erase(email=CONTACT, by=coordinator)

    held.refresh_from_db()
    waiting.refresh_from_db()
    assert waiting.state == Invitation.State.REGISTERED
    assert held.state == Invitation.State.WITHDRAWN and held.invited_at is not None
    assert (held.name, held.email) == ("", f"geloescht-{held.pk}@invalid")
    assert held.token != old_token
    with pytest.raises(NotVisible):
        registration_answer(token=old_token, register=True)
    assert not EventLog.objects.filter(comment__contains="0171").exists()
    assert not Invitation.objects.filter(email__iexact=CONTACT).exists()
    assert contact_data_export(email=CONTACT)["event_invitations"] == []
    assert OutboxMessage.objects.filter(template="event_moved_up", recipients=[waiting.email]).count() == 1


def test_two_erased_invitations_of_one_event_keep_distinct_addresses(coordinator, topic, submit):
    event = b.event_created(by=coordinator, topics=[topic])
    invitations_send(event=event, enquiries=[submit(), submit(email="zweite@gemeinde.example")], by=coordinator)

    contact_data_erase(email=CONTACT, by=coordinator)
    contact_data_erase(email="zweite@gemeinde.example", by=coordinator)

    addresses = list(Invitation.objects.filter(event=event).values_list("email", flat=True))
    assert len(set(addresses)) == 2 and all(a.startswith("geloescht-") for a in addresses)


def test_the_retention_run_blanks_the_invitations_of_the_cases_it_anonymises(closed_case, coordinator, topic):
    """GIVEN a case closed 731 days ago whose contact came to a workshop before WHEN the retention job runs
    THEN the invitation loses name and address but keeps that the municipality came."""
    enquiry = closed_case(731)
    b.event_held(
        by=coordinator,
        topics=[topic],
        starts_at=timezone.now() - timedelta(days=745),
        enquiries=[enquiry],
        attended=[enquiry],
    )
    invitation = Invitation.objects.get(enquiry=enquiry)
    assert invitation.name == "Erika Muster"

    assert enquiries_anonymise_expired() == 1

    invitation.refresh_from_db()
    assert (invitation.name, invitation.email) == ("", f"geloescht-{invitation.pk}@invalid")
    assert invitation.attended is True and invitation.state == Invitation.State.REGISTERED

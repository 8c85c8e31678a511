"""Parallel registrations for an event on PostgreSQL: the seats hold and nothing is stored twice.

Each thread has its own database connection and calls ``events.registrations.registration_answer`` at the same
moment (a barrier after the token was read); the service locks the event row, so the answers queue there.
SQLite serialises its writers anyway: these tests skip there (run them with DATABASE_URL=postgres://...).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, connections

from core.errors import Conflict
from events.models import Event, EventLog, Invitation
from events.registrations import invitations_send, registration_answer
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks of a real database (DATABASE_URL=postgres://...)")


def _at_once(n: int, call: Callable[[int], object]) -> list:
    """Run ``call(i)`` in n threads released together; each result, "conflict", or the unexpected error."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = call(i)
        except Conflict:
            results[i] = "conflict"
        except Exception as exc:  # anything else is a finding, named in the assertion
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _event_with_invitations(*, n: int, capacity: int) -> tuple[Event, list[Invitation]]:
    coordinator = f.UserFactory(username="koordination", role="coordinator")
    topic = f.TopicFactory(slug="mobilitaet")
    municipality = f.MunicipalityFactory(ags="09461000")
    enquiries = [
        b.enquiry_submitted(
            municipality=municipality,
            contact_email=f"person-{i}@gemeinde.example",
            subject=f"Parkraum Frage {i} {'x' * i}",
        )
        for i in range(n)
    ]
    event = b.event_created(by=coordinator, topics=[topic], capacity=capacity, starts_in=timedelta(days=10))
    invitations_send(event=event, enquiries=enquiries, by=coordinator)
    return event, list(Invitation.objects.filter(event=event).order_by("id"))


def test_sixteen_registrations_for_one_seat_give_one_seat_and_fifteen_on_the_waiting_list():
    """GIVEN an open event with one seat and 16 invited municipalities WHEN all 16 register at the same moment
    THEN exactly one holds the seat, 15 wait, the event is full, and it was filled once (one EventLog "fill")."""
    _postgresql_only()
    event, invitations = _event_with_invitations(n=16, capacity=1)
    tokens = [i.token for i in invitations]

    results = _at_once(16, lambda i: registration_answer(token=tokens[i], register=True).state)

    assert Counter(results) == {Invitation.State.REGISTERED: 1, Invitation.State.WAITLISTED: 15}, results
    states = Counter(Invitation.objects.filter(event=event).values_list("state", flat=True))
    assert states == {Invitation.State.REGISTERED: 1, Invitation.State.WAITLISTED: 15}
    event.refresh_from_db()
    assert event.state == Event.State.FULL
    assert EventLog.objects.filter(event=event, action="fill").count() == 1
    assert EventLog.objects.filter(event=event, action="register").count() == 16
    assert OutboxMessage.objects.filter(template="event_registered").count() == 1
    assert OutboxMessage.objects.filter(template="event_waitlisted").count() == 15


def test_one_invitation_registered_by_eight_threads_at_once_registers_once():
    """GIVEN one invitation WHEN its link is used by 8 threads at the same moment THEN one registration, the
    other seven get Conflict, and one confirmation waits in the outbox."""
    _postgresql_only()
    event, (invitation,) = _event_with_invitations(n=1, capacity=5)

    results = _at_once(8, lambda i: registration_answer(token=invitation.token, register=True).state)

    assert Counter(results) == {Invitation.State.REGISTERED: 1, "conflict": 7}, results
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REGISTERED
    assert EventLog.objects.filter(invitation=invitation, action="register").count() == 1
    assert OutboxMessage.objects.filter(template="event_registered", recipients=[invitation.email]).count() == 1
    event.refresh_from_db()
    assert event.state == Event.State.OPEN

"""Who loses a race gets 409, never 400 "not possible in this state" (issue 13, item 12).

The deterministic cases first (one request after the other, in the order a race produces), then a real race
on PostgreSQL: threads with their own connections, released by a barrier, 24 rounds.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone

from cases.models import Enquiry, TransitionLog
from cases.services import enquiry_transition
from core.errors import Conflict, GuardFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(submit, move, coordinator, partner):
    def _make(**kwargs):
        e = move(submit(**kwargs), "triage", coordinator)
        return move(e, "assign", coordinator, partner=partner.pk)

    return _make


def test_a_decline_that_reads_the_case_just_after_an_accept_won_is_a_conflict(assigned, partner_user):
    """GIVEN an assigned case WHEN one colleague accepts it and the other's decline, sent at the same moment,
    reads the case only after the accept committed (and sends no expected_state)
    THEN the decline gets Conflict (409), not "not possible in state in_progress" (400), and changes nothing."""
    e = assigned()
    enquiry_transition(enquiry=e, name="accept", by=partner_user)
    fresh = Enquiry.objects.get(pk=e.pk)
    with pytest.raises(Conflict):
        enquiry_transition(enquiry=fresh, name="decline", by=partner_user, payload={"reason": "keine Zeit"})
    assert Enquiry.objects.get(pk=e.pk).state == "in_progress"
    assert not TransitionLog.objects.filter(enquiry=e, transition="decline").exists()


def test_a_decline_that_read_the_case_before_an_accept_won_is_a_conflict(assigned, partner_user):
    """GIVEN two requests that both read the assigned case WHEN the accept commits first
    THEN the decline, re-reading the state under the row lock, gets Conflict."""
    e = assigned()
    stale = Enquiry.objects.get(pk=e.pk)
    enquiry_transition(enquiry=Enquiry.objects.get(pk=e.pk), name="accept", by=partner_user)
    with pytest.raises(Conflict):
        enquiry_transition(enquiry=stale, name="decline", by=partner_user, payload={"reason": "keine Zeit"})


def test_with_expected_state_a_stale_state_is_a_conflict_however_long_ago_it_changed(assigned, partner_user):
    """GIVEN a case accepted an hour ago WHEN a decline says it saw the case assigned THEN 409: no clock decides."""
    e = assigned()
    enquiry_transition(enquiry=e, name="accept", by=partner_user)
    with time_machine.travel(timezone.now() + timedelta(hours=1)), pytest.raises(Conflict):
        enquiry_transition(
            enquiry=Enquiry.objects.get(pk=e.pk),
            name="decline",
            by=partner_user,
            payload={"reason": "keine Zeit", "expected_state": "assigned"},
        )


def test_with_expected_state_the_state_the_caller_saw_decides_even_just_after_a_change(assigned, partner_user):
    """GIVEN a case accepted a moment ago WHEN a client that saw it in progress asks to accept it (again)
    THEN 400: the client saw the state it is in, so this is no race but a transition that state does not
    allow (before: 409, because a clock window said "just changed")."""
    e = assigned()
    enquiry_transition(enquiry=e, name="accept", by=partner_user)
    with pytest.raises(GuardFailed) as caught:
        enquiry_transition(
            enquiry=Enquiry.objects.get(pk=e.pk),
            name="accept",
            by=partner_user,
            payload={"expected_state": "in_progress"},
        )
    assert caught.value.field == "state"


def test_without_expected_state_a_transition_long_after_the_change_is_400(assigned, partner_user):
    """GIVEN a case accepted a minute ago WHEN a decline without expected_state arrives THEN 400 naming the
    state: a client that looked a minute ago did not lose a race."""
    e = assigned()
    enquiry_transition(enquiry=e, name="accept", by=partner_user)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)), pytest.raises(GuardFailed) as caught:
        enquiry_transition(
            enquiry=Enquiry.objects.get(pk=e.pk), name="decline", by=partner_user, payload={"reason": "x"}
        )
    assert caught.value.field == "state"


def test_over_http_with_expected_state_a_transition_the_state_does_not_allow_is_400(partner_client, assigned):
    """GIVEN a case accepted by one request WHEN the next request declines it, saying it saw it in progress
    THEN 400 naming the state, at once (no clock window)."""
    e = assigned()
    url = f"/api/v1/enquiries/{e.pk}/transitions/"
    assert partner_client.post(url + "accept/", {}, format="json").status_code == 200
    answer = partner_client.post(
        url + "decline/", {"reason": "keine Zeit", "expected_state": "in_progress"}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == "state"


ROUNDS = 24
THREADS = 6


def _race_round(enquiry_id: int, user, *, expected: bool) -> list[str]:
    """Half accept, half decline; each thread reads the case after the barrier (so some read it only after
    the winner committed) on its own connection."""
    barrier = threading.Barrier(THREADS)
    results: list[str] = [""] * THREADS

    def run(i: int) -> None:
        name, body = ("accept", {}) if i % 2 == 0 else ("decline", {"reason": "keine Zeit"})
        if expected:
            body = {**body, "expected_state": "assigned"}
        try:
            barrier.wait()
            enquiry_transition(enquiry=Enquiry.objects.get(pk=enquiry_id), name=name, by=user, payload=body)
            results[i] = "won"
        except Conflict:
            results[i] = "conflict"
        except Exception as exc:
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("expected", [False, True], ids=["without-expected-state", "with-expected-state"])
def test_parallel_accepts_and_declines_on_postgresql_one_wins_the_others_conflict(
    submit, move, coordinator, partner, partner_user, expected
):
    """GIVEN an assigned case in PostgreSQL, 24 times WHEN three accepts and three declines of its partner
    arrive at once (threads with their own connections) THEN exactly one wins, the five others get
    Conflict, never GuardFailed (400), and the log holds one of the two transitions."""
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL); SQLite serialises the writers in tests/cases/test_races.py")
    for n in range(ROUNDS):
        e = move(submit(email=f"runde{n}@gemeinde.example"), "triage", coordinator)
        e = move(e, "assign", coordinator, partner=partner.pk)
        results = _race_round(e.pk, partner_user, expected=expected)
        assert Counter(results) == {"won": 1, "conflict": THREADS - 1}, (n, results)
        logged = TransitionLog.objects.filter(enquiry=e, transition__in=("accept", "decline")).count()
        assert logged == 1

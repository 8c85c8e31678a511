"""Two staff members decide the same proposal at the same moment: one wins, the other gets 409."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from core.errors import Conflict
from matching.models import Match
from matching.proposals import match_decide

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_decisions_one_wins_the_other_gets_a_conflict(submit, coordinator):
    """GIVEN a proposal WHEN two coordinators decide it at the same time
    THEN exactly one decision is stored and the other request is told it lost (Conflict).

    Both reject: accepting a model project on a new case is refused before the race (400), which would not
    test the claim of the row."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks of a real database (DATABASE_URL=postgres://...)")
    from tests import factories as f

    other = f.UserFactory(username="zweite-koordination", role="coordinator")
    enquiry = submit()
    match_id = Match.objects.filter(enquiry=enquiry).values_list("pk", flat=True).first()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(user, decision):
        match = Match.objects.select_related("enquiry").get(pk=match_id)
        barrier.wait()
        try:
            match_decide(match=match, decision=decision, by=user)
            results.append("won")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # anything else is a finding, named in the assertion
            results.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(coordinator, "rejected")),
        threading.Thread(target=decide, args=(other, "rejected")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "won"]
    stored = Match.objects.get(pk=match_id)
    assert stored.decision == "rejected"
    assert stored.decided_by in (coordinator, other)

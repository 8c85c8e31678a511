"""The workspace queues (cases.queues): what each role's landing counts, in one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.followups import followup_create
from cases.queues import queue_counts, queue_enquiries, queue_get
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    return f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")


@pytest.fixture
def case_in(town, coordinator, partner, partner_user):
    def make(state: str, *, owner=None, staff=None, subject: str = "Radverkehr"):
        enquiry = b.enquiry_submitted(municipality=town, subject=subject, effects=True)
        return b.enquiry_brought_to(
            enquiry,
            state,
            coordinator=coordinator,
            staff=staff or partner_user,
            partner=owner or partner,
            effects=True,
        )

    return make


def _counts(user) -> dict[str, int]:
    return {queue.slug: count for queue, count in queue_counts(user=user)}


def test_a_coordinator_counts_each_queue_of_the_desk(case_in, coordinator, partner_user):
    """GIVEN cases that are new, to route, declined back, awaiting the municipality and in progress, and a due
    follow-up of the coordinator WHEN the coordinator's queues are counted THEN each queue counts its cases."""
    case_in("new")
    case_in("new")
    case_in("triaged")
    declined = case_in("assigned")
    b.enquiry_moved(declined, "decline", by=partner_user, reason="Nicht unser Thema", effects=True)
    case_in("awaiting_reply")
    followed = case_in("triaged")
    followup_create(enquiry=followed, by=coordinator, due_at=timezone.now() - timedelta(hours=1), note="anrufen")
    followup_create(enquiry=followed, by=coordinator, due_at=timezone.now() + timedelta(days=3), note="später")
    case_in("in_progress")

    counts = _counts(coordinator)

    assert counts == {
        "new": 2,
        "to_route": 3,  # the declined case is back without a partner
        "declined": 1,
        "awaiting": 1,
        "overdue": 0,
        "escalated": 0,
        "followups": 1,
    }


def test_a_manager_reads_the_coordinators_queues(case_in, manager):
    case_in("new")
    assert _counts(manager)["new"] == 1


def test_partner_staff_count_only_their_partners_cases(
    case_in, partner_user, other_partner, other_partner_user, coordinator
):
    """GIVEN cases of the partner newly assigned, in progress, with a reply received and awaiting the
    municipality, and cases of another partner WHEN the partner's staff's queues are counted THEN they count
    their partner's cases only, and "reply received" holds the case that got its answer."""
    case_in("assigned")
    case_in("in_progress")
    replied = case_in("awaiting_reply")
    b.enquiry_moved(replied, "receive_reply", by=None, actor="municipality", message="100.000", effects=True)
    case_in("awaiting_reply")
    case_in("assigned", owner=other_partner, staff=other_partner_user)
    case_in("in_progress", owner=other_partner, staff=other_partner_user)

    counts = _counts(partner_user)

    assert counts == {"assigned": 1, "in_progress": 2, "reply": 1, "awaiting": 1, "overdue": 0, "followups": 0}
    assert _counts(other_partner_user)["assigned"] == 1


def test_a_passed_deadline_counts_as_overdue_but_not_while_paused(case_in, coordinator):
    """GIVEN a new case and a case awaiting the municipality WHEN their deadlines pass THEN the new case is
    overdue (escalated or not) and the waiting one is not: its clock stands still."""
    new = case_in("new")
    case_in("awaiting_reply")
    later = timezone.now() + timedelta(days=60)

    counts = {q.slug: c for q, c in queue_counts(user=coordinator, now=later)}

    assert counts["overdue"] == 1
    overdue = queue_get(user=coordinator, slug="overdue")
    assert list(queue_enquiries(user=coordinator, queue=overdue, now=later)) == [new]


def test_an_escalated_case_is_in_the_escalated_queue(case_in, coordinator):
    from cases.deadlines import deadlines_escalate_all

    enquiry = case_in("new")
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        assert deadlines_escalate_all() >= 1
        counts = _counts(coordinator)
    assert counts["escalated"] == 1
    assert counts["overdue"] == 1
    assert enquiry.pk in queue_enquiries(
        user=coordinator, queue=queue_get(user=coordinator, slug="escalated")
    ).values_list("pk", flat=True)


def test_the_counts_take_one_query_whatever_the_number_of_queues(case_in, coordinator, django_assert_num_queries):
    case_in("new")
    _counts(coordinator)  # the role is read once per request and kept on the user
    with django_assert_num_queries(1):
        _counts(coordinator)


def test_a_user_without_a_role_has_no_queues(db):
    assert queue_counts(user=f.UserFactory(username="niemand")) == []

"""The workspace's queues (SPEC section 9, landing ``/intern/``): per role a list of named filters over the cases
the user may see (``cases.selectors.enquiries_visible_to``).

Coordinators (and managers, who read): new, to route, declined back, awaiting the municipality, overdue,
escalated, my follow-ups due. Partner staff: newly assigned, in progress, reply received, awaiting the
municipality, overdue, my follow-ups due. "Declined back" and "reply received" read ``last_transition``
(written by ``cases.services.transition_record``): a case leaves them with its next transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.deadlines import DEADLINES
from cases.models import OPEN_STATES, Enquiry, FollowUp, State
from cases.selectors import enquiries_visible_to
from core.roles import is_coordinator, is_manager, is_partner_staff


@dataclass(frozen=True)
class Queue:
    slug: str
    label: str | Promise
    condition: Callable[[Any, datetime], Q]


def overdue_q(now: datetime) -> Q:
    """A deadline of ``cases.deadlines.DEADLINES`` passed and not met, the clock not paused (escalated or not)."""
    passed = Q()
    for due_field, _breached, states, met_field in DEADLINES.values():
        one = Q(**{f"{due_field}__lt": now, "state__in": states})
        if met_field:
            one &= Q(**{f"{met_field}__isnull": True})
        passed |= one
    return passed & Q(paused_at__isnull=True)


def _followups_due(user: Any, now: datetime) -> Q:
    # IN (subquery), not EXISTS: the user's few due follow-ups are read once (a hashed subplan), not probed
    # once per open case when the landing counts
    due = FollowUp.objects.filter(assignee=user, done_at__isnull=True, due_at__lte=now)
    return Q(pk__in=due.values("enquiry_id"))


NEW = Queue("new", _("Neu"), lambda user, now: Q(state=State.NEW))
TO_ROUTE = Queue("to_route", _("Zu verteilen"), lambda user, now: Q(state=State.TRIAGED, assigned_partner=None))
DECLINED = Queue(
    "declined", _("Von Partnern abgelehnt"), lambda user, now: Q(state=State.TRIAGED, last_transition="decline")
)
AWAITING = Queue("awaiting", _("Warten auf die Kommune"), lambda user, now: Q(state=State.AWAITING_REPLY))
OVERDUE = Queue("overdue", _("Überfällig"), lambda user, now: overdue_q(now))
ESCALATED = Queue(
    "escalated",
    _("Eskaliert"),
    lambda user, now: Q(escalated_at__isnull=False, state__in=OPEN_STATES),
)
FOLLOWUPS = Queue("followups", _("Meine fälligen Wiedervorlagen"), _followups_due)
ASSIGNED = Queue("assigned", _("Neu zugewiesen"), lambda user, now: Q(state=State.ASSIGNED))
IN_PROGRESS = Queue("in_progress", _("In Bearbeitung"), lambda user, now: Q(state=State.IN_PROGRESS))
REPLY = Queue(
    "reply",
    _("Antwort eingegangen"),
    lambda user, now: Q(state=State.IN_PROGRESS, last_transition="receive_reply"),
)

COORDINATOR_QUEUES = (NEW, TO_ROUTE, DECLINED, AWAITING, OVERDUE, ESCALATED, FOLLOWUPS)
PARTNER_QUEUES = (ASSIGNED, IN_PROGRESS, REPLY, AWAITING, OVERDUE, FOLLOWUPS)


def queues_for(*, user: Any) -> tuple[Queue, ...]:
    """The queues of this user's role; none for a user without one."""
    if is_coordinator(user) or is_manager(user):
        return COORDINATOR_QUEUES
    if is_partner_staff(user):
        return PARTNER_QUEUES
    return ()


def queue_get(*, user: Any, slug: str) -> Queue | None:
    return next((queue for queue in queues_for(user=user) if queue.slug == slug), None)


def queue_enquiries(*, user: Any, queue: Queue, now: datetime | None = None) -> QuerySet[Enquiry]:
    return enquiries_visible_to(user=user).filter(queue.condition(user, now or timezone.now()))


# a queue is counted up to here: above it the landing says "mehr als 10.000". The count costs at most this many
# index entries per queue, however many cases are open (a backlog of a million open cases included).
COUNT_EXACT_UP_TO = 10_000


def queue_counts(*, user: Any, now: datetime | None = None) -> list[tuple[Queue, int]]:
    """Every queue of the user with its count, in one query of one bounded subquery per queue: each counts the
    queue's open cases up to ``COUNT_EXACT_UP_TO`` + 1, so a count above ``COUNT_EXACT_UP_TO`` means "more than
    that" and the landing's cost does not grow with the open cases."""
    queues = queues_for(user=user)
    if not queues:
        return []
    now = now or timezone.now()
    # every queue holds open cases only: the open ones are few among the years of closed ones (an index on state)
    visible = enquiries_visible_to(user=user).filter(state__in=OPEN_STATES)
    parts, params = [], []
    for queue in queues:
        ids = visible.filter(queue.condition(user, now)).order_by().values("pk")[: COUNT_EXACT_UP_TO + 1]
        try:
            sql, part_params = ids.query.sql_with_params()
        except EmptyResultSet:
            parts.append("0")
            continue
        # the SQL compiled by the ORM, its values passed as parameters
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {connection.ops.quote_name(queue.slug)})")  # noqa: S608
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        counts = cursor.fetchone()
    return [(queue, int(count)) for queue, count in zip(queues, counts, strict=True)]


def next_deadline(*, enquiry: Enquiry) -> tuple[str, datetime] | None:
    """The earliest deadline of ``cases.deadlines.DEADLINES`` not yet met, as ``(name, due)``; None when none
    is pending. (While paused it is still returned: the caller says "angehalten".)"""
    pending = [
        (name, getattr(enquiry, due_field))
        for name, (due_field, _breached, states, met_field) in DEADLINES.items()
        if enquiry.state in states
        and getattr(enquiry, due_field) is not None
        and not (met_field and getattr(enquiry, met_field) is not None)
    ]
    return min(pending, key=lambda item: item[1]) if pending else None

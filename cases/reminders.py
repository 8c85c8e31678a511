"""Periodic reminders: follow-ups (Wiedervorlagen) that fell due, and enquiries waiting for the municipality
(reminder after 7 days in awaiting_reply, closing as no_reply after 21). Each effect happens once: the row is
claimed with a compare-and-swap UPDATE before anything is sent.

A case is only closed after its reminder went out and the municipality had the 14 days the reminder promises
(21 - 7): when the job did not run for a while (outage, first start over old data), a case waiting longer than
21 days is first reminded, not closed without warning."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import CloseReason, Enquiry, FollowUp, State
from core.errors import DomainError

logger = logging.getLogger(__name__)


def followups_due_ids(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    due = FollowUp.objects.filter(done_at=None, reminded_at=None, due_at__lte=now).order_by("due_at", "id")
    return list(due.values_list("id", flat=True))


def followup_remind(*, follow_up_id: int, now: datetime | None = None) -> bool:
    """Remind the assignee of one due follow-up, once.

    1. Claim: UPDATE follow-up SET reminded_at=now WHERE id=.. AND reminded_at IS NULL AND not done.
    2. In the same transaction the e-mail to the assignee (or the case's handler) goes into the outbox, and
       their workspace notification is written after commit.
    """
    from cases.inbox import notify_followup_due
    from cases.links import staff_url
    from cases.notifications import handler_emails
    from outbox.services import outbox_enqueue

    now = now or timezone.now()
    with transaction.atomic():
        claimed = FollowUp.objects.filter(id=follow_up_id, reminded_at=None, done_at=None, due_at__lte=now).update(
            reminded_at=now
        )
        if claimed != 1:
            return False
        follow_up = FollowUp.objects.select_related("enquiry", "assignee").get(id=follow_up_id)
        enquiry = follow_up.enquiry
        if follow_up.assignee_id and follow_up.assignee.email:
            recipients = [follow_up.assignee.email]
        else:
            recipients = handler_emails(enquiry)
        outbox_enqueue(
            to=recipients,
            template="followup_due",
            context={"follow_up": follow_up, "enquiry": enquiry, "staff_url": staff_url(enquiry)},
            enquiry=enquiry,
        )
        notify_followup_due(follow_up=follow_up)
    return True


def followups_remind_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(followup_remind(follow_up_id=follow_up_id, now=now) for follow_up_id in followups_due_ids(now=now))


def _grace() -> timedelta:
    """Time between the reminder and closing: what the reminder announces."""
    days = settings.KTS_DEADLINES
    return timedelta(days=days["awaiting_close_days"] - days["awaiting_reminder_days"])


def _reminder_due(now: datetime) -> Q:
    """Waiting for the reminder's number of days and not yet reminded in this round."""
    cutoff = now - timedelta(days=settings.KTS_DEADLINES["awaiting_reminder_days"])
    return Q(state=State.AWAITING_REPLY, paused_at__lte=cutoff, awaiting_reminder_sent_at=None)


def _close_due(now: datetime) -> Q:
    """Waiting for the closing's number of days, and the reminder went out a full grace period ago."""
    cutoff = now - timedelta(days=settings.KTS_DEADLINES["awaiting_close_days"])
    return Q(state=State.AWAITING_REPLY, paused_at__lte=cutoff, awaiting_reminder_sent_at__lte=now - _grace())


def awaiting_reminder_send(*, enquiry_id: int, now: datetime | None = None) -> bool:
    """Remind the municipality once per round of waiting (the claim column is cleared on entering
    awaiting_reply again, see cases.deadlines)."""
    from cases.links import status_url
    from outbox.services import outbox_enqueue

    now = now or timezone.now()
    with transaction.atomic():
        claimed = Enquiry.objects.filter(_reminder_due(now), id=enquiry_id).update(awaiting_reminder_sent_at=now)
        if claimed != 1:
            return False
        enquiry = Enquiry.objects.get(id=enquiry_id)
        close_days = settings.KTS_DEADLINES["awaiting_close_days"]
        outbox_enqueue(
            to=enquiry.contact_email,
            template="awaiting_reminder",
            context={
                "enquiry": enquiry,
                "status_url": status_url(enquiry),
                # a late reminder (job not run for a while) still gives the full grace period
                "close_on": max(enquiry.paused_at + timedelta(days=close_days), now + _grace()),
            },
            enquiry=enquiry,
        )
    return True


def close_by_system(*, enquiry: Enquiry, reason: str) -> bool:
    """Close a case as the system through the normal service (TransitionLog, timeline, e-mail); quietly nothing
    (False, logged) when it moved on in the meantime or the close is refused."""
    from django_fsm import ConcurrentTransition, TransitionNotAllowed

    from cases.services import enquiry_transition

    try:
        with transaction.atomic():
            enquiry_transition(enquiry=enquiry, name="close", by=None, actor="system", payload={"reason": reason})
    except (DomainError, TransitionNotAllowed, ConcurrentTransition) as exc:
        logger.info("enquiry %s not closed as %s: %s", enquiry.pk, reason, exc)
        return False
    return True


def awaiting_close_no_reply(*, enquiry_id: int, now: datetime | None = None) -> bool:
    """Close a case that waited 21 days, through the normal service (TransitionLog, timeline, e-mail). A case
    that moved on in the meantime (reply came in, another worker closed it) is left alone."""
    now = now or timezone.now()
    enquiry = Enquiry.objects.filter(_close_due(now), id=enquiry_id).first()
    if enquiry is None:
        return False
    return close_by_system(enquiry=enquiry, reason=CloseReason.NO_REPLY)


def awaiting_process(*, now: datetime | None = None) -> tuple[int, int]:
    """The periodic job: (reminders sent, cases closed)."""
    now = now or timezone.now()
    to_close = list(Enquiry.objects.filter(_close_due(now)).values_list("id", flat=True))
    closed = sum(awaiting_close_no_reply(enquiry_id=enquiry_id, now=now) for enquiry_id in to_close)
    to_remind = list(Enquiry.objects.filter(_reminder_due(now)).values_list("id", flat=True))
    reminded = sum(awaiting_reminder_send(enquiry_id=enquiry_id, now=now) for enquiry_id in to_remind)
    return reminded, closed

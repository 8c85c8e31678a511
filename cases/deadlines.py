"""Deadlines per enquiry (SPEC section 3) and their escalation.

Set at submission in working days of the enquirer's Bundesland (first response 2, assignment 5, resolution
30; KTS_DEADLINES). While the enquiry is in awaiting_reply the clock stops: ``paused_at`` is set on entering,
and on leaving every deadline not yet met moves forward by the time spent waiting (``waiting_seconds`` adds
it up for statistics). A breach found by the periodic job escalates the case once per deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.calendar import add_working_days
from cases.events import enquiry_changed_send
from cases.inbox import coordinator_users
from cases.models import Activity, Enquiry, Priority, State

# deadline name -> (due field, breached field, states in which it can still be missed, field that meets it)
DEADLINES: dict[str, tuple[str, str, list[str], str]] = {
    "first_response": (
        "first_response_due",
        "first_response_breached_at",
        [State.NEW, State.TRIAGED, State.ASSIGNED],
        "first_response_at",
    ),
    "assignment": ("assignment_due", "assignment_breached_at", [State.NEW, State.TRIAGED], "assigned_at"),
    "resolution": (
        "resolution_due",
        "resolution_breached_at",
        [State.NEW, State.TRIAGED, State.ASSIGNED, State.IN_PROGRESS],
        "",
    ),
}

DEADLINE_LABELS = {
    "first_response": gettext_lazy("erste Reaktion"),
    "assignment": gettext_lazy("Zuweisung"),
    "resolution": gettext_lazy("Erledigung"),
}


def _days(name: str) -> int:
    return settings.KTS_DEADLINES[f"{name}_working_days"]


def deadlines_initial(enquiry: Enquiry) -> None:
    """The deadlines of a new case, counted in working days from its submission in its Land (not saved)."""
    start = enquiry.created_at or timezone.now()
    bundesland = enquiry.municipality.bundesland
    enquiry.first_response_due = add_working_days(start, _days("first_response"), bundesland=bundesland)
    enquiry.assignment_due = add_working_days(start, _days("assignment"), bundesland=bundesland)
    enquiry.resolution_due = add_working_days(start, _days("resolution"), bundesland=bundesland)


def deadlines_after_transition(
    *, enquiry: Enquiry, transition: str, from_state: str, to_state: str, **kwargs: Any
) -> None:
    """Set, pause and shift the deadlines. Runs inside the transaction of the state change."""
    now = timezone.now()
    fields: list[str] = []
    if transition == "submit" and enquiry.resolution_due is None:
        # the intake sets them before its insert (deadlines_initial); another creator of a case gets them here
        deadlines_initial(enquiry)
        fields += ["first_response_due", "assignment_due", "resolution_due"]
    if to_state == State.AWAITING_REPLY and from_state != State.AWAITING_REPLY:
        enquiry.paused_at = now
        # a new round of waiting gets its own reminder
        enquiry.awaiting_reminder_sent_at = None
        fields += ["paused_at", "awaiting_reminder_sent_at"]
    elif from_state == State.AWAITING_REPLY and to_state != State.AWAITING_REPLY and enquiry.paused_at:
        waited = max(now - enquiry.paused_at, timedelta(0))
        enquiry.waiting_seconds = (enquiry.waiting_seconds or 0) + int(waited.total_seconds())
        for due_field in ("first_response_due", "assignment_due", "resolution_due"):
            due = getattr(enquiry, due_field)
            if due is not None:
                setattr(enquiry, due_field, due + waited)
        enquiry.paused_at = None
        fields += ["waiting_seconds", "first_response_due", "assignment_due", "resolution_due", "paused_at"]
    if transition == "reopen":
        # A reopened case is routed afresh (the service clears the assignment): fresh assignment and
        # resolution deadlines, and it can be escalated for them again.
        bundesland = enquiry.municipality.bundesland
        enquiry.assignment_due = add_working_days(now, _days("assignment"), bundesland=bundesland)
        enquiry.resolution_due = add_working_days(now, _days("resolution"), bundesland=bundesland)
        enquiry.assignment_breached_at = None
        enquiry.resolution_breached_at = None
        fields += ["assignment_due", "resolution_due", "assignment_breached_at", "resolution_breached_at"]
    if fields:
        # An UPDATE of only these columns: the state change itself is saved by the workflow service.
        Enquiry.objects.filter(pk=enquiry.pk).update(**{name: getattr(enquiry, name) for name in set(fields)})


def _breached(*, name: str, now: datetime) -> Q:
    """Deadline ``name`` has passed, the case is not paused and not yet escalated for it."""
    due_field, breached_field, states, met_field = DEADLINES[name]
    query = Q(**{f"{due_field}__lt": now, f"{breached_field}__isnull": True, "state__in": states, "paused_at": None})
    if met_field:
        query &= Q(**{f"{met_field}__isnull": True})
    return query


def breached_enquiry_ids(*, name: str, now: datetime | None = None) -> list[int]:
    """Open enquiries whose deadline ``name`` has passed, not paused, not yet escalated for it."""
    now = now or timezone.now()
    return list(Enquiry.objects.filter(_breached(name=name, now=now)).order_by("id").values_list("id", flat=True))


def deadline_escalate(*, enquiry_id: int, name: str, now: datetime | None = None) -> bool:
    """Escalate one breach once. Returns True when this call escalated it.

    1. Claim: UPDATE enquiry SET <deadline>_breached_at=now WHERE id=.. AND <deadline>_breached_at IS NULL
       AND the breach still holds; 0 rows means another worker did it, or the case moved on.
    2. In the same transaction: escalated_at (first time), priority one step up, a timeline entry and the
       e-mail to the coordinators (outbox).
    """
    from cases.links import staff_url
    from outbox.services import outbox_enqueue

    now = now or timezone.now()
    due_field, breached_field, _states, _met_field = DEADLINES[name]
    with transaction.atomic():
        claimed = Enquiry.objects.filter(_breached(name=name, now=now), id=enquiry_id).update(
            **{breached_field: now}, priority=Least(F("priority") + 1, Priority.URGENT)
        )
        if claimed != 1:
            return False
        Enquiry.objects.filter(id=enquiry_id, escalated_at=None).update(escalated_at=now)
        enquiry_changed_send(enquiry_ids=[enquiry_id], what="escalated")
        enquiry = Enquiry.objects.select_related("municipality").get(id=enquiry_id)
        label = DEADLINE_LABELS[name]
        Activity.objects.create(
            enquiry=enquiry,
            kind=Activity.Kind.SYSTEM,
            actor="system",
            text=_("Frist „%(deadline)s“ überschritten (fällig %(due)s); Anfrage eskaliert.")
            % {
                "deadline": str(label),
                "due": timezone.localtime(getattr(enquiry, due_field)).strftime("%d.%m.%Y %H:%M"),
            },
            at=now,
        )
        outbox_enqueue(
            to=coordinator_emails(),
            template="escalation",
            # the template links to the case; without staff_url the e-mail had an empty line instead
            context={
                "enquiry": enquiry,
                "deadline": label,
                "due": getattr(enquiry, due_field),
                "staff_url": staff_url(enquiry),
            },
            enquiry=enquiry,
        )
    return True


def deadlines_escalate_all(*, now: datetime | None = None) -> int:
    """The periodic job: every breach of every deadline escalated once."""
    now = now or timezone.now()
    count = 0
    for name in DEADLINES:
        for enquiry_id in breached_enquiry_ids(name=name, now=now):
            count += deadline_escalate(enquiry_id=enquiry_id, name=name, now=now)
    return count


def coordinator_emails() -> list[str]:
    return sorted(set(coordinator_users().exclude(email="").values_list("email", flat=True)))

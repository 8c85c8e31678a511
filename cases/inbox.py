"""Workspace notifications: what is new for a staff user. Written after the change commits (a notification of
a change that rolled back would point at nothing), never for the user who acted.

| event | to whom | where it is hooked |
| --- | --- | --- |
| receive_reply | the handler: assigned user, else the partner's staff, else the coordinators | transition_happened |
| assign | the assigned partner's staff | transition_happened |
| decline | the coordinators | transition_happened |
| reopen | the user who last worked on the case, and the coordinators (who route it afresh) | transition_happened |
| follow-up due | the follow-up's assignee, else the handler | cases.reminders.followup_remind |
| introduction answered | the handler | matching.introductions.introduction_answer |
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.models import Enquiry, Notification, TransitionLog
from core.roles import COORDINATOR, PARTNER, partner_of

logger = logging.getLogger(__name__)

NOTIFICATIONS_SHOWN = 200


def coordinator_users() -> QuerySet:
    return get_user_model().objects.filter(groups__name=COORDINATOR, is_active=True)


def partner_staff_users(partner_id: int | None) -> QuerySet:
    if partner_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(membership__partner_id=partner_id, groups__name=PARTNER, is_active=True)


def handler_user_ids(enquiry: Enquiry) -> list[int]:
    """Who works on the case now: the assigned user, else the assigned partner's staff, else the coordinators
    (the same order as the e-mails of cases.notifications.handler_emails)."""
    if enquiry.assigned_user_id:
        return [enquiry.assigned_user_id]
    if enquiry.assigned_partner_id:
        staff = list(partner_staff_users(enquiry.assigned_partner_id).values_list("pk", flat=True))
        if staff:
            return staff
    return list(coordinator_users().values_list("pk", flat=True))


def previous_handler_id(enquiry: Enquiry) -> int | None:
    """The user who last took the case on or resolved it (reopen clears the assignment, not this history)."""
    log = (
        TransitionLog.objects.filter(enquiry=enquiry, transition__in=["accept", "resolve"], by_user__isnull=False)
        .order_by("-at", "-id")
        .first()
    )
    return log.by_user_id if log is not None else None


def reopen_recipient_ids(enquiry: Enquiry) -> list[int]:
    ids = list(coordinator_users().values_list("pk", flat=True))
    previous = previous_handler_id(enquiry)
    return [previous, *ids] if previous is not None else ids


def notifications_create(
    *, recipient_ids: Iterable[int], enquiry: Enquiry, kind: str, text: str, actor: Any = None
) -> None:
    """Write one notification per recipient (not the actor) after the caller's transaction commits. A failure
    there is logged and does not undo the change that caused it."""
    skip = getattr(actor, "pk", None)
    ids = sorted({pk for pk in recipient_ids if pk is not None and pk != skip})
    if not ids:
        return
    enquiry_id = enquiry.pk

    def write() -> None:
        now = timezone.now()
        Notification.objects.bulk_create(
            [Notification(recipient_id=pk, enquiry_id=enquiry_id, kind=kind, text=text, created_at=now) for pk in ids]
        )

    transaction.on_commit(write, robust=True)


def _text(kind: str, enquiry: Enquiry, **extra: Any) -> str:
    """The notification's German sentence (the office's language, whoever's request caused it)."""
    muni = enquiry.municipality.short_name if enquiry.municipality_id else ""
    values = {"ref": enquiry.reference, "muni": muni, **extra}
    with override("de"):
        texts = {
            Notification.Kind.REPLY_RECEIVED: _("%(muni)s hat zur Anfrage %(ref)s geantwortet."),
            Notification.Kind.ASSIGNED: _("Die Anfrage %(ref)s (%(muni)s) wurde Ihrem Partner zugewiesen."),
            Notification.Kind.DECLINED: _("%(partner)s hat die Anfrage %(ref)s (%(muni)s) abgelehnt: %(reason)s"),
            Notification.Kind.REOPENED: _("Die Anfrage %(ref)s (%(muni)s) wurde wieder geöffnet."),
            Notification.Kind.FOLLOWUP_DUE: _("Wiedervorlage zur Anfrage %(ref)s ist fällig: %(note)s"),
            Notification.Kind.INTRODUCTION_ANSWERED: _("%(project)s hat die Kontaktvermittlung zu %(ref)s %(answer)s."),
        }
        return (texts[kind] % values).strip().removesuffix(":").strip()


def inbox_after_transition(
    *, enquiry: Enquiry, transition: str, by_user: Any = None, payload: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    """The receiver of cases.events.transition_happened."""
    payload = payload or {}
    if transition == "receive_reply":
        recipients = handler_user_ids(enquiry)
        kind = Notification.Kind.REPLY_RECEIVED
        text = _text(kind, enquiry)
    elif transition == "assign":
        recipients = list(partner_staff_users(enquiry.assigned_partner_id).values_list("pk", flat=True))
        kind = Notification.Kind.ASSIGNED
        text = _text(kind, enquiry)
    elif transition == "decline":
        partner = payload.get("partner")
        if partner is None and by_user is not None:
            partner = partner_of(by_user)
        recipients = list(coordinator_users().values_list("pk", flat=True))
        kind = Notification.Kind.DECLINED
        text = _text(kind, enquiry, partner=str(partner or _("Der Partner")), reason=payload.get("reason", ""))
    elif transition == "reopen":
        recipients = reopen_recipient_ids(enquiry)
        kind = Notification.Kind.REOPENED
        text = _text(kind, enquiry)
    else:
        return
    notifications_create(recipient_ids=recipients, enquiry=enquiry, kind=kind, text=text, actor=by_user)


def notify_followup_due(*, follow_up: Any) -> None:
    """In the reminder job's transaction: the assignee (else the case's handler) is told."""
    enquiry = follow_up.enquiry
    recipients = [follow_up.assignee_id] if follow_up.assignee_id else handler_user_ids(enquiry)
    kind = Notification.Kind.FOLLOWUP_DUE
    notifications_create(
        recipient_ids=recipients, enquiry=enquiry, kind=kind, text=_text(kind, enquiry, note=follow_up.note)
    )


def notify_introduction_answered(*, enquiry: Enquiry, project_name: str, accepted: bool) -> None:
    """In the answer's transaction: the case's handler is told (the model project has no account)."""
    kind = Notification.Kind.INTRODUCTION_ANSWERED
    with override("de"):
        answer = _("angenommen") if accepted else _("abgelehnt")
    text = _text(kind, enquiry, project=project_name, answer=answer)
    notifications_create(recipient_ids=handler_user_ids(enquiry), enquiry=enquiry, kind=kind, text=text)


# --- reading and marking ------------------------------------------------------------------------------------


def notifications_unread_count(user: Any) -> int:
    """One query on the partial index of unread rows."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (the latest NOTIFICATIONS_SHOWN)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .select_related("enquiry")
        .order_by("-created_at", "-id")[:NOTIFICATIONS_SHOWN]
    )


def notifications_mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (only ``ids``, when given); returns how many."""
    if user is None or not user.is_authenticated:
        return 0
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notifications_mark_seen(*, user: Any, enquiry: Enquiry) -> int:
    """The user opened this case: its notifications are read."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, enquiry=enquiry, read_at=None).update(read_at=timezone.now())

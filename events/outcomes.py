"""After the event: who came, and the cases of the attending municipalities resolved with the outcome
``exchange_held`` through the resolve service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import OutcomeCategory, State
from core.errors import DomainError, GuardFailed, NotAllowed
from events.models import Event, Invitation
from events.records import (
    I,
    event_locked,
    log_write,
    timeline_add,
    when_text,
)
from events.transitions import may_organise


def attendance_record(*, event: Event, attended: Iterable[int], by: Any) -> int:
    """Record who came: the invitations in ``attended`` (ids) came, every other registered one did not.
    Returns how many came."""
    if not may_organise(by):
        raise NotAllowed(_("Die Teilnahme erfassen nur Koordinatorinnen und Koordinatoren."))
    ids = {int(i) for i in attended}
    now = timezone.now()
    with transaction.atomic():
        event = event_locked(event)
        if event.state != Event.State.HELD:
            raise GuardFailed(_("Die Teilnahme wird erfasst, wenn die Veranstaltung durchgeführt ist."), field="state")
        candidates = {i.pk: i for i in event.invitations.filter(state__in=[I.REGISTERED, I.WAITLISTED, I.INVITED])}
        unknown = ids - set(candidates)
        if unknown:
            raise GuardFailed(
                _("Unbekannte Einladung: %(ids)s") % {"ids": ", ".join(map(str, sorted(unknown)))}, field="attended"
            )
        came = 0
        for invitation in candidates.values():
            was = invitation.attended
            now_attended = invitation.pk in ids
            if invitation.state != I.REGISTERED and not now_attended and was is None:
                continue  # invited or waiting and not there: nothing to record
            came += now_attended
            if was == now_attended:
                continue
            invitation.attended = now_attended
            invitation.attendance_recorded_at = now
            invitation.save(update_fields=["attended", "attendance_recorded_at"])
            log_write(
                event=event,
                invitation=invitation,
                action="attendance",
                by=by,
                now=now,
                to_state="attended" if now_attended else "absent",
            )
            if now_attended:
                timeline_add(
                    enquiry_id=invitation.enquiry_id,
                    by=by,
                    now=now,
                    text=_("Hat an der Veranstaltung „%(title)s“ teilgenommen.") % {"title": event.title},
                )
    return came


def invitation_resolvable(*, invitation: Invitation, event: Event, topic_ids: set[int]) -> bool:
    """A case that came to the event on its topic and is being worked on can be resolved as exchange_held."""
    enquiry = invitation.enquiry
    return (
        invitation.attended is True
        and invitation.resolved_at is None
        and enquiry is not None
        and enquiry.state == State.IN_PROGRESS
        and bool(topic_ids & {t.pk for t in enquiry.topics.all()})
    )


@dataclass
class ResolveResult:
    resolved: list[Invitation]
    skipped: list[tuple[Invitation, str]]


def event_resolve_cases(*, event: Event, by: Any, invitation_ids: Iterable[int] | None = None) -> ResolveResult:
    """Resolve the cases of attending municipalities with the outcome ``exchange_held`` through the resolve
    service (its rights apply: the assigned partner's staff), one case or all. Each case in its own
    transaction: one that cannot be resolved is reported and does not hold the others back."""
    from cases.services import enquiry_resolve

    if event.state != Event.State.HELD:
        raise GuardFailed(_("Fälle werden nach der Veranstaltung gelöst."), field="state")
    topic_ids = set(event.topics.values_list("pk", flat=True))
    chosen = event.invitations.filter(attended=True).select_related("enquiry").prefetch_related("enquiry__topics")
    if invitation_ids is not None:
        chosen = chosen.filter(pk__in=list(invitation_ids))
    result = ResolveResult(resolved=[], skipped=[])
    notes = _("Austausch in der Veranstaltung „%(title)s“ am %(when)s.") % {
        "title": event.title,
        "when": when_text(event),
    }
    for invitation in chosen:
        if not invitation_resolvable(invitation=invitation, event=event, topic_ids=topic_ids):
            result.skipped.append((invitation, _("nicht in Bearbeitung, nicht zum Thema oder schon gelöst")))
            continue
        try:
            with transaction.atomic():
                enquiry_resolve(
                    enquiry=invitation.enquiry,
                    by=by,
                    category=OutcomeCategory.EXCHANGE_HELD,
                    notes=notes,
                    expected_state=State.IN_PROGRESS,
                )
                Invitation.objects.filter(pk=invitation.pk).update(resolved_at=timezone.now())
                log_write(
                    event=event,
                    invitation=invitation,
                    action="resolve_case",
                    by=by,
                    now=timezone.now(),
                    to_state=OutcomeCategory.EXCHANGE_HELD,
                )
        except DomainError as exc:
            result.skipped.append((invitation, str(exc.message)))
            continue
        result.resolved.append(invitation)
    return result

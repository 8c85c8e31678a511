"""Invitations and registration: the municipalities invited by e-mail with a personal link register or
decline there, a waiting list takes who comes when every seat is taken, and the reminder goes out the day
before. Registration and withdrawal lock the event row first, so that the seats hold under parallel answers
(one seat, many clicks: one registered, the others on the waiting list)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Enquiry
from core.errors import Conflict, DomainError, GuardFailed, NotAllowed, NotVisible
from core.tokens import token_shaped
from events.ics import event_calendar_attachment
from events.links import registration_url
from events.models import Event, Invitation
from events.records import (
    ANSWERABLE_EVENT_STATES,
    I,
    event_locked,
    log_write,
    note_clean,
    timeline_add,
    when_text,
)
from events.selectors import seats_taken
from events.transitions import MUNICIPALITY, SYSTEM, may_organise
from outbox.services import outbox_enqueue

MAX_INVITATIONS = 500


@dataclass
class InvitationResult:
    invited: list[Invitation]
    skipped: list[tuple[Enquiry, str]]


def invitations_send(*, event: Event, enquiries: Iterable[Enquiry], by: Any) -> InvitationResult:
    """Invite the contacts of these enquiries (the group's, and others the coordinator chose) by e-mail with a
    personal link. One invitation per address and event: an address invited before is skipped, as is an
    enquiry without a contact address (anonymised)."""
    if not may_organise(by):
        raise NotAllowed(_("Einladungen versenden nur Koordinatorinnen und Koordinatoren."))
    enquiries = list(enquiries)
    if not enquiries:
        raise GuardFailed(_("Bitte mindestens eine Anfrage wählen."), field="enquiries")
    if len(enquiries) > MAX_INVITATIONS:
        raise GuardFailed(_("Höchstens %(n)d Einladungen auf einmal.") % {"n": MAX_INVITATIONS}, field="enquiries")
    now = timezone.now()
    result = InvitationResult(invited=[], skipped=[])
    with transaction.atomic():
        event = event_locked(event)
        if event.state not in ANSWERABLE_EVENT_STATES:
            raise GuardFailed(
                _("Einladungen sind erst möglich, wenn die Anmeldung geöffnet ist (Status „%(state)s“).")
                % {"state": Event.State(event.state).label},
                field="state",
            )
        if event.registration_deadline <= now:
            raise GuardFailed(_("Der Anmeldeschluss ist schon vorbei."), field="registration_deadline")
        known = {e.lower() for e in event.invitations.values_list("email", flat=True)}
        for enquiry in enquiries:
            address = (enquiry.contact_email or "").strip()
            if not address:
                result.skipped.append((enquiry, _("keine Kontaktadresse (anonymisiert)")))
                continue
            if address.lower() in known:
                result.skipped.append((enquiry, _("bereits eingeladen")))
                continue
            known.add(address.lower())
            invitation = Invitation.objects.create(
                event=event,
                municipality_id=enquiry.municipality_id,
                enquiry=enquiry,
                name=enquiry.contact_name,
                email=address,
                invited_at=now,
            )
            log_write(event=event, invitation=invitation, action="invite", to_state=invitation.state, by=by, now=now)
            timeline_add(
                enquiry_id=enquiry.pk,
                text=_("Zur Veranstaltung „%(title)s“ am %(when)s eingeladen.")
                % {"title": event.title, "when": when_text(event)},
                by=by,
                now=now,
            )
            outbox_enqueue(
                to=address,
                template="event_invitation",
                context={
                    "event": event,
                    "invitation": invitation,
                    "when": when_text(event),
                    "registration_url": registration_url(token=invitation.token),
                },
                enquiry=enquiry,
            )
            result.invited.append(invitation)
        event.enquiries.add(*[i.enquiry for i in result.invited])
    return result


def invitation_get_by_token(*, token: Any) -> Invitation:
    if not token_shaped(token):
        raise NotVisible(_("Einladung nicht gefunden."))
    invitation = Invitation.objects.filter(token=token).select_related("event", "municipality", "enquiry").first()
    if invitation is None:
        raise NotVisible(_("Einladung nicht gefunden."))
    return invitation


def _refusal(*, event: Event, now: datetime) -> DomainError | None:
    if event.state == Event.State.CANCELLED:
        return GuardFailed(_("Diese Veranstaltung wurde abgesagt."), field="state")
    if event.state == Event.State.HELD or event.starts_at <= now:
        return GuardFailed(_("Diese Veranstaltung hat bereits stattgefunden."), field="state")
    if event.state == Event.State.PLANNED:
        return GuardFailed(_("Die Anmeldung ist noch nicht geöffnet."), field="state")
    if event.registration_deadline <= now:
        return GuardFailed(_("Der Anmeldeschluss ist vorbei."), field="registration_deadline")
    return None


def registration_refusal(*, invitation: Invitation, now: datetime | None = None) -> DomainError | None:
    """Why this invitation cannot be answered now (the error the page shows), or None."""
    return _refusal(event=invitation.event, now=now or timezone.now())


def access_link_shown(*, invitation: Invitation) -> str:
    """The online event's access link as the municipality's page and API show it: only once registered (the
    e-mails carry it then too), never for a cancelled event."""
    event = invitation.event
    registered = invitation.state == Invitation.State.REGISTERED
    return event.online_url if registered and event.state != Event.State.CANCELLED else ""


def _confirm(*, invitation: Invitation, event: Event, template: str) -> None:
    attachments = [event_calendar_attachment(event=event)] if template != "event_waitlisted" else []
    outbox_enqueue(
        to=invitation.email,
        template=template,
        context={
            "event": event,
            "invitation": invitation,
            "when": when_text(event),
            "registration_url": registration_url(token=invitation.token),
        },
        enquiry=invitation.enquiry,
        attachments=attachments,
    )


def _system_step(*, event: Event, name: str, now: datetime) -> None:
    """``fill`` or ``free``, taken by the registration service in its transaction (logged like the others)."""
    from_state = event.state
    getattr(event, name)()
    event.save()
    log_write(event=event, action=name, from_state=from_state, to_state=event.state, actor=SYSTEM, now=now)


def seats_settle(*, event: Event, now: datetime) -> None:
    """After a seat freed or the capacity changed (the event row locked): move people up from the waiting
    list in their order, then set full/open to match."""
    taken = seats_taken(event=event)
    free = max(event.capacity - taken, 0)
    if free and event.state in ANSWERABLE_EVENT_STATES and event.registration_deadline > now:
        for invitation in event.invitations.filter(state=I.WAITLISTED).order_by("waitlisted_at", "id")[:free]:
            invitation.state = I.REGISTERED
            invitation.registered_at = now
            invitation.save(update_fields=["state", "registered_at"])
            log_write(
                event=event,
                invitation=invitation,
                action="move_up",
                from_state=I.WAITLISTED,
                to_state=I.REGISTERED,
                actor=SYSTEM,
                now=now,
            )
            _confirm(invitation=invitation, event=event, template="event_moved_up")
            taken += 1
    if event.state == Event.State.OPEN and taken >= event.capacity:
        _system_step(event=event, name="fill", now=now)
    elif event.state == Event.State.FULL and taken < event.capacity:
        _system_step(event=event, name="free", now=now)


def registration_answer(*, token: Any, register: bool, note: str = "") -> Invitation:
    """The municipality's answer through its personal link: register (a seat, or the waiting list when all
    are taken) or decline (an earlier registration is withdrawn and its seat goes to the first who waits).

    1. find the invitation by token (404 otherwise);
    2. in one transaction lock the event row, then re-read the invitation: parallel answers queue here;
    3. refuse a cancelled, past, not yet open or closed registration (400) and an answer given already (409);
    4. count the seats taken and register or wait-list; fill/free the event; confirm by e-mail with the
       calendar file.
    """
    note = note_clean(note)
    found = invitation_get_by_token(token=token)
    now = timezone.now()
    with transaction.atomic():
        event = event_locked(found.event)
        invitation = Invitation.objects.select_related("enquiry").get(pk=found.pk)
        refusal = _refusal(event=event, now=now)
        if refusal is not None:
            raise refusal
        before = invitation.state
        if register:
            if before in (I.REGISTERED, I.WAITLISTED):
                raise Conflict(
                    _("Sie sind bereits angemeldet.")
                    if before == I.REGISTERED
                    else _("Sie stehen bereits auf der Warteliste.")
                )
            taken = seats_taken(event=event)
            if taken < event.capacity:
                invitation.state, invitation.registered_at = I.REGISTERED, now
            else:
                invitation.state, invitation.waitlisted_at = I.WAITLISTED, now
        else:
            if before in (I.DECLINED, I.WITHDRAWN):
                raise Conflict(_("Sie haben bereits abgesagt."))
            invitation.state = I.WITHDRAWN if before in (I.REGISTERED, I.WAITLISTED) else I.DECLINED
        invitation.answered_at = now
        invitation.save()
        log_write(
            event=event,
            invitation=invitation,
            action="register" if register else "decline",
            from_state=before,
            to_state=invitation.state,
            actor=MUNICIPALITY,
            comment=note,
            now=now,
        )
        text = {
            I.REGISTERED: _("Für die Veranstaltung „%(title)s“ angemeldet."),
            I.WAITLISTED: _("Für die Veranstaltung „%(title)s“ auf der Warteliste."),
            I.DECLINED: _("Einladung zur Veranstaltung „%(title)s“ abgelehnt."),
            I.WITHDRAWN: _("Von der Veranstaltung „%(title)s“ abgemeldet."),
        }[invitation.state] % {"title": event.title}
        timeline_add(enquiry_id=invitation.enquiry_id, text=f"{text} {note}".strip(), actor=MUNICIPALITY, now=now)
        if invitation.state == I.REGISTERED:
            _confirm(invitation=invitation, event=event, template="event_registered")
        elif invitation.state == I.WAITLISTED:
            _confirm(invitation=invitation, event=event, template="event_waitlisted")
        seats_settle(event=event, now=now)
    return invitation


REMIND_BEFORE = timedelta(hours=24)


def events_send_reminders(*, now: datetime | None = None) -> int:
    """The day before: remind everyone registered (with the calendar file again). Each event is claimed with a
    compare-and-swap UPDATE before its mails are written, so two workers never remind twice."""
    now = now or timezone.now()
    due = Event.objects.filter(
        state__in=ANSWERABLE_EVENT_STATES, reminded_at=None, starts_at__gt=now, starts_at__lte=now + REMIND_BEFORE
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if Event.objects.filter(pk=pk, reminded_at=None).update(reminded_at=now) != 1:
                continue
            event = Event.objects.get(pk=pk)
            for invitation in event.invitations.filter(state=I.REGISTERED).select_related("enquiry"):
                _confirm(invitation=invitation, event=event, template="event_reminder")
                sent += 1
            log_write(event=event, action="remind", actor=SYSTEM, now=now)
    return sent

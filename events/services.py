"""Events: every change goes through one function here, in one transaction with its EventLog row; e-mails
leave through the outbox after commit.

Doors: the workspace pages (web), the API (api) and the public token pages call these functions; the
reminder task calls ``events_send_reminders``. Registration and withdrawal lock the event row first, so that
the seats hold under parallel answers (one seat, many clicks: one registered, the others on the waiting list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from cases.models import Activity, Enquiry, OutcomeCategory, State
from catalogue.models import ModelProject, Topic
from core.errors import Conflict, DomainError, GuardFailed, NotAllowed, NotVisible
from core.tokens import token_shaped
from events.ics import event_calendar_attachment
from events.links import presenter_answer_url, registration_url
from events.models import Event, EventLog, Invitation, Presenter
from events.transitions import MUNICIPALITY, SYSTEM, TRANSITIONS, event_may
from outbox.services import outbox_enqueue

MAX_NOTE = 2_000
MAX_INVITATIONS = 500
I = Invitation.State  # noqa: E741 (short alias of the invitation states)
# the states of an invitation that hold a seat or wait for one
HOLDING = (I.REGISTERED,)
ANSWERABLE_EVENT_STATES = (Event.State.OPEN, Event.State.FULL)


def _log(
    *,
    event: Event,
    action: str,
    now: datetime,
    by: Any = None,
    actor: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    invitation: Invitation | None = None,
    presenter: Presenter | None = None,
) -> None:
    EventLog.objects.create(
        event=event,
        invitation=invitation,
        presenter=presenter,
        action=action,
        from_state=from_state,
        to_state=to_state,
        by=by if getattr(by, "is_authenticated", False) else None,
        actor=actor or ("" if by is not None else SYSTEM),
        comment=comment,
        at=now,
    )


def _when(event: Event) -> str:
    return date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")


def _timeline(*, enquiry_id: int | None, text: str, now: datetime, by: Any = None, actor: str = "") -> None:
    """A line on the case's timeline (internal: staff see it, the status page does not)."""
    if enquiry_id is None:
        return
    Activity.objects.create(
        enquiry_id=enquiry_id,
        kind=Activity.Kind.SYSTEM,
        author=by if getattr(by, "is_authenticated", False) else None,
        actor=actor or ("" if by is not None else SYSTEM),
        text=text,
        at=now,
    )


def _locked(event: Event) -> Event:
    """The event row, locked for the rest of the transaction (PostgreSQL; SQLite serialises writers)."""
    return Event.objects.select_for_update().get(pk=event.pk)


# --- creating and changing an event ----------------------------------------------------------------------


@dataclass(frozen=True)
class EventData:
    """An event's fields as the door parsed them (events.inputs.EventInput)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    topics: list[Topic]
    kind: str = Event.Kind.WORKSHOP
    description: str = ""
    format: str = Event.Format.ONLINE
    place: str = ""
    online_url: str = ""
    registration_deadline: datetime | None = None
    enquiries: list[Enquiry] = field(default_factory=list)
    projects: list[ModelProject] = field(default_factory=list)
    radar_key: str = ""


def _check_times(*, starts_at: datetime, ends_at: datetime, deadline: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise GuardFailed(_("Der Beginn muss in der Zukunft liegen."), field="starts_at")
    if ends_at <= starts_at:
        raise GuardFailed(_("Das Ende muss nach dem Beginn liegen."), field="ends_at")
    if deadline > starts_at:
        raise GuardFailed(_("Der Anmeldeschluss darf nicht nach dem Beginn liegen."), field="registration_deadline")


def _check_place(*, format: str, place: str) -> None:
    if format == Event.Format.ON_SITE and not place:
        raise GuardFailed(_("Für eine Veranstaltung vor Ort bitte den Ort angeben."), field="place")


def event_create(*, data: EventData, by: Any) -> Event:
    """A coordinator plans an event (state planned); the presenting model projects are asked by e-mail."""
    if not TRANSITIONS["open_registration"].who(by, None):
        raise NotAllowed(_("Veranstaltungen planen nur Koordinatorinnen und Koordinatoren."))
    now = timezone.now()
    deadline = data.registration_deadline or data.starts_at
    _check_times(starts_at=data.starts_at, ends_at=data.ends_at, deadline=deadline, now=now)
    _check_place(format=data.format, place=data.place)
    if not data.topics:
        raise GuardFailed(_("Bitte mindestens ein Handlungsfeld wählen."), field="topics")
    with transaction.atomic():
        event = Event.objects.create(
            title=data.title,
            kind=data.kind,
            description=data.description,
            format=data.format,
            place=data.place,
            online_url=data.online_url,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            registration_deadline=deadline,
            capacity=data.capacity,
            radar_key=data.radar_key,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        event.topics.set(data.topics)
        event.enquiries.set(data.enquiries)
        _log(event=event, action="create", to_state=event.state, by=by, now=now)
        presenters_ask(event=event, projects=data.projects, by=by, now=now)
    return event


# fields a coordinator may change while the event has not taken place
EDITABLE = (
    "title",
    "kind",
    "description",
    "format",
    "place",
    "online_url",
    "starts_at",
    "ends_at",
    "registration_deadline",
    "capacity",
)


def event_update(*, event: Event, by: Any, changes: dict[str, Any]) -> Event:
    """Change the event's details (not after it was held or cancelled). The capacity cannot fall below the
    seats taken; a larger one moves people up from the waiting list."""
    if not TRANSITIONS["open_registration"].who(by, None):
        raise NotAllowed(_("Veranstaltungen ändern nur Koordinatorinnen und Koordinatoren."))
    now = timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if event.state not in (Event.State.PLANNED, Event.State.OPEN, Event.State.FULL):
            raise GuardFailed(
                _("Eine durchgeführte oder abgesagte Veranstaltung kann nicht mehr geändert werden."), field="state"
            )
        topics = changes.pop("topics", None)
        for name, value in changes.items():
            if name in EDITABLE and value is not None:
                setattr(event, name, value)
        deadline = event.registration_deadline
        if deadline > event.starts_at:
            event.registration_deadline = deadline = event.starts_at
        if "starts_at" in changes and event.starts_at <= now:
            raise GuardFailed(_("Der Beginn muss in der Zukunft liegen."), field="starts_at")
        if event.ends_at <= event.starts_at:
            raise GuardFailed(_("Das Ende muss nach dem Beginn liegen."), field="ends_at")
        _check_place(format=event.format, place=event.place)
        taken = event.invitations.filter(state=I.REGISTERED).count()
        if event.capacity < taken:
            raise GuardFailed(
                _("Es sind bereits %(n)d Plätze vergeben; weniger Plätze sind nicht möglich.") % {"n": taken},
                field="capacity",
            )
        event.save()
        if topics:
            event.topics.set(topics)
        _log(event=event, action="update", by=by, now=now, comment=", ".join(sorted(changes)))
        _seats_settle(event=event, now=now)
    return event


def _run(
    *,
    event: Event,
    name: str,
    by: Any,
    actor: str | None = None,
    comment: str = "",
    expected_state: str | None = None,
    guard: Callable[[Event, datetime], None] | None = None,
    change: Callable[[Event, datetime], None] | None = None,
) -> Event:
    """The one door of an event's transition: lock, check state (409 when it moved on, 400 when the
    transition is not possible from here), right (403) and guard (400), change, log, save."""
    entry = TRANSITIONS[name]
    now = timezone.now()
    try:
        with transaction.atomic():
            event = _locked(event)
            if expected_state and event.state != expected_state:
                raise Conflict(_("Die Veranstaltung wurde inzwischen geändert. Bitte neu laden."))
            if not can_proceed(getattr(event, name), check_conditions=False):
                raise GuardFailed(
                    _("„%(label)s“ ist im Status „%(state)s“ nicht möglich.")
                    % {"label": entry.label, "state": Event.State(event.state).label},
                    field="state",
                )
            if not event_may(event=event, name=name, by=by, actor=actor):
                raise NotAllowed(_("Dazu fehlt Ihnen die Berechtigung."))
            if guard is not None:
                guard(event, now)
            from_state = event.state
            getattr(event, name)()
            if change is not None:
                change(event, now)
            event.save()
            _log(
                event=event,
                action=name,
                from_state=from_state,
                to_state=event.state,
                by=by,
                actor=actor or "",
                comment=comment,
                now=now,
            )
    except ConcurrentTransition as exc:
        raise Conflict(_("Die Veranstaltung wurde inzwischen geändert. Bitte neu laden.")) from exc
    return event


def event_open(*, event: Event, by: Any, comment: str = "", expected_state: str | None = None) -> Event:
    def guard(e: Event, now: datetime) -> None:
        if e.registration_deadline <= now:
            raise GuardFailed(_("Der Anmeldeschluss ist schon vorbei."), field="registration_deadline")

    return _run(
        event=event, name="open_registration", by=by, comment=comment, expected_state=expected_state, guard=guard
    )


def event_hold(*, event: Event, by: Any, comment: str = "", expected_state: str | None = None) -> Event:
    def guard(e: Event, now: datetime) -> None:
        if e.starts_at > now:
            raise GuardFailed(_("Die Veranstaltung hat noch nicht begonnen."), field="state")

    def change(e: Event, now: datetime) -> None:
        e.held_at = now

    return _run(
        event=event, name="hold", by=by, comment=comment, expected_state=expected_state, guard=guard, change=change
    )


def event_cancel(*, event: Event, by: Any, reason: str, expected_state: str | None = None) -> Event:
    """Cancel the event and tell everyone invited, registered, waiting and presenting (with a calendar
    cancellation for those who had it in their calendar)."""
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise GuardFailed(_("Bitte einen Grund angeben."), field="reason")
    if len(reason) > MAX_NOTE:
        raise GuardFailed(_("Höchstens %(n)d Zeichen.") % {"n": MAX_NOTE}, field="reason")

    def change(e: Event, now: datetime) -> None:
        e.cancelled_at = now
        e.cancel_reason = reason
        told = e.invitations.filter(state__in=[I.INVITED, I.REGISTERED, I.WAITLISTED]).select_related("enquiry")
        for invitation in told:
            attachments = (
                [event_calendar_attachment(event=e, cancelled=True)] if invitation.state == I.REGISTERED else []
            )
            outbox_enqueue(
                to=invitation.email,
                template="event_cancelled",
                context={"event": e, "invitation": invitation, "reason": reason, "when": _when(e)},
                enquiry=invitation.enquiry,
                attachments=attachments,
            )
        for presenter in e.presenters.filter(state__in=[Presenter.State.REQUESTED, Presenter.State.ACCEPTED]):
            outbox_enqueue(
                to=presenter.model_project.contact_email,
                template="event_cancelled",
                context={"event": e, "presenter": presenter, "reason": reason, "when": _when(e)},
            )

    return _run(event=event, name="cancel", by=by, comment=reason, expected_state=expected_state, change=change)


EVENT_SERVICES: dict[str, Callable[..., Event]] = {
    "open_registration": event_open,
    "hold": event_hold,
    "cancel": event_cancel,
}


# --- the presenting model projects ---------------------------------------------------------------------------


def presenters_ask(
    *, event: Event, projects: Iterable[ModelProject], by: Any, now: datetime | None = None
) -> list[Presenter]:
    """Ask each project's contact by e-mail (token link) whether it presents; a project asked before, or
    without a contact address, is left out."""
    now = now or timezone.now()
    asked: list[Presenter] = []
    with transaction.atomic():
        known = set(event.presenters.values_list("model_project_id", flat=True))
        for project in projects:
            if project.pk in known or not project.contact_email:
                continue
            presenter = Presenter.objects.create(event=event, model_project=project, asked_at=now)
            _log(event=event, presenter=presenter, action="presenter_ask", to_state=presenter.state, by=by, now=now)
            outbox_enqueue(
                to=project.contact_email,
                template="event_presenter_request",
                context={
                    "event": event,
                    "project": project,
                    "when": _when(event),
                    "answer_url": presenter_answer_url(token=presenter.token),
                },
            )
            asked.append(presenter)
    return asked


def presenter_get_by_token(*, token: Any) -> Presenter:
    if not token_shaped(token):
        raise NotVisible(_("Anfrage nicht gefunden."))
    presenter = Presenter.objects.filter(token=token).select_related("event", "model_project").first()
    if presenter is None:
        raise NotVisible(_("Anfrage nicht gefunden."))
    return presenter


def presenter_answer(*, token: Any, accept: bool, note: str = "") -> Presenter:
    """The project's answer through its link; a used link answers 409 and stores nothing."""
    note = _note(note)
    found = presenter_get_by_token(token=token)
    now = timezone.now()
    with transaction.atomic():
        presenter = Presenter.objects.select_for_update().select_related("event", "model_project").get(pk=found.pk)
        if presenter.state != Presenter.State.REQUESTED or presenter.event.state not in (
            Event.State.PLANNED,
            Event.State.OPEN,
            Event.State.FULL,
        ):
            raise Conflict(_("Diese Anfrage wurde bereits beantwortet oder ist nicht mehr aktuell."))
        presenter.state = Presenter.State.ACCEPTED if accept else Presenter.State.DECLINED
        presenter.answered_at = now
        presenter.answer_note = note
        presenter.save()
        _log(
            event=presenter.event,
            presenter=presenter,
            action="presenter_answer",
            from_state="requested",
            to_state=presenter.state,
            actor="model_project",
            comment=note,
            now=now,
        )
    return presenter


# --- invitations and registration ----------------------------------------------------------------------------


def _note(note: Any) -> str:
    if not isinstance(note, str):
        raise GuardFailed(_("Bitte einen Text angeben."), field="note")
    note = note.replace("\x00", "").strip()
    if len(note) > MAX_NOTE:
        raise GuardFailed(_("Höchstens %(n)d Zeichen.") % {"n": MAX_NOTE}, field="note")
    return note


@dataclass
class InvitationResult:
    invited: list[Invitation]
    skipped: list[tuple[Enquiry, str]]


def invitations_send(*, event: Event, enquiries: Iterable[Enquiry], by: Any) -> InvitationResult:
    """Invite the contacts of these enquiries (the group's, and others the coordinator chose) by e-mail with a
    personal link. One invitation per address and event: an address invited before is skipped, as is an
    enquiry without a contact address (anonymised)."""
    if not TRANSITIONS["open_registration"].who(by, None):
        raise NotAllowed(_("Einladungen versenden nur Koordinatorinnen und Koordinatoren."))
    enquiries = list(enquiries)
    if not enquiries:
        raise GuardFailed(_("Bitte mindestens eine Anfrage wählen."), field="enquiries")
    if len(enquiries) > MAX_INVITATIONS:
        raise GuardFailed(_("Höchstens %(n)d Einladungen auf einmal.") % {"n": MAX_INVITATIONS}, field="enquiries")
    now = timezone.now()
    result = InvitationResult(invited=[], skipped=[])
    with transaction.atomic():
        event = _locked(event)
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
            _log(event=event, invitation=invitation, action="invite", to_state=invitation.state, by=by, now=now)
            _timeline(
                enquiry_id=enquiry.pk,
                text=_("Zur Veranstaltung „%(title)s“ am %(when)s eingeladen.")
                % {"title": event.title, "when": _when(event)},
                by=by,
                now=now,
            )
            outbox_enqueue(
                to=address,
                template="event_invitation",
                context={
                    "event": event,
                    "invitation": invitation,
                    "when": _when(event),
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


def _confirm(*, invitation: Invitation, event: Event, template: str) -> None:
    attachments = [event_calendar_attachment(event=event)] if template != "event_waitlisted" else []
    outbox_enqueue(
        to=invitation.email,
        template=template,
        context={
            "event": event,
            "invitation": invitation,
            "when": _when(event),
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
    _log(event=event, action=name, from_state=from_state, to_state=event.state, actor=SYSTEM, now=now)


def _seats_settle(*, event: Event, now: datetime) -> None:
    """After a seat freed or the capacity changed (the event row locked): move people up from the waiting
    list in their order, then set full/open to match."""
    taken = event.invitations.filter(state=I.REGISTERED).count()
    free = max(event.capacity - taken, 0)
    if free and event.state in ANSWERABLE_EVENT_STATES and event.registration_deadline > now:
        for invitation in event.invitations.filter(state=I.WAITLISTED).order_by("waitlisted_at", "id")[:free]:
            invitation.state = I.REGISTERED
            invitation.registered_at = now
            invitation.save(update_fields=["state", "registered_at"])
            _log(
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
    note = _note(note)
    found = invitation_get_by_token(token=token)
    now = timezone.now()
    with transaction.atomic():
        event = _locked(found.event)
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
            taken = event.invitations.filter(state=I.REGISTERED).count()
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
        _log(
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
        _timeline(enquiry_id=invitation.enquiry_id, text=f"{text} {note}".strip(), actor=MUNICIPALITY, now=now)
        if invitation.state == I.REGISTERED:
            _confirm(invitation=invitation, event=event, template="event_registered")
        elif invitation.state == I.WAITLISTED:
            _confirm(invitation=invitation, event=event, template="event_waitlisted")
        _seats_settle(event=event, now=now)
    return invitation


# --- after the event: attendance and outcomes ---------------------------------------------------------------


def attendance_record(*, event: Event, attended: Iterable[int], by: Any) -> int:
    """Record who came: the invitations in ``attended`` (ids) came, every other registered one did not.
    Returns how many came."""
    if not TRANSITIONS["hold"].who(by, None):
        raise NotAllowed(_("Die Teilnahme erfassen nur Koordinatorinnen und Koordinatoren."))
    ids = {int(i) for i in attended}
    now = timezone.now()
    with transaction.atomic():
        event = _locked(event)
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
            _log(
                event=event,
                invitation=invitation,
                action="attendance",
                by=by,
                now=now,
                to_state="attended" if now_attended else "absent",
            )
            if now_attended:
                _timeline(
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
    notes = _("Austausch in der Veranstaltung „%(title)s“ am %(when)s.") % {"title": event.title, "when": _when(event)}
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
                _log(
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


# --- reminders -----------------------------------------------------------------------------------------------

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
            _log(event=event, action="remind", actor=SYSTEM, now=now)
    return sent

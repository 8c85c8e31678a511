"""Events: every change goes through one function of ``events.services``, ``events.registrations`` or
``events.outcomes``, in one transaction with its EventLog row; e-mails leave through the outbox after commit.

This module plans and changes the event itself (create, update, open, hold, cancel) and asks the presenting
model projects. Doors: the workspace pages (web), the API (api) and the public token pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from cases.models import Enquiry
from catalogue.models import ModelProject, Topic
from core.errors import Conflict, GuardFailed, NotAllowed, NotVisible
from core.tokens import token_shaped
from events.ics import event_calendar_attachment
from events.links import presenter_answer_url
from events.models import ACTIVE_EVENT_STATES, Event, Presenter
from events.records import (
    I,
    event_locked,
    log_write,
    note_clean,
    when_text,
)
from events.registrations import seats_settle
from events.selectors import seats_taken
from events.transitions import TRANSITIONS, event_may, may_organise
from outbox.services import outbox_enqueue


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

    @classmethod
    def parsed(cls, values: Mapping[str, Any]) -> EventData:
        """From what a door's parser validated (the API's ``events.inputs.EventInput``, the page's
        ``web.event_forms.EventForm``): the same field names in both."""
        return cls(
            title=values["title"].strip(),
            kind=values["kind"],
            description=values["description"].strip(),
            topics=list(values["topics"]),
            format=values["format"],
            place=values["place"].strip(),
            online_url=values["online_url"],
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            registration_deadline=values["registration_deadline"],
            capacity=values["capacity"],
            enquiries=list(values.get("enquiries") or []),
            projects=list(values.get("model_projects") or []),
            radar_key=values.get("radar_key") or "",
        )


def _check_times(
    *, starts_at: datetime, ends_at: datetime, deadline: datetime, now: datetime, start_moved: bool = True
) -> None:
    """The rule of the times, for planning and for a change (where the start is checked only when it moved, so
    that an event that has begun can still get a new title)."""
    if start_moved and starts_at <= now:
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
    if not may_organise(by):
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
        log_write(event=event, action="create", to_state=event.state, by=by, now=now)
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
    if not may_organise(by):
        raise NotAllowed(_("Veranstaltungen ändern nur Koordinatorinnen und Koordinatoren."))
    now = timezone.now()
    with transaction.atomic():
        event = event_locked(event)
        if event.state not in ACTIVE_EVENT_STATES:
            raise GuardFailed(
                _("Eine durchgeführte oder abgesagte Veranstaltung kann nicht mehr geändert werden."), field="state"
            )
        topics = changes.pop("topics", None)
        for name, value in changes.items():
            # an emptied deadline means "until the start", as when planning; another None changes nothing
            if name in EDITABLE and (value is not None or name == "registration_deadline"):
                setattr(event, name, value)
        if event.registration_deadline is None:
            event.registration_deadline = event.starts_at
        elif "registration_deadline" not in changes and event.registration_deadline > event.starts_at:
            # the start moved before the deadline kept from before: the deadline follows it
            event.registration_deadline = event.starts_at
        _check_times(
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            deadline=event.registration_deadline,
            now=now,
            start_moved="starts_at" in changes,
        )
        _check_place(format=event.format, place=event.place)
        taken = seats_taken(event=event)
        if event.capacity < taken:
            raise GuardFailed(
                _("Es sind bereits %(n)d Plätze vergeben; weniger Plätze sind nicht möglich.") % {"n": taken},
                field="capacity",
            )
        event.save()
        if topics:
            event.topics.set(topics)
        log_write(event=event, action="update", by=by, now=now, comment=", ".join(sorted(changes)))
        seats_settle(event=event, now=now)
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
            event = event_locked(event)
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
            log_write(
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
    reason = note_clean(reason, field="reason", required=True)

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
                context={"event": e, "invitation": invitation, "reason": reason, "when": when_text(e)},
                enquiry=invitation.enquiry,
                attachments=attachments,
            )
        for presenter in e.presenters.filter(state__in=[Presenter.State.REQUESTED, Presenter.State.ACCEPTED]):
            outbox_enqueue(
                to=presenter.model_project.contact_email,
                template="event_cancelled",
                context={"event": e, "presenter": presenter, "reason": reason, "when": when_text(e)},
            )

    return _run(event=event, name="cancel", by=by, comment=reason, expected_state=expected_state, change=change)


EVENT_SERVICES: dict[str, Callable[..., Event]] = {
    "open_registration": event_open,
    "hold": event_hold,
    "cancel": event_cancel,
}


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
            log_write(
                event=event, presenter=presenter, action="presenter_ask", to_state=presenter.state, by=by, now=now
            )
            outbox_enqueue(
                to=project.contact_email,
                template="event_presenter_request",
                context={
                    "event": event,
                    "project": project,
                    "when": when_text(event),
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
    note = note_clean(note)
    found = presenter_get_by_token(token=token)
    now = timezone.now()
    with transaction.atomic():
        presenter = Presenter.objects.select_for_update().select_related("event", "model_project").get(pk=found.pk)
        if presenter.state != Presenter.State.REQUESTED or presenter.event.state not in ACTIVE_EVENT_STATES:
            raise Conflict(_("Diese Anfrage wurde bereits beantwortet oder ist nicht mehr aktuell."))
        presenter.state = Presenter.State.ACCEPTED if accept else Presenter.State.DECLINED
        presenter.answered_at = now
        presenter.answer_note = note
        presenter.save()
        log_write(
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

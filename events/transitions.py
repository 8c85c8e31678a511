"""The event's transitions, declared once: name, label (the button), sources, target and who may take it. The
FSM methods of ``events.models.Event``, the rights, the available list of the pages and the API read this table.
``fill`` and ``free`` are the system's: the registration service takes them when the last seat goes or a seat
frees with nobody waiting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.roles import is_coordinator
from events.models import Event

SYSTEM = "system"
MUNICIPALITY = "municipality"

Who = Callable[[Any, "str | None"], bool]


def coordinator(user: Any, actor: str | None) -> bool:
    return actor is None and is_coordinator(user)


def may_organise(user: Any) -> bool:
    """Planning, changing, inviting and recording attendance: the coordinators' right (the same as the
    table's staff transitions), read by every door before it parses a body and by the services."""
    return coordinator(user, None)


def system(user: Any, actor: str | None) -> bool:
    return actor in (SYSTEM, MUNICIPALITY)


@dataclass(frozen=True)
class EventTransition:
    name: str
    label: str | Promise
    sources: tuple[str, ...]
    target: str
    who: Who
    # the button's one-sentence help on the event page
    help: str | Promise = ""


S = Event.State
TRANSITIONS: dict[str, EventTransition] = {
    t.name: t
    for t in (
        EventTransition(
            "open_registration",
            _("Anmeldung öffnen"),
            (S.PLANNED,),
            S.OPEN,
            coordinator,
            _("Eingeladene Kommunen können sich ab jetzt anmelden."),
        ),
        EventTransition("fill", _("Ausgebucht"), (S.OPEN,), S.FULL, system),
        EventTransition("free", _("Wieder Plätze frei"), (S.FULL,), S.OPEN, system),
        EventTransition(
            "hold",
            _("Als durchgeführt markieren"),
            (S.OPEN, S.FULL),
            S.HELD,
            coordinator,
            _("Danach wird die Teilnahme erfasst."),
        ),
        EventTransition(
            "cancel",
            _("Veranstaltung absagen"),
            (S.PLANNED, S.OPEN, S.FULL),
            S.CANCELLED,
            coordinator,
            _("Alle Eingeladenen und Mitwirkenden werden per E-Mail informiert."),
        ),
    )
}

# the transitions a person takes by a button (the system's are taken by the registration service)
STAFF_TRANSITIONS = ("open_registration", "hold", "cancel")


def event_may(*, event: Event, name: str, by: Any, actor: str | None = None) -> bool:
    entry = TRANSITIONS[name]
    return event.state in entry.sources and entry.who(by, actor)


def _in_time(event: Event, name: str, now: datetime) -> bool:
    """The guards of time (the services say why otherwise): hold once it has begun, open before the deadline."""
    if name == "hold":
        return event.starts_at <= now
    if name == "open_registration":
        return event.registration_deadline > now
    return True


def event_transitions_available(*, event: Event, by: Any, now: datetime | None = None) -> list[EventTransition]:
    """The transitions this user may take now, in the table's order (not ``hold`` before the event began)."""
    now = now or timezone.now()
    return [
        TRANSITIONS[name]
        for name in STAFF_TRANSITIONS
        if event_may(event=event, name=name, by=by) and _in_time(event, name, now)
    ]

"""What the event page (/intern/veranstaltungen/<id>/) shows, for web.views.workspace_event_detail: the
buttons of the transitions this user may take, the presenters, the enquiries a coordinator may invite, the
invitations, the attendance form, the cases to resolve and the log, each cut to what the user may see.

Partner staff see the event read-only and, of its people, only their partner's cases (their invitations, their
outcome rows, their lines of the log): the other municipalities' contacts are none of their business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases.models import Enquiry, OutcomeCategory
from cases.transitions import transition_may
from core.roles import is_coordinator, is_manager
from events.models import ACTIVE_EVENT_STATES, Event, EventLog, Invitation, Presenter
from events.outcomes import invitation_resolvable
from events.records import ANSWERABLE_EVENT_STATES
from events.selectors import event_invitations_visible_to, event_log_visible_to, invitation_candidates
from events.transitions import event_transitions_available
from web.event_forms import CancelForm

ACTIONS = {
    "create": gettext_lazy("Veranstaltung geplant"),
    "update": gettext_lazy("Angaben geändert"),
    "open_registration": gettext_lazy("Anmeldung geöffnet"),
    "fill": gettext_lazy("Ausgebucht"),
    "free": gettext_lazy("Wieder Plätze frei"),
    "hold": gettext_lazy("Als durchgeführt markiert"),
    "cancel": gettext_lazy("Abgesagt"),
    "presenter_ask": gettext_lazy("Modellprojekt angefragt"),
    "presenter_answer": gettext_lazy("Antwort des Modellprojekts"),
    "invite": gettext_lazy("Eingeladen"),
    "register": gettext_lazy("Antwort der Kommune"),
    "decline": gettext_lazy("Absage der Kommune"),
    "move_up": gettext_lazy("Von der Warteliste nachgerückt"),
    "attendance": gettext_lazy("Teilnahme erfasst"),
    "resolve_case": gettext_lazy("Fall gelöst"),
    "remind": gettext_lazy("Erinnerung versendet"),
}
ACTORS = {
    "system": gettext_lazy("System"),
    "municipality": gettext_lazy("Kommune"),
    "model_project": gettext_lazy("Modellprojekt"),
}
ATTENDANCE = {"attended": gettext_lazy("teilgenommen"), "absent": gettext_lazy("nicht teilgenommen")}


def _state_label(value: str, *, entry: EventLog) -> str:
    if not value:
        return ""
    if entry.presenter_id:
        choices: Any = Presenter.State
    elif entry.invitation_id and entry.action != "resolve_case":
        choices = Invitation.State
    elif entry.action == "resolve_case":
        choices = OutcomeCategory
    else:
        choices = Event.State
    if value in ATTENDANCE:
        return str(ATTENDANCE[value])
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _person(user: Any) -> str:
    return user.get_full_name() or user.get_username()


@dataclass
class LogRow:
    at: Any
    action: str
    change: str
    who: str
    about: str
    comment: str


def log_rows(entries: Any) -> list[LogRow]:
    rows = []
    for entry in entries:
        before, after = _state_label(entry.from_state, entry=entry), _state_label(entry.to_state, entry=entry)
        about = ""
        if entry.invitation_id:
            about = entry.invitation.municipality.short_name
        elif entry.presenter_id:
            about = entry.presenter.model_project.name
        rows.append(
            LogRow(
                at=entry.at,
                action=str(ACTIONS.get(entry.action, entry.action)),
                change=f"{before} → {after}" if before and after else after,
                who=_person(entry.by) if entry.by else str(ACTORS.get(entry.actor, entry.actor or "–")),
                about=about,
                comment=entry.comment,
            )
        )
    return rows


@dataclass
class OutcomeRow:
    invitation: Invitation
    enquiry: Enquiry | None
    resolvable: bool


def outcome_rows(*, event: Event, user: Any) -> list[OutcomeRow]:
    """The attending invitations' cases, each with whether this user may resolve it now (exchange_held)."""
    attended = (
        event_invitations_visible_to(event=event, user=user).filter(attended=True).prefetch_related("enquiry__topics")
    )
    topic_ids = set(event.topics.values_list("pk", flat=True))
    rows = []
    for invitation in attended:
        enquiry = invitation.enquiry
        resolvable = (
            event.state == Event.State.HELD
            and invitation_resolvable(invitation=invitation, event=event, topic_ids=topic_ids)
            and transition_may(enquiry=enquiry, name="resolve", user=user, actor=None)
        )
        rows.append(OutcomeRow(invitation=invitation, enquiry=enquiry, resolvable=resolvable))
    return rows


def event_page_context(
    *,
    request: HttpRequest,
    event: Event,
    cancel_form: CancelForm | None = None,
    conflict: str = "",
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    user = request.user
    coordinator = is_coordinator(user)
    now = timezone.now()
    may_invite = coordinator and event.state in ANSWERABLE_EVENT_STATES and event.registration_deadline > now
    candidates: list[Enquiry] = []
    own: set[int] = set()
    if may_invite:
        own = set(event.enquiries.values_list("pk", flat=True))
        candidates = list(invitation_candidates(event=event))
    invitations = list(event_invitations_visible_to(event=event, user=user))
    entries = event_log_visible_to(event=event, user=user)
    outcomes = outcome_rows(event=event, user=user) if event.state == Event.State.HELD else []
    return {
        "event": event,
        "topics": list(event.topics.all()),
        "transitions": event_transitions_available(event=event, by=user),
        "cancel_form": cancel_form or CancelForm(),
        "presenters": list(event.presenters.select_related("model_project")),
        "may_edit": coordinator and event.state in ACTIVE_EVENT_STATES,
        "may_invite": may_invite,
        "invite_closed": coordinator and event.state in ANSWERABLE_EVENT_STATES and event.registration_deadline <= now,
        "candidates": candidates,
        "own": own,
        "invitations": invitations,
        "may_record": coordinator and event.state == Event.State.HELD,
        "attendance": [
            i
            for i in invitations
            if i.state in (Invitation.State.REGISTERED, Invitation.State.WAITLISTED, Invitation.State.INVITED)
        ],
        "outcomes": outcomes,
        "any_resolvable": any(row.resolvable for row in outcomes),
        "log": log_rows(entries),
        "conflict": conflict,
        "errors": errors or {},
        "partner_view": not (coordinator or is_manager(user)),
        "held": event.state == Event.State.HELD,
    }

"""Who may take which transition, and what each transition needs (SPEC section 3).

The services in ``cases.services`` are the only callers that enforce these rules; the selectors use them
to list the transitions a user may take now. An actor is a staff user, ``"municipality"`` (the holder of the
public token) or ``"system"`` (periodic tasks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import CloseReason, Enquiry, State
from core.roles import is_coordinator, is_manager, partner_of

MUNICIPALITY = "municipality"
SYSTEM = "system"

# close reasons that may be given from resolved (completed) and from the other sources (the rest)
CLOSE_REASONS_FROM_RESOLVED = {CloseReason.COMPLETED}
CLOSE_REASONS_FROM_OPEN = {CloseReason.DUPLICATE, CloseReason.OUT_OF_SCOPE, CloseReason.SPAM, CloseReason.NO_REPLY}
SYSTEM_CLOSE_REASONS = {CloseReason.NO_REPLY, CloseReason.COMPLETED}


def _is_assigned_partner_staff(user: Any, enquiry: Enquiry) -> bool:
    partner = partner_of(user)
    return partner is not None and enquiry.assigned_partner_id is not None and partner.pk == enquiry.assigned_partner_id


def _coordinator(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
    return actor is None and is_coordinator(user)


def _assigned_partner(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
    return actor is None and _is_assigned_partner_staff(user, enquiry)


def _any_of(*checks: Callable[[Any, str | None, Enquiry], bool]) -> Callable[[Any, str | None, Enquiry], bool]:
    def check(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
        return any(c(user, actor, enquiry) for c in checks)

    return check


def _actor(name: str) -> Callable[[Any, str | None, Enquiry], bool]:
    def check(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
        return actor == name

    return check


def _manager(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
    return actor is None and is_manager(user)


@dataclass(frozen=True)
class TransitionRule:
    name: str
    label: Promise
    may: Callable[[Any, str | None, Enquiry], bool]
    # plain German sentence for the municipality's status page
    public_text: Promise


RULES: dict[str, TransitionRule] = {
    rule.name: rule
    for rule in [
        TransitionRule(
            "triage", _("Sichten"), _coordinator, _("Ihre Anfrage wurde gesichtet und wird nun weitergeleitet.")
        ),
        TransitionRule(
            "assign",
            _("Partner zuweisen"),
            _coordinator,
            _("Ihre Anfrage wurde einem Partner der Transferstelle zugewiesen."),
        ),
        TransitionRule(
            "accept",
            _("Übernehmen"),
            _assigned_partner,
            _("Ihre Anfrage wird jetzt bearbeitet."),
        ),
        TransitionRule(
            "decline",
            _("Ablehnen"),
            _assigned_partner,
            _("Ihre Anfrage wird an eine andere Stelle weitergeleitet."),
        ),
        TransitionRule(
            "request_info",
            _("Rückfrage stellen"),
            _any_of(_coordinator, _assigned_partner),
            _("Wir haben eine Rückfrage an Sie."),
        ),
        TransitionRule(
            "receive_reply",
            _("Antwort erfassen"),
            _any_of(_actor(MUNICIPALITY), _coordinator, _assigned_partner),
            _("Ihre Antwort ist eingegangen."),
        ),
        TransitionRule(
            "resolve",
            _("Erledigen"),
            _assigned_partner,
            _("Ihre Anfrage wurde erledigt."),
        ),
        TransitionRule(
            "close",
            _("Abschließen"),
            _any_of(_coordinator, _actor(SYSTEM)),
            _("Ihre Anfrage wurde abgeschlossen."),
        ),
        TransitionRule(
            "withdraw",
            _("Zurückziehen"),
            _any_of(_actor(MUNICIPALITY), _coordinator),
            _("Die Anfrage wurde zurückgezogen."),
        ),
        TransitionRule(
            "reopen",
            _("Wieder öffnen"),
            _any_of(_coordinator, _manager),
            _("Ihre Anfrage wurde wieder aufgenommen."),
        ),
    ]
}

TRANSITION_NAMES = list(RULES)

STATE_MESSAGES = {
    State.NEW: _("Ihre Anfrage ist eingegangen und wird in Kürze gesichtet."),
    State.TRIAGED: _("Ihre Anfrage wurde gesichtet; wir suchen die passende Ansprechstelle."),
    State.ASSIGNED: _("Ihre Anfrage wurde einem Partner der Transferstelle zugewiesen."),
    State.IN_PROGRESS: _("Ihre Anfrage wird bearbeitet."),
    State.AWAITING_REPLY: _("Wir warten auf Ihre Rückmeldung. Bitte beantworten Sie unsere Rückfrage unten."),
    State.RESOLVED: _("Ihre Anfrage wurde erledigt."),
    State.CLOSED: _("Ihre Anfrage ist abgeschlossen."),
}


def reopen_refusal(*, enquiry: Enquiry, now: datetime) -> Promise | None:
    """Why this resolved or closed case may not be reopened now, or None. Read by the reopen service (400) and
    by the list of available transitions, so both say the same."""
    if enquiry.anonymised_at is not None:
        return _("Die Kontaktdaten dieser Anfrage wurden anonymisiert; sie kann nicht wieder geöffnet werden.")
    days = settings.KTS_DEADLINES["reopen_days"]
    ended = enquiry.closed_at if enquiry.state == State.CLOSED else enquiry.resolved_at
    if ended is not None and now - ended > timedelta(days=days):
        return _("Eine Anfrage kann nur innerhalb von %(days)d Tagen nach dem Abschluss wieder geöffnet werden.") % {
            "days": days
        }
    return None


def transition_target(*, enquiry: Enquiry, name: str) -> str:
    """The state the transition leads to from the enquiry's current state."""
    if name == "receive_reply":
        return State.IN_PROGRESS if enquiry.assigned_partner_id else State.TRIAGED
    return {
        "triage": State.TRIAGED,
        "assign": State.ASSIGNED,
        "accept": State.IN_PROGRESS,
        "decline": State.TRIAGED,
        "request_info": State.AWAITING_REPLY,
        "resolve": State.RESOLVED,
        "close": State.CLOSED,
        "withdraw": State.CLOSED,
        "reopen": State.TRIAGED,
    }[name]


def transition_may(*, enquiry: Enquiry, name: str, user: Any, actor: str | None) -> bool:
    """Whether this user (or actor) has the right to take the transition on this enquiry, whatever its state."""
    rule = RULES.get(name)
    if rule is None:
        return False
    if actor is not None and actor not in (MUNICIPALITY, SYSTEM):
        return False
    return rule.may(user, actor, enquiry)

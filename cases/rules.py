"""What the transitions need besides the table (SPEC section 3): the close reasons per source, the reopen window,
the status sentences of the municipality's page. Who may take which transition, and from where to where, is the
table in ``cases.transitions``.

An actor is a staff user, ``"municipality"`` (the holder of the public token) or ``"system"`` (periodic tasks).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import CloseReason, Enquiry, State
from cases.transitions import MUNICIPALITY as MUNICIPALITY
from cases.transitions import SYSTEM as SYSTEM

# close reasons that may be given from resolved (completed) and from the other sources (the rest)
CLOSE_REASONS_FROM_RESOLVED = {CloseReason.COMPLETED}
CLOSE_REASONS_FROM_OPEN = {CloseReason.DUPLICATE, CloseReason.OUT_OF_SCOPE, CloseReason.SPAM, CloseReason.NO_REPLY}
SYSTEM_CLOSE_REASONS = {CloseReason.NO_REPLY, CloseReason.COMPLETED}


def close_reasons_from(state: str) -> set[str]:
    """The close reasons that may be given from this state: read by the close service (400 for another one)
    and by the workspace's close form, which offers only these."""
    return CLOSE_REASONS_FROM_RESOLVED if state == State.RESOLVED else CLOSE_REASONS_FROM_OPEN


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

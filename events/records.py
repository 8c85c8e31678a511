"""What the event services share: the log row every change writes, the line on a case's timeline, the
locked event row, the date as the e-mails write it, a cleaned note."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Activity
from core.validation import text_clean
from events.models import Event, EventLog, Invitation, Presenter
from events.transitions import SYSTEM

MAX_NOTE = 2_000
I = Invitation.State  # noqa: E741 (short alias of the invitation states)
# the event states in which invitations are answered (registration open, or full with a waiting list)
ANSWERABLE_EVENT_STATES = (Event.State.OPEN, Event.State.FULL)


def log_write(
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


def when_text(event: Event) -> str:
    return date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")


def timeline_add(*, enquiry_id: int | None, text: str, now: datetime, by: Any = None, actor: str = "") -> None:
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


def event_locked(event: Event) -> Event:
    """The event row, locked for the rest of the transaction (PostgreSQL; SQLite serialises writers)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def note_clean(note: Any, *, field: str = "note", required: bool = False) -> str:
    """A note or reason of the event doors, checked as every text of the product (``core.validation``)."""
    return text_clean(
        note, field=field, required=required, max_length=MAX_NOTE, required_message=_("Bitte einen Grund angeben.")
    )

"""Internal notes of a case: the one door for a note that only staff read (SPEC section 9, "notes").

A note is an Activity of kind NOTE that is never public, so the municipality's status page (which lists the
public entries only) never shows it. The page, and any later door, call ``note_add``.

It sends no ``cases.events.enquiry_changed``: that event is for changes the readers above copy (statistics),
and none of them reads notes; follow-ups, the other internal entries, send none either.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_work_on
from cases.models import Activity, Enquiry
from core.errors import NotAllowed
from core.validation import text_clean

MAX_NOTE = 10_000


def note_add(*, enquiry: Enquiry, by: Any, text: Any) -> Activity:
    """An internal note on the timeline, written by ``by``. Only who may work on the case writes notes
    (managers read only: NotAllowed, 403); the text is required, trimmed, bounded and free of NUL
    (GuardFailed on the field ``text``, 400)."""
    if not may_work_on(by, enquiry):
        raise NotAllowed(_("Sie dürfen bei dieser Anfrage keine Notiz schreiben."))
    text = text_clean(
        text, field="text", required=True, max_length=MAX_NOTE, required_message=_("Bitte eine Notiz eingeben.")
    )
    with transaction.atomic():
        note = Activity.objects.create(
            enquiry=enquiry,
            kind=Activity.Kind.NOTE,
            author=by,
            actor=by.get_username(),
            text=text,
            public=False,
            at=timezone.now(),
        )
    return note

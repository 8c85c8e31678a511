"""A free message to the municipality ("Nachricht an die Kommune"): staff write to the case's contact without
changing the state, e.g. to pass on a contact or to answer an e-mail the municipality sent.

The one door is ``enquiry_message_send``. It writes, in one transaction, a public timeline entry (kind
EMAIL_OUT, so the municipality also reads it on its status page) and the e-mail through the outbox, which gives it
the case's plus-addressed Reply-To and the reference in the subject: the municipality answers by replying.

Rights are those of request_info (``cases.access.may_work_on``: coordinators and the assigned partner's staff;
managers only read). A reply template is filled in by the page (``cases.replies``); the service gets the text.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_work_on
from cases.inputs import MAX_TEXT
from cases.links import status_url
from cases.models import Activity, Enquiry
from core.errors import GuardFailed, NotAllowed
from core.validation import text_clean
from outbox.services import outbox_enqueue

# the outbox keeps 255 characters of a subject, and puts "[KTS-2026-000031] " before it
MAX_SUBJECT = 200
TEMPLATE = "message"


def _subject_clean(subject: Any) -> str:
    """Trimmed, bounded, and a single line: a CR or LF (or any other control character) in a header is an
    injection attempt ("...\\r\\nBcc: x@y"), refused naming the field rather than quietly folded."""
    subject = text_clean(subject, field="subject", required=False, max_length=MAX_SUBJECT)
    if any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in subject):
        raise GuardFailed(_("Der Betreff darf keine Zeilenumbrüche oder Steuerzeichen enthalten."), field="subject")
    return subject


def enquiry_message_send(*, enquiry: Enquiry, by: Any, message: Any, subject: Any = "") -> Activity:
    """Send ``message`` to the case's contact address and put it on the timeline (public). No state change.

    NotAllowed (403) for who may not work on the case; GuardFailed (400) for an anonymised case, a case without
    contact address, a missing message (field ``message``) or a bad subject (field ``subject``)."""
    if not may_work_on(by, enquiry):
        raise NotAllowed(_("Sie dürfen dieser Kommune zu dieser Anfrage keine Nachricht schreiben."))
    if enquiry.anonymised_at is not None:
        raise GuardFailed(_("Die Kontaktdaten dieser Anfrage wurden anonymisiert; sie erhält keine Nachricht mehr."))
    if not enquiry.contact_email:
        raise GuardFailed(_("Zu dieser Anfrage ist keine E-Mail-Adresse bekannt."))
    subject = _subject_clean(subject)
    message = text_clean(
        message,
        field="message",
        required=True,
        max_length=MAX_TEXT,
        required_message=_("Bitte eine Nachricht eingeben."),
    )
    with transaction.atomic():
        activity = Activity.objects.create(
            enquiry=enquiry,
            kind=Activity.Kind.EMAIL_OUT,
            author=by,
            actor=by.get_username(),
            text=message,
            public=True,
            at=timezone.now(),
        )
        outbox_enqueue(
            to=enquiry.contact_email,
            template=TEMPLATE,
            context={
                "enquiry": enquiry,
                "subject": subject,
                "message": message,
                "status_url": status_url(enquiry),
            },
            enquiry=enquiry,
            # a person wrote it: an out-of-office answer is welcome here
            auto_submitted=False,
        )
    return activity

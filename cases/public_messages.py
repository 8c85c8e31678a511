"""What the municipality writes on its status page (and through POST /api/v1/public/enquiries/{token}/reply/).

| the case | what the message does |
| --- | --- |
| awaiting_reply | it answers the question: the transition ``receive_reply`` (moves the case, notifies the handler) |
| new, triaged, assigned, in_progress | a public timeline entry "Nachricht der Kommune"; the handler is notified in the workspace and by e-mail; nothing moves |
| resolved, closed, anonymised | refused (400 naming ``state``) |

The one door is ``enquiry_public_message``; its body is that of receive_reply (``{"message"}``, optional
``expected_state``), so the status page and the API say the same for the same input.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.inbox import handler_user_ids, notifications_create
from cases.inputs import MAX_TEXT
from cases.links import staff_url
from cases.models import OPEN_STATES, Activity, Enquiry, Notification, State
from cases.notifications import handler_emails
from cases.rules import MUNICIPALITY
from cases.services import enquiry_transition
from core.errors import Conflict, GuardFailed, NotVisible
from core.validation import text_clean
from outbox.services import outbox_enqueue

TEMPLATE = "municipality_message"


def public_message_possible(enquiry: Enquiry) -> bool:
    """Whether the token holder may write now (the status page shows the form, the API says ``can_reply``)."""
    return enquiry.state in OPEN_STATES and enquiry.anonymised_at is None


def public_message_answers_question(enquiry: Enquiry) -> bool:
    """Whether a message now answers a question of the handler (receive_reply) rather than adding one."""
    return enquiry.state == State.AWAITING_REPLY


def enquiry_public_message(*, enquiry: Enquiry, payload: Any) -> Enquiry:
    """The municipality's message (see the table above); returns the enquiry as saved.

    1. a body that is no object is 400; a given ``expected_state`` the case has left is 409;
    2. awaiting_reply: the receive_reply transition through ``enquiry_transition`` (its checks and effects);
    3. another open state: the message is checked (400 naming ``message``), then in one transaction the row is
       locked and re-read; if its state moved meanwhile, 409 and nothing is written; else the public entry,
       the workspace notification and the e-mail to the handler (through the outbox, after commit).
    """
    if not isinstance(payload, dict):
        raise GuardFailed(_("Der Inhalt muss ein JSON-Objekt sein."), field="non_field_errors")
    seen = payload.get("expected_state")
    if seen in State.values and seen != enquiry.state:
        raise Conflict(_("Die Anfrage wurde inzwischen geändert. Bitte neu laden."))
    if public_message_answers_question(enquiry):
        return enquiry_transition(enquiry=enquiry, name="receive_reply", by=None, actor=MUNICIPALITY, payload=payload)
    if not public_message_possible(enquiry):
        raise GuardFailed(
            _(
                "Ihre Anfrage ist abgeschlossen; eine Nachricht ist nicht mehr möglich. Bitte stellen Sie eine neue Anfrage."
            ),
            field="state",
        )
    message = text_clean(
        payload.get("message"),
        field="message",
        required=True,
        max_length=MAX_TEXT,
        required_message=_("Bitte geben Sie eine Nachricht ein."),
    )
    seen_state = enquiry.state
    with transaction.atomic():
        try:
            locked = Enquiry.objects.select_for_update().select_related("municipality").get(pk=enquiry.pk)
        except Enquiry.DoesNotExist as exc:
            raise NotVisible(_("Anfrage nicht gefunden.")) from exc
        if locked.state != seen_state or not public_message_possible(locked):
            raise Conflict(_("Die Anfrage wurde inzwischen geändert. Bitte neu laden."))
        municipality_message_record(enquiry=locked, message=message)
    return locked


def municipality_message_record(
    *,
    enquiry: Enquiry,
    message: str,
    kind: str = Activity.Kind.MESSAGE_IN,
    notification_kind: str = Notification.Kind.MESSAGE_RECEIVED,
    by_email: bool = False,
) -> Activity:
    """In the caller's transaction: what the municipality wrote without answering a question — a public entry
    on the timeline, the handler's workspace notification and an e-mail to the handler. The status page and
    the contact's e-mail (conversation.filing, kind EMAIL_IN) both go through here."""
    activity = Activity.objects.create(
        enquiry=enquiry, kind=kind, actor=MUNICIPALITY, text=message, public=True, at=timezone.now()
    )
    muni = enquiry.municipality.short_name if enquiry.municipality_id else ""
    with override("de"):  # the office's language, like every workspace notification
        text = _("%(muni)s hat zur Anfrage %(ref)s eine Nachricht geschrieben.") % {
            "muni": muni,
            "ref": enquiry.reference,
        }
    notifications_create(recipient_ids=handler_user_ids(enquiry), enquiry=enquiry, kind=notification_kind, text=text)
    outbox_enqueue(
        to=handler_emails(enquiry),
        template=TEMPLATE,
        context={"enquiry": enquiry, "message": message, "staff_url": staff_url(enquiry), "by_email": by_email},
        enquiry=enquiry,
        # a notification to staff, like reply_received (outbox.services.AUTO_SUBMITTED_TEMPLATES)
        auto_submitted=True,
    )
    return activity

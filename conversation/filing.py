"""Put one inbound e-mail on a case: the one door for threading (``conversation.threading``) and for a
coordinator who files a stray mail by hand (``conversation.triage``).

| the mail | on the case | moves |
| --- | --- | --- |
| from the contact address, case awaiting a reply | the receive_reply step (its text is the mail's) | receive_reply |
| from the contact address, any other state | an incoming e-mail, visible to the municipality, the handler told in the workspace and by e-mail (``cases.public_messages.municipality_message_record``, as the status page) | nothing |
| from anyone else | an incoming e-mail marked "von Dritten", internal | nothing |
| an auto-reply | an internal incoming e-mail, nobody notified | nothing |
| a bounce | an internal entry; the contact address marked failing | nothing |

Runs in the caller's transaction; the handler is notified in the workspace (not for auto-replies and bounces).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.contact import contact_email_failed, contact_email_works
from cases.inbox import handler_user_ids, notifications_create
from cases.inputs import MAX_TEXT
from cases.models import Activity, Enquiry, Notification, State
from cases.public_messages import municipality_message_record
from cases.rules import MUNICIPALITY
from cases.services import enquiry_receive_reply
from conversation.models import InboundEmail
from core.errors import Conflict, GuardFailed


def same_address(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.strip().lower() == b.strip().lower()


def _entry_text(email: InboundEmail) -> str:
    text = (email.text or "").strip() or _("(E-Mail ohne Text)")
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return text


def email_file(
    *,
    email: InboundEmail,
    enquiry: Enquiry,
    matched_by: str,
    by: Any = None,
    bounce_recipient: str = "",
    bounce_reason: str = "",
) -> InboundEmail:
    """File ``email`` on ``enquiry`` (see the table above) and save it. ``email.kind`` says what it is when it
    comes in as an auto-reply or a bounce; otherwise the sender decides between reply and third party."""
    now = timezone.now()
    with transaction.atomic():
        activity = None
        if email.kind == InboundEmail.Kind.BOUNCE:
            if not bounce_recipient or same_address(bounce_recipient, enquiry.contact_email):
                contact_email_failed(enquiry=enquiry, reason=bounce_reason, at=now)
            activity = _entry(enquiry, email, public=False, at=now)
        elif email.kind == InboundEmail.Kind.AUTO_REPLY:
            activity = _entry(enquiry, email, public=False, at=now)
        elif same_address(email.from_address, enquiry.contact_email) and enquiry.anonymised_at is None:
            email.kind = InboundEmail.Kind.REPLY
            contact_email_works(enquiry=enquiry)
            if enquiry.state == State.AWAITING_REPLY:
                activity = _receive_reply(enquiry, email)
            if activity is None:
                # the same as a message on the status page (cases.public_messages): public entry, the handler
                # notified in the workspace and by e-mail
                activity = municipality_message_record(
                    enquiry=enquiry,
                    message=_entry_text(email),
                    kind=Activity.Kind.EMAIL_IN,
                    notification_kind=Notification.Kind.EMAIL_RECEIVED,
                    by_email=True,
                )
        else:
            email.kind = InboundEmail.Kind.THIRD_PARTY
            activity = _entry(enquiry, email, public=False, at=now)
            _notify(enquiry, email, by)
        email.enquiry = enquiry
        email.activity = activity
        email.status = InboundEmail.Status.FILED
        email.matched_by = matched_by
        if by is not None:
            email.filed_by, email.filed_at = by, now
        elif email.filed_at is None:
            email.filed_at = now
        email.save()
    return email


def _entry(enquiry: Enquiry, email: InboundEmail, *, public: bool, at) -> Activity:
    """An internal entry of a mail that does not speak for the municipality (third party, auto-reply, bounce)."""
    return Activity.objects.create(
        enquiry=enquiry,
        kind=Activity.Kind.EMAIL_IN,
        actor=(email.from_address or "?")[:150],
        text=_entry_text(email),
        public=public,
        at=at,
    )


def _receive_reply(enquiry: Enquiry, email: InboundEmail) -> Activity | None:
    """The municipality's answer moves the case; a lost race (the case moved meanwhile) files it as a mail."""
    try:
        with transaction.atomic():
            enquiry_receive_reply(
                enquiry=enquiry,
                by=None,
                actor=MUNICIPALITY,
                message=_entry_text(email),
                comment=_("per E-Mail"),
                expected_state=State.AWAITING_REPLY,
            )
    except (Conflict, GuardFailed):
        enquiry.refresh_from_db()
        return None
    return (
        Activity.objects.filter(enquiry=enquiry, kind=Activity.Kind.TRANSITION, transition="receive_reply")
        .order_by("-id")
        .first()
    )


def _notify(enquiry: Enquiry, email: InboundEmail, by: Any) -> None:
    notifications_create(
        recipient_ids=handler_user_ids(enquiry),
        enquiry=enquiry,
        kind=Notification.Kind.EMAIL_RECEIVED,
        text=_("E-Mail von %(sender)s zu %(reference)s: %(subject)s")
        % {"sender": email.from_address or "?", "reference": enquiry.reference, "subject": email.subject},
        actor=by,
    )

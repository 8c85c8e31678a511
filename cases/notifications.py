"""Which e-mails a transition causes. Every one goes through the outbox, in the transaction of the change.

| transition | to whom | template |
| --- | --- | --- |
| submit | the municipality's contact | confirmation (with status link) |
| request_info | the municipality's contact | request_info (the question, status link) |
| receive_reply | the handler: assigned user, else the partner, else the coordinators | reply_received |
| assign | the partner's address and the assigned user | assigned |
| decline | the coordinators | declined |
| resolve | the municipality's contact | resolved (outcome, survey notice) |
| close | the municipality's contact, unless spam or completed | closed |
| withdraw | the municipality's contact | withdrawn |
| reopen | the user who last worked on the case and the coordinators, not the one who reopened | reopened |

An introduction's answer (matching.introductions) e-mails the handler through ``introduction_answered_email``.
Every staff e-mail links to the case page of the workspace (``staff_url``). The workspace notifications of the
same events are written by cases.inbox.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from cases.deadlines import coordinator_emails
from cases.inbox import reopen_recipient_ids
from cases.links import staff_url, status_url
from cases.models import CloseReason, Enquiry
from core.roles import partner_of
from outbox.services import outbox_enqueue


def handler_emails(enquiry: Enquiry) -> list[str]:
    """Who works on the case now: the assigned user, else the partner's address, else the coordinators."""
    if enquiry.assigned_user_id and enquiry.assigned_user.email:
        return [enquiry.assigned_user.email]
    if enquiry.assigned_partner_id and enquiry.assigned_partner.email:
        return [enquiry.assigned_partner.email]
    return coordinator_emails()


def _without(emails: list[str], user: Any) -> list[str]:
    """The recipients without the user who acted (nobody needs to hear of his own step)."""
    own = getattr(user, "email", "") or ""
    return [address for address in emails if address != own]


def reopen_emails(enquiry: Enquiry) -> list[str]:
    """The addresses of the people a reopen notifies (``cases.inbox.reopen_recipient_ids``: one rule for both)."""
    users = get_user_model().objects.filter(pk__in=reopen_recipient_ids(enquiry), is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def introduction_answered_email(*, enquiry: Enquiry, project: Any, accepted: bool, note: str = "") -> None:
    """In the answer's transaction: the case's handler hears that the model project answered."""
    outbox_enqueue(
        to=handler_emails(enquiry),
        template="introduction_answered",
        context={
            "enquiry": enquiry,
            "project": project,
            "accepted": accepted,
            "note": note,
            "staff_url": staff_url(enquiry),
        },
        enquiry=enquiry,
    )


def notifications_after_transition(
    *, enquiry: Enquiry, transition: str, by_user: Any = None, payload: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    payload = payload or {}
    context = {
        "enquiry": enquiry,
        "status_url": status_url(enquiry),
        "staff_url": staff_url(enquiry),
        "message": payload.get("message", ""),
        "reason": payload.get("reason", ""),
    }
    municipality = enquiry.contact_email

    if transition == "submit":
        outbox_enqueue(to=municipality, template="confirmation", context=context, enquiry=enquiry)
    elif transition == "request_info":
        outbox_enqueue(to=municipality, template="request_info", context=context, enquiry=enquiry)
    elif transition == "receive_reply":
        outbox_enqueue(to=handler_emails(enquiry), template="reply_received", context=context, enquiry=enquiry)
    elif transition == "assign":
        recipients = [enquiry.assigned_partner.email] if enquiry.assigned_partner_id else []
        if enquiry.assigned_user_id and enquiry.assigned_user.email:
            recipients.append(enquiry.assigned_user.email)
        outbox_enqueue(to=recipients, template="assigned", context=context, enquiry=enquiry)
    elif transition == "decline":
        context["partner"] = payload.get("partner") or (partner_of(by_user) if by_user is not None else None)
        outbox_enqueue(to=coordinator_emails(), template="declined", context=context, enquiry=enquiry)
    elif transition == "resolve":
        context["outcome"] = getattr(enquiry, "outcome", None)
        context["survey_days"] = settings.KTS_DEADLINES["satisfaction_survey_days"]
        outbox_enqueue(to=municipality, template="resolved", context=context, enquiry=enquiry)
    elif transition == "close" and (enquiry.close_reason or context["reason"]) not in {
        CloseReason.SPAM,
        CloseReason.COMPLETED,
    }:
        context["reason"] = enquiry.close_reason or context["reason"]
        outbox_enqueue(to=municipality, template="closed", context=context, enquiry=enquiry)
    elif transition == "withdraw":
        outbox_enqueue(to=municipality, template="withdrawn", context=context, enquiry=enquiry)
    elif transition == "reopen":
        context["by_name"] = (by_user.get_full_name() or by_user.get_username()) if by_user is not None else ""
        outbox_enqueue(
            to=_without(reopen_emails(enquiry), by_user), template="reopened", context=context, enquiry=enquiry
        )

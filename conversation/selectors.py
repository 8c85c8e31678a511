"""Reading inbound e-mail: who may see which mail and its files, the coordinators' list of stray mail, and the
timeline's mails in a fixed number of queries.

Who may see a mail is who may see its case (``cases.selectors.enquiries_visible_to``: 404 otherwise, no hint
whether it exists); a mail that belongs to no case (unmatched or dismissed) is the coordinators' (managers read
everything, SPEC section 9, so they may read it too, never act on it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import Activity
from cases.selectors import enquiries_visible_to
from conversation.models import InboundAttachment, InboundEmail
from core.errors import GuardFailed, NotVisible
from core.roles import is_coordinator, is_manager
from core.validation import id_clean

MAX_QUERY = 200


def may_read_stray_mail(user: Any) -> bool:
    """Mail that belongs to no case: coordinators (who act on it) and managers (who read everything)."""
    return is_coordinator(user) or is_manager(user)


def inbound_emails_visible_to(*, user: Any) -> QuerySet[InboundEmail]:
    """The mails on cases this user may see, and for coordinators and managers also those without a case."""
    on_cases = Q(enquiry__in=enquiries_visible_to(user=user).values("pk"))
    if may_read_stray_mail(user):
        return InboundEmail.objects.filter(on_cases | Q(enquiry__isnull=True))
    return InboundEmail.objects.filter(on_cases)


def _pk(value: Any, message: str) -> int:
    """An id as core.validation.id_clean reads it (digits 0-9 only); anything else names nothing: 404."""
    try:
        return id_clean(value, field="id", message=message)
    except GuardFailed as exc:
        raise NotVisible(message) from exc


def inbound_email_get_visible(*, user: Any, pk: Any) -> InboundEmail:
    """The mail if this user may see it (with its case and attachments); else NotVisible (404)."""
    message = _("E-Mail nicht gefunden.")
    email = (
        inbound_emails_visible_to(user=user)
        .filter(pk=_pk(pk, message))
        .select_related("enquiry", "filed_by")
        .prefetch_related("attachments")
        .first()
    )
    if email is None:
        raise NotVisible(message)
    return email


def attachment_get_visible(*, user: Any, pk: Any) -> InboundAttachment:
    """The attachment if this user may see its mail; else NotVisible (404)."""
    message = _("Anhang nicht gefunden.")
    attachment = (
        InboundAttachment.objects.filter(pk=_pk(pk, message), email__in=inbound_emails_visible_to(user=user))
        .select_related("email")
        .first()
    )
    if attachment is None:
        raise NotVisible(message)
    return attachment


def inbound_emails_list(*, status: str | None = None, q: str | None = None) -> QuerySet[InboundEmail]:
    """The stray-mail list (``?status=unmatched|filed|dismissed``, default unmatched; ``?q=`` in sender,
    subject and text), newest first, with what the list shows in a fixed number of queries. GuardFailed (400)
    naming the parameter for a bad value."""
    status = status or InboundEmail.Status.UNMATCHED
    if status not in InboundEmail.Status.values:
        raise GuardFailed(
            _("Status ist einer von: %(values)s") % {"values": ", ".join(InboundEmail.Status.values)}, field="status"
        )
    emails = InboundEmail.objects.filter(status=status)
    if q is not None and q.strip():
        term = q.strip()
        if len(term) > MAX_QUERY or "\x00" in term:
            raise GuardFailed(_("Der Suchbegriff ist zu lang."), field="q")
        emails = emails.filter(
            Q(from_address__icontains=term)
            | Q(from_name__icontains=term)
            | Q(subject__icontains=term)
            | Q(text__icontains=term)
        )
    return (
        emails.select_related("enquiry")
        .prefetch_related("attachments")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-received_at", "-id")
    )


def unmatched_count() -> int:
    """How many mails wait for a coordinator (the navigation's badge); one query on the status index."""
    return InboundEmail.objects.filter(status=InboundEmail.Status.UNMATCHED).count()


def activities_with_mail(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The timeline's activities with the mail each one came from and its attachments: two queries more,
    whatever the number of mails (the join for the mail, one query for all attachments)."""
    return activities.select_related("inbound_email").prefetch_related(
        Prefetch("inbound_email__attachments", queryset=InboundAttachment.objects.order_by("id"))
    )


def mail_of(activity: Activity) -> InboundEmail | None:
    """The inbound mail that made this timeline entry, or None (read from the join above, no query)."""
    try:
        return activity.inbound_email
    except ObjectDoesNotExist:
        return None

"""The contact address of a case: a bounce marks it failing (shown on the case), a mail from it proves it works
again. The one door for these two fields; the e-mail conversation (conversation.filing) calls it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rules
from cases.models import Activity, Enquiry


def contact_email_failed(*, enquiry: Enquiry, reason: str, at: datetime | None = None) -> None:
    """A delivery failure of the contact address: noted on the case and on its timeline (internal)."""
    at = at or timezone.now()
    reason = " ".join((reason or "").split())[:500]
    Enquiry.objects.filter(pk=enquiry.pk).update(contact_email_failed_at=at, contact_email_failure=reason)
    enquiry.contact_email_failed_at, enquiry.contact_email_failure = at, reason
    Activity.objects.create(
        enquiry=enquiry,
        kind=Activity.Kind.SYSTEM,
        actor=rules.SYSTEM,
        text=_("Die E-Mail-Adresse %(address)s ist unzustellbar: %(reason)s")
        % {"address": enquiry.contact_email, "reason": reason or _("ohne Angabe eines Grundes")},
        at=at,
    )


def contact_email_works(*, enquiry: Enquiry) -> None:
    """A mail came from the contact address: a failure noted earlier no longer holds."""
    if enquiry.contact_email_failed_at is None:
        return
    Enquiry.objects.filter(pk=enquiry.pk).update(contact_email_failed_at=None, contact_email_failure="")
    enquiry.contact_email_failed_at, enquiry.contact_email_failure = None, ""

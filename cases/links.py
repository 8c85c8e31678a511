"""The links that e-mails carry: a leaf module, so that every sender can import it."""

from __future__ import annotations

from django.conf import settings

from cases.models import Enquiry


def status_url(enquiry: Enquiry) -> str:
    """The municipality's status page (token link, no account)."""
    return f"{settings.KTS_BASE_URL}/status/{enquiry.public_token}/"


def staff_url(enquiry: Enquiry) -> str:
    return f"{settings.KTS_BASE_URL}/admin/cases/enquiry/{enquiry.pk}/change/"

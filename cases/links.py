"""The absolute links that e-mails carry, in one leaf module: each is ``KTS_BASE_URL`` plus the path that
``reverse()`` gives for the named route, so a link follows its route when the route moves. Every sender
(notifications, deadlines, reminders, surveys, introductions) takes its links from here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from cases.models import Enquiry, SurveyResponse


def absolute_url(name: str, **kwargs: Any) -> str:
    """KTS_BASE_URL (the site's public address, no trailing slash) + the path of the route ``name``."""
    return settings.KTS_BASE_URL + reverse(name, kwargs=kwargs)


def status_url(enquiry: Enquiry) -> str:
    """The municipality's status page (token link, no account)."""
    return absolute_url("web:public-status", token=enquiry.public_token)


def staff_url(enquiry: Enquiry) -> str:
    """The case page of the staff workspace (never the admin): every e-mail to staff links there."""
    return absolute_url("web:case-detail", pk=enquiry.pk)


def survey_url(survey: SurveyResponse) -> str:
    """The survey page (token link, no account)."""
    return absolute_url("web:survey", token=survey.token)


def introduction_answer_url(*, token: str) -> str:
    """The model project's answer page of an introduction (token link, no account); by token, since the
    introduction is matching's model, a layer above."""
    return absolute_url("web:introduction-answer", token=token)

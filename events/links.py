"""The absolute links of event e-mails (KTS_BASE_URL + the route's path), like ``cases.links``."""

from __future__ import annotations

from cases.links import absolute_url


def registration_url(*, token: str) -> str:
    """The municipality's registration page (personal token link, no account)."""
    return absolute_url("web:event-registration", token=token)


def presenter_answer_url(*, token: str) -> str:
    """The model project's answer page: will it present at the event?"""
    return absolute_url("web:event-presenter-answer", token=token)


def event_staff_url(*, event_id: int) -> str:
    return absolute_url("web:event-detail", pk=event_id)

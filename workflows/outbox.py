"""Outgoing e-mail. Placeholder with the final signature: the outbox work replaces the body with a row
written in the caller's transaction and a task that sends it after commit.

Templates: ``emails/<template>/subject.txt``, ``body.txt`` and ``body.html`` (any app's templates folder);
the context gets ``base_url`` (KTS_BASE_URL) added.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def outbox_enqueue(
    *, to: str | list[str], template: str, context: dict[str, Any], enquiry: Any = None, language: str = "de"
) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    ctx = {**context, "base_url": settings.KTS_BASE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}/subject.txt", ctx).split())
        text = render_to_string(f"emails/{template}/body.txt", ctx)
        html = render_to_string(f"emails/{template}/body.html", ctx)

    def send() -> None:
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
        message.attach_alternative(html, "text/html")
        message.send()

    transaction.on_commit(send)

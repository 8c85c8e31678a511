"""Inbound e-mails for the tests of the coordinators' doors: real rows of conversation.models with real files in
the mail storage, put on a case through the real ``conversation.filing.email_file`` (the receiving side is built
and tested on its own; these tests do not depend on it)."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from conversation.filing import email_file
from conversation.models import InboundAttachment, InboundEmail

_numbers = itertools.count(1)


def raw_message(*, sender: str, subject: str, text: str, to: str = "transferstelle@kts.invalid") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<test-{next(_numbers)}@gemeinde.example>"
    message.set_content(text)
    return message.as_bytes()


def inbound_email(
    *,
    sender: str = "buergermeister@gemeinde.example",
    name: str = "Hans Bürgermeister",
    subject: str = "Frage zum Rufbus",
    text: str = "Wie habt ihr den Rufbus organisiert?",
    full_text: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    kind: str = InboundEmail.Kind.NEW,
    problems: str = "",
    **fields: Any,
) -> InboundEmail:
    """An unmatched mail as the receiving side stores it: the original .eml and each attachment (name, bytes,
    declared type) in the mail storage."""
    number = next(_numbers)
    raw = raw_message(sender=f"{name} <{sender}>", subject=subject, text=full_text or text)
    email = InboundEmail(
        message_id=f"test-{number}@gemeinde.example",
        from_address=sender,
        from_name=name,
        to_addresses="transferstelle@kts.invalid",
        subject=subject,
        received_at=timezone.now(),
        text=text,
        full_text=full_text or text,
        size=len(raw),
        source=InboundEmail.Source.PIPE,
        kind=kind,
        status=InboundEmail.Status.UNMATCHED,
        problems=problems,
        **fields,
    )
    email.raw.save("original.eml", ContentFile(raw), save=False)
    email.save()
    for filename, content, content_type in attachments or []:
        attachment = InboundAttachment(email=email, name=filename, content_type=content_type, size=len(content))
        attachment.file.save(filename, ContentFile(content), save=False)
        attachment.save()
    return email


def filed_email(*, enquiry: Any, matched_by: str = InboundEmail.MatchedBy.KEY, **fields: Any) -> InboundEmail:
    """A mail put on ``enquiry`` through conversation.filing.email_file (by the threading, as it were)."""
    email = inbound_email(**fields)
    return email_file(email=email, enquiry=enquiry, matched_by=matched_by)

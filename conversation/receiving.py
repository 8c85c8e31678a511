"""Inbound mail, both doors (``manage.py receive_email`` and the IMAP poll) go through ``inbound_receive``.

1. Refuse a message above INBOUND_MAX_BYTES before reading it, and input that is no mail (InboundRefused).
2. Parse it (``conversation.parsing``): what cannot be used is noted in ``problems``, never raised.
3. One transaction: the row (unique Message-ID; a second arrival, also a concurrent one caught as an
   IntegrityError in a savepoint, returns ``created=False`` and changes nothing), the original and the
   attachments in the mail storage, then the threading (``conversation.threading``) and the filing
   (``conversation.filing.email_file``), or status "unmatched" for a coordinator.
4. Files written for a transaction that did not commit are deleted again.

A mail that finds no case is kept with status "unmatched" and kind "new"; an auto-reply or a bounce that finds
none keeps its kind, so that the coordinators see it for what it is (and never make an enquiry of it). A mail
without a usable From is never threaded: nobody could tell whose it is.

Nothing here ever sends mail: an inbound mail is answered by nobody (no loops with auto-responders). Inbound
data never reaches a header of an outgoing mail: the control characters of subject and sender are removed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import NoReturn

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from conversation.filing import email_file
from conversation.models import InboundAttachment, InboundEmail, mail_storage
from conversation.parsing import NotAMail, ParsedMail, parse_mail
from conversation.threading import thread_mail

logger = logging.getLogger("conversation")


class InboundRefused(Exception):
    """The message cannot be stored (too large, not a mail at all): ``reason`` says why, in English for the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Received:
    email: InboundEmail
    created: bool  # False: the same Message-ID was stored before; nothing changed


class _Duplicate(Exception):
    pass


def inbound_receive(raw: bytes, *, source: str) -> Received:
    """Store one RFC 5322 message, thread it and file it (or keep it for a coordinator). Idempotent per
    Message-ID. Raises InboundRefused for what cannot be stored; never anything else for bad input."""
    if len(raw) > settings.INBOUND_MAX_BYTES:
        return _refuse(f"message too large: more than {settings.INBOUND_MAX_BYTES} bytes", source)
    try:
        parsed = parse_mail(raw)
    except NotAMail as refused:
        return _refuse(refused.reason, source)
    except Exception as error:  # the email package failing on some input must not stop the next mail
        logger.exception("inbound mail (%s) could not be parsed", source)
        return _refuse(f"unreadable message: {type(error).__name__}", source)

    existing = InboundEmail.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        logger.info("inbound mail %s (%s) was stored before as #%s", parsed.message_id, source, existing.pk)
        return Received(existing, False)

    written: list[str] = []
    try:
        email = _store(parsed, raw, source=source, written=written)
    except _Duplicate:
        _delete(written)
        existing = InboundEmail.objects.get(message_id=parsed.message_id)
        logger.info("inbound mail %s (%s) arrived twice at once; kept #%s", parsed.message_id, source, existing.pk)
        return Received(existing, False)
    except BaseException:
        _delete(written)
        raise
    logger.info(
        "inbound mail #%s %s (%s): %s, %s%s",
        email.pk,
        email.message_id,
        source,
        email.kind,
        email.enquiry.reference if email.enquiry_id else "unmatched",
        f"; problems: {email.problems}" if email.problems else "",
    )
    return Received(email, True)


def _refuse(reason: str, source: str) -> NoReturn:
    logger.warning("inbound mail (%s) refused: %s", source, reason)
    raise InboundRefused(reason)


def _kind(parsed: ParsedMail) -> str:
    if parsed.bounce is not None:
        return InboundEmail.Kind.BOUNCE
    if parsed.auto_reply:
        return InboundEmail.Kind.AUTO_REPLY
    return InboundEmail.Kind.NEW


def _store(parsed: ParsedMail, raw: bytes, *, source: str, written: list[str]) -> InboundEmail:
    with transaction.atomic():
        email = InboundEmail(
            message_id=parsed.message_id,
            # the From header's address, even when Sender or the envelope differ: nothing more can be verified,
            # and filing only lets the case's contact address speak for the municipality
            from_address=parsed.from_address,
            from_name=parsed.from_name,
            to_addresses=", ".join(parsed.to_addresses),
            subject=parsed.subject,
            in_reply_to=" ".join(parsed.in_reply_to),
            references=" ".join(parsed.references),
            sent_at=parsed.sent_at,
            received_at=timezone.now(),
            text=parsed.text,
            full_text=parsed.full_text,
            from_html=parsed.from_html,
            size=len(raw),
            source=source if source in InboundEmail.Source.values else InboundEmail.Source.PIPE,
            kind=_kind(parsed),
            status=InboundEmail.Status.UNMATCHED,
            problems="\n".join(parsed.problems),
        )
        email.raw.save("original.eml", ContentFile(raw), save=False)
        written.append(email.raw.name)
        try:
            with transaction.atomic():
                email.save()
        except IntegrityError as error:
            raise _Duplicate from error
        for attachment in parsed.attachments:
            row = InboundAttachment(
                email=email, name=attachment.name, content_type=attachment.content_type, size=len(attachment.data)
            )
            row.file.save(attachment.name, ContentFile(attachment.data), save=False)
            written.append(row.file.name)
            row.save()
        # a mail without a usable sender waits for a coordinator: nobody could tell whose it is
        match = thread_mail(parsed) if parsed.from_address else None
        if match is None:
            return email
        bounce = parsed.bounce
        return email_file(
            email=email,
            enquiry=match.enquiry,
            matched_by=match.matched_by,
            bounce_recipient=bounce.recipient if bounce else "",
            bounce_reason=bounce.reason if bounce else "",
        )


def _delete(names: list[str]) -> None:
    storage = mail_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a leftover file is harmless; the row that would name it does not exist
            logger.warning("could not delete %s after a failed inbound mail", name)

"""Outgoing e-mail through the outbox: nothing accepted is lost, nothing is sent twice.

``outbox_enqueue`` renders the message and writes it as a row in the caller's transaction; after commit a
task is kicked to send it. If the broker is down the kick fails quietly (logged) and the periodic
``outbox_sweep`` sends the row later. Sending claims the row first with a compare-and-swap UPDATE, so two
workers (the kicked task and a sweep, or two sweeps) never send one message twice.

Templates: ``emails/<template>/subject.txt``, ``body.txt`` and ``body.html`` (any app's templates folder);
the context gets ``base_url`` (KTS_BASE_URL) added.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from workflows.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A claim older than this belongs to a worker that died while sending; the sweep releases it.
STALE_CLAIM = timedelta(minutes=10)
SWEEP_BATCH = 200
KICK_TRANSPORT_OPTIONS = {"max_retries": 0, "interval_start": 0, "interval_step": 0, "interval_max": 0}


def outbox_enqueue(
    *, to: str | list[str], template: str, context: dict[str, Any], enquiry: Any = None, language: str | None = None
) -> OutboxMessage | None:
    """Write one e-mail into the outbox (in the caller's transaction) and send it after commit.

    Without an explicit language, a message to the enquirer alone is written in the language the enquiry was
    made in; everything else (staff, model projects) in German, the office's language.
    """
    recipients = sorted({address for address in ([to] if isinstance(to, str) else to) if address})
    if not recipients:
        return None
    if language is None:
        to_enquirer = enquiry is not None and recipients == [enquiry.contact_email]
        language = enquiry.language if to_enquirer else settings.LANGUAGE_CODE
    ctx = {**context, "base_url": settings.KTS_BASE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}/subject.txt", ctx).split())
        text = render_to_string(f"emails/{template}/body.txt", ctx)
        html = render_to_string(f"emails/{template}/body.html", ctx)
    message = OutboxMessage.objects.create(
        template=template,
        enquiry=enquiry,
        recipients=recipients,
        subject=subject[:255],
        text=text,
        html=html,
        language=language,
    )
    message_id = message.id
    transaction.on_commit(lambda: outbox_kick(message_id=message_id))
    return message


def outbox_kick(*, message_id: int) -> None:
    """Hand the message to a worker. The broker being down must not fail the request that caused the
    e-mail: the row is committed, so the sweep sends it once the broker is back."""
    from settings.celery import app
    from workflows.tasks import send_outbox_message

    try:
        # One connection attempt, no publish retries: a dead broker must not hold the web request for the
        # seconds the default retry policy would wait.
        with app.connection_for_write(transport_options=KICK_TRANSPORT_OPTIONS) as connection:
            send_outbox_message.apply_async(args=[message_id], retry=False, connection=connection)
    except Exception:
        logger.warning("outbox: could not queue message %s; the sweep will send it", message_id, exc_info=True)


def _backoff(attempts: int) -> timedelta:
    # 1, 2, 4, 8, 16 minutes: a mail server that is down for a while gets time to come back.
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def outbox_deliver(*, message_id: int, now=None) -> bool:
    """Send one message if it is due. Returns True when this call sent it.

    1. Claim: UPDATE ... SET status=sending WHERE id=.. AND status=pending AND due; only the caller whose
       UPDATE changed the row goes on (two workers: one gets 1, the other 0).
    2. Send through Django's mail (EMAIL_URL).
    3. Mark sent; on an error put it back to pending with backoff, or to failed after MAX_ATTEMPTS.
    """
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(
        id=message_id, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    message = OutboxMessage.objects.get(id=message_id)
    try:
        email = EmailMultiAlternatives(
            message.subject,
            message.text,
            settings.DEFAULT_FROM_EMAIL,
            message.recipients,
            connection=get_connection(fail_silently=False),
            reply_to=[settings.KTS_REPLY_TO] if settings.KTS_REPLY_TO else None,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        email.send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        failed = message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(id=message_id, status=OutboxMessage.Status.SENDING).update(
            status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.PENDING,
            last_error=error,
            next_attempt_at=timezone.now() + _backoff(message.attempts),
            claimed_at=None,
        )
        logger.warning("outbox: message %s attempt %s failed: %s", message_id, message.attempts, error)
        return False
    OutboxMessage.objects.filter(id=message_id, status=OutboxMessage.Status.SENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("outbox: sent message %s (%s)", message_id, message.template)
    return True


def outbox_release_stale(*, now=None) -> int:
    """Put claims of dead workers back to pending. The crash may have come after the mail server took the
    message, so this one case can send twice; it needs a worker killed in the middle of one SMTP dialogue."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=OutboxMessage.Status.PENDING, claimed_at=None, next_attempt_at=now
    )


def outbox_sweep(*, now=None, limit: int = SWEEP_BATCH) -> int:
    """Send what is due and still pending (a lost kick, a retry after backoff). Returns how many were sent."""
    now = now or timezone.now()
    outbox_release_stale(now=now)
    due = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(1 for message_id in due if outbox_deliver(message_id=message_id, now=now))


def outbox_retry(*, message_ids: list[int]) -> int:
    """Admin action: failed messages get another round of attempts."""
    now = timezone.now()
    updated = OutboxMessage.objects.filter(id__in=message_ids, status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=now, claimed_at=None
    )
    for message_id in message_ids:
        transaction.on_commit(lambda message_id=message_id: outbox_kick(message_id=message_id))
    return updated

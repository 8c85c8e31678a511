"""The worker's half of the outbox: deliver one message (claim, send, back off) and the periodic sweep. Called by
``outbox.tasks``; ``outbox.services`` writes the rows and kicks the tasks."""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from outbox.addresses import inbound_domain
from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A claim older than this belongs to a worker that died while sending; the sweep releases it.
STALE_CLAIM = timedelta(minutes=10)
SWEEP_BATCH = 200
# how many earlier Message-IDs of the case a mail to the municipality names in References (the newest ones)
REFERENCES_MAX = 20


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
        reply_to = message.reply_to or settings.KTS_REPLY_TO
        email = EmailMultiAlternatives(
            message.subject,
            message.text,
            settings.DEFAULT_FROM_EMAIL,
            message.recipients,
            connection=get_connection(fail_silently=False),
            reply_to=[reply_to] if reply_to else None,
            headers=_headers(message),
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for attachment in message.attachments:
            email.attach(attachment["filename"], attachment["content"], attachment["content_type"])
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


def _headers(message: OutboxMessage) -> dict[str, str]:
    """The conversation's headers: the kept Message-ID (a row from before it was kept gets one now, stored, so
    that the next attempt sends the same), the thread of the case's earlier mail to the same Reply-To, and
    RFC 3834's marks on mail no person wrote."""
    if not message.message_id:
        message.message_id = make_msgid(domain=inbound_domain() or None)
        OutboxMessage.objects.filter(id=message.id, message_id="").update(message_id=message.message_id)
        message.message_id = OutboxMessage.objects.values_list("message_id", flat=True).get(id=message.id)
    headers = {"Message-ID": message.message_id}
    if message.enquiry_id and message.reply_to and message.reply_to != settings.KTS_REPLY_TO:
        # mail to the municipality: its client shows the case's mails as one thread
        earlier = list(
            OutboxMessage.objects.filter(enquiry_id=message.enquiry_id, reply_to=message.reply_to, id__lt=message.id)
            .exclude(message_id="")
            .order_by("-id")
            .values_list("message_id", flat=True)[:REFERENCES_MAX]
        )
        if earlier:
            headers["In-Reply-To"] = earlier[0]
            headers["References"] = " ".join(reversed(earlier))
    if message.auto_submitted:
        headers["Auto-Submitted"] = "auto-generated"
        # Exchange sends no out-of-office answer to it
        headers["X-Auto-Response-Suppress"] = "All"
    return headers


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

"""Outgoing e-mail through the outbox: nothing accepted is lost, nothing is sent twice.

``outbox_enqueue`` renders the message and writes it as a row in the caller's transaction; after commit a
task is kicked to send it. If the broker is down the kick fails quietly (logged) and the periodic
``outbox_sweep`` sends the row later. Sending claims the row first with a compare-and-swap UPDATE, so two
workers (the kicked task and a sweep, or two sweeps) never send one message twice.

Templates: ``emails/<template>/subject.txt``, ``body.txt`` and ``body.html`` (any app's templates folder);
the context gets ``base_url`` (KTS_BASE_URL) added.

Headers of the e-mail conversation (SPEC section 10), decided here at enqueue time and kept on the row, so that a
retry sends the same mail:

- every message gets its Message-ID now (a reply's In-Reply-To finds the case by it);
- mail to the municipality (the recipients are exactly the case's contact address) carries the case's
  plus-addressed Reply-To (``outbox.addresses.case_reply_address``) and ``[<reference>] `` before its subject;
  everything else answers to ``KTS_REPLY_TO``;
- mail that no person wrote is ``auto_submitted`` (RFC 3834): the templates in ``AUTO_SUBMITTED_TEMPLATES``
  unless the caller says otherwise.
"""

from __future__ import annotations

from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ops.jobs import job_defer
from outbox.addresses import case_reply_address, inbound_domain
from outbox.delivery import MAX_ATTEMPTS, outbox_deliver, outbox_sweep
from outbox.models import OutboxMessage

# the worker's half lives in outbox.delivery (the tasks import it, this module imports the tasks)
__all__ = [
    "AUTO_SUBMITTED_TEMPLATES",
    "MAX_ATTEMPTS",
    "outbox_deliver",
    "outbox_enqueue",
    "outbox_history_mark_sent",
    "outbox_retry",
    "outbox_sweep",
]

# The mails no person wrote (RFC 3834 "auto-generated"): the confirmation, the reminders, the surveys, the
# answer of a model project passed on, and every notification to staff. Not auto-generated: what a person wrote
# to the municipality or a model project (request_info, the free message, resolved, closed, withdrawn, the
# introduction request).
AUTO_SUBMITTED_TEMPLATES = frozenset(
    {
        "confirmation",
        "awaiting_reminder",
        "followup_due",
        "escalation",
        "survey_satisfaction",
        "survey_adoption",
        "introduction_accepted",
        # staff notifications
        "assigned",
        "declined",
        "reply_received",
        "reopened",
        "introduction_answered",
    }
)


def outbox_enqueue(
    *,
    to: str | list[str],
    template: str,
    context: dict[str, Any],
    enquiry: Any = None,
    language: str | None = None,
    auto_submitted: bool | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage | None:
    """Write one e-mail into the outbox (in the caller's transaction) and send it after commit.

    Without an explicit language, a message to the enquirer alone is written in the language the enquiry was
    made in; everything else (staff, model projects) in German, the office's language. ``auto_submitted``
    defaults to the template being in ``AUTO_SUBMITTED_TEMPLATES``. ``attachments`` are small generated text
    files (``{"filename", "content_type", "content"}``), such as a calendar file.
    """
    recipients = sorted({address for address in ([to] if isinstance(to, str) else to) if address})
    if not recipients:
        return None
    to_enquirer = enquiry is not None and recipients == [enquiry.contact_email]
    if language is None:
        language = enquiry.language if to_enquirer else settings.LANGUAGE_CODE
    if auto_submitted is None:
        auto_submitted = template in AUTO_SUBMITTED_TEMPLATES
    ctx = {**context, "base_url": settings.KTS_BASE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}/subject.txt", ctx).split())
        text = render_to_string(f"emails/{template}/body.txt", ctx)
        html = render_to_string(f"emails/{template}/body.html", ctx)
    reply_to = settings.KTS_REPLY_TO
    if to_enquirer:
        # the municipality answers by replying: the plus-address files the answer on its case, the reference in
        # the subject is the last resort when a mail client drops both the address and the References
        reply_to = case_reply_address(enquiry.mail_key)
        prefix = f"[{enquiry.reference}] "
        if enquiry.reference and not subject.startswith(prefix):
            subject = prefix + subject
    message = OutboxMessage.objects.create(
        template=template,
        enquiry=enquiry,
        recipients=recipients,
        subject=subject[:255],
        text=text,
        html=html,
        language=language,
        message_id=make_msgid(domain=inbound_domain() or None),
        reply_to=reply_to or "",
        auto_submitted=auto_submitted,
        attachments=list(attachments or []),
    )
    # sent by a worker after the commit (ops.jobs): the row of the job is written with the message's
    job_defer(OUTBOX_SEND_JOB, [message.id])
    return message


OUTBOX_SEND_JOB = "outbox.send"


def outbox_send_job(keys: list[str]) -> None:
    """The deferred job (ops.jobs): deliver these messages (a message already sent or claimed is skipped by
    ``outbox_deliver``; a refusal is the outbox's own retry, not the job's)."""
    from outbox.delivery import outbox_deliver

    for key in keys:
        outbox_deliver(message_id=int(key))


def outbox_history_mark_sent(*, message_ids: list[int]) -> int:
    """Rows that stand for mails of the past (the demo's history) are marked sent at their creation time without
    being sent. Only pending rows: a row a worker has claimed or sent is left as it is."""
    return OutboxMessage.objects.filter(id__in=message_ids, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=F("created_at"), claimed_at=None
    )


def outbox_retry(*, message_ids: list[int]) -> int:
    """Admin action: failed messages get another round of attempts."""
    now = timezone.now()
    updated = OutboxMessage.objects.filter(id__in=message_ids, status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=now, claimed_at=None
    )
    # sent the way a new message is: the deferred job (ops.jobs), kicked once after commit
    job_defer(OUTBOX_SEND_JOB, message_ids)
    return updated

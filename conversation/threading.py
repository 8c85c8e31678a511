"""Which case an inbound mail belongs to, in this order (SPEC section 10):

1. the case key in a recipient address (To, Cc, Delivered-To, X-Original-To, Envelope-To):
   ``<local>+<mail_key>@<domain>`` of INBOUND_EMAIL_ADDRESS, local part and domain compared case-insensitively
   (``outbox.addresses.case_key_of``, the same place that builds the Reply-To) -> matched by "key";
2. In-Reply-To, then References (newest first) against the Message-IDs of our outgoing mail of a case and of
   inbound mail already filed on a case -> "header";
3. a reference ``KTS-YYYY-NNNNNN`` in the subject, with or without brackets -> "subject".

A bounce is threaded by the original it returns (our mail): its Message-ID (2), else the key in its Reply-To
(1), else the reference in its subject (3); the bounce's own recipients and subject are the mail system's.

A key that names no case is passed over (the next rule may still find the case); a case found that is
anonymised takes no mail: the mail stays unmatched for a coordinator. Whether the sender may speak for the
municipality is not decided here but in ``conversation.filing.email_file`` (a forged subject reference from a
stranger is filed as a third party's mail and moves nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cases.models import Enquiry
from conversation.models import InboundEmail
from conversation.parsing import ParsedMail, normalise_message_id
from outbox.addresses import case_key_of
from outbox.models import OutboxMessage

_REFERENCE = re.compile(r"\bKTS-(\d{4})-(\d{6})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    enquiry: Enquiry
    matched_by: str


def thread_mail(parsed: ParsedMail) -> Match | None:
    if parsed.bounce is not None:
        match = _by_header(parsed) or _by_key(parsed) or _by_subject(parsed)
    else:
        match = _by_key(parsed) or _by_header(parsed) or _by_subject(parsed)
    if match is None or match.enquiry.anonymised_at is not None:
        return None
    return match


def _by_key(parsed: ParsedMail) -> Match | None:
    # a bounce is addressed to our envelope sender; the key is in the Reply-To of the original it returns
    addresses = parsed.bounce.original_reply_to if parsed.bounce is not None else parsed.recipients
    for address in addresses:
        key = case_key_of(address)
        if key:
            enquiry = Enquiry.objects.filter(mail_key=key).first()
            if enquiry is not None:
                return Match(enquiry, InboundEmail.MatchedBy.KEY)
    return None


def _by_header(parsed: ParsedMail) -> Match | None:
    if parsed.bounce is not None:
        ids = [parsed.bounce.original_message_id] if parsed.bounce.original_message_id else []
    else:
        ids = [*parsed.in_reply_to, *reversed(parsed.references)]
    for message_id in ids:
        bare = message_id.strip("<>")
        outgoing = (
            OutboxMessage.objects.filter(message_id__in=[f"<{bare}>", bare], enquiry__isnull=False)
            .select_related("enquiry")
            .order_by("-id")
            .first()
        )
        if outgoing is not None:
            return Match(outgoing.enquiry, InboundEmail.MatchedBy.HEADER)
        incoming = (
            InboundEmail.objects.filter(message_id=normalise_message_id(bare), enquiry__isnull=False)
            .select_related("enquiry")
            .first()
        )
        if incoming is not None:
            return Match(incoming.enquiry, InboundEmail.MatchedBy.HEADER)
    return None


def _by_subject(parsed: ParsedMail) -> Match | None:
    subject = parsed.bounce.original_subject if parsed.bounce is not None else parsed.subject
    for year, number in _REFERENCE.findall(subject):
        enquiry = Enquiry.objects.filter(reference=f"KTS-{year}-{number}").first()
        if enquiry is not None:
            return Match(enquiry, InboundEmail.MatchedBy.SUBJECT)
    return None

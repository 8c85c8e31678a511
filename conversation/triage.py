"""What a coordinator does with mail that belongs to no case (SPEC section 10): file it on a case, turn it into a
new enquiry (channel e-mail, the sender as contact), or dismiss it. One door each; the API
(``api.views.inbound``) and the workspace (``web.views.workspace_mail``) both call them.

Each door:
1. checks the role (coordinators only: NotAllowed, 403);
2. locks the mail row (``select_for_update``) and checks it still waits (``unmatched``): two coordinators acting on
   the same mail at once, or a mail threaded meanwhile, get Conflict (409) and nothing changes;
3. acts in the same transaction.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.inputs import MAX_TEXT
from cases.intake import LIMITS, enquiry_submit
from cases.models import Activity, Enquiry, SupportType
from cases.rules import MUNICIPALITY
from catalogue.models import Municipality
from conversation.filing import email_file
from conversation.models import InboundEmail
from core.errors import Conflict, GuardFailed, NotAllowed
from core.roles import is_coordinator

REFERENCE = re.compile(r"KTS-\d{4}-\d{6}", re.IGNORECASE)


def _coordinator_only(by: Any) -> None:
    if not is_coordinator(by):
        raise NotAllowed(_("Nur die Koordination darf nicht zugeordnete E-Mails bearbeiten."))


def _claim(email: InboundEmail) -> InboundEmail:
    """Step 2: the row locked, and still waiting; else Conflict. Call inside a transaction."""
    locked = InboundEmail.objects.select_for_update().filter(pk=email.pk).first()
    if locked is None or locked.status != InboundEmail.Status.UNMATCHED:
        raise Conflict(_("Diese E-Mail wurde inzwischen schon zugeordnet oder verworfen."))
    return locked


def enquiry_find_for_filing(*, value: Any) -> Enquiry:
    """The case named by an Aktenzeichen (KTS-2026-000031) or an id, as a coordinator types it; GuardFailed
    naming ``enquiry`` when there is none (coordinators see every case, so this reveals nothing)."""
    enquiry = None
    if isinstance(value, bool):
        value = None
    text = str(value).strip() if isinstance(value, str | int) else ""
    if match := REFERENCE.search(text):
        enquiry = Enquiry.objects.filter(reference=match.group(0).upper()).first()
    elif text.isascii() and text.isdigit() and len(text) <= 18:
        enquiry = Enquiry.objects.filter(pk=int(text)).first()
    if enquiry is None:
        raise GuardFailed(
            _("Keine Anfrage mit diesem Aktenzeichen oder dieser Nummer gefunden: %(value)s") % {"value": text[:40]},
            field="enquiry",
        )
    return enquiry


def municipality_find(*, value: Any) -> Municipality:
    """The municipality named by its official key (8 digits, districts 5; as the public submission takes it) or
    by its id in the catalogue (a JSON number); GuardFailed naming ``municipality`` otherwise."""
    found = None
    if isinstance(value, int) and not isinstance(value, bool):
        found = Municipality.objects.filter(pk=value).first() if 0 < value < 2**63 else None
    elif isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            if len(text) in (5, 8):
                found = Municipality.objects.filter(ags=text).first()
            elif len(text) <= 18:
                found = Municipality.objects.filter(pk=int(text)).first()
    if found is None:
        raise GuardFailed(_("Diese Kommune ist im Gemeindeverzeichnis nicht bekannt."), field="municipality")
    return found


def inbound_email_file(*, email: InboundEmail, enquiry: Enquiry, by: Any) -> InboundEmail:
    """File a stray mail on ``enquiry`` through ``conversation.filing.email_file`` (the contact's mail may take
    receive_reply there, anyone else's is marked as from a third party)."""
    _coordinator_only(by)
    if enquiry.anonymised_at is not None:
        raise GuardFailed(
            _("Diese Anfrage ist anonymisiert; ihr kann keine E-Mail mehr zugeordnet werden."), field="enquiry"
        )
    with transaction.atomic():
        locked = _claim(email)
        return email_file(email=locked, enquiry=enquiry, matched_by=InboundEmail.MatchedBy.COORDINATOR, by=by)


def _clip(value: str, limit: int) -> str:
    value = " ".join(value.split()) if limit <= 255 else value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def inbound_email_to_enquiry(
    *,
    email: InboundEmail,
    by: Any,
    municipality: Municipality,
    subject: str | None = None,
    message: str | None = None,
    topics: list[str] | None = None,
    support_type: str = SupportType.INFORMATION,
    contact_name: str | None = None,
) -> Enquiry:
    """A stray mail becomes a new enquiry (channel ``email``) through ``cases.intake.enquiry_submit``, the same
    submission as every other door (confirmation e-mail with the status link, tagging, duplicate check,
    proposals), with the sender as contact; the mail is then filed on it as its first mail.

    Subject, message and contact name default to the mail's. Consent: the person wrote to the Transferstelle
    asking for help, so the coordinator records the enquiry on their behalf, as for a phone call.

    The mail keeps kind ``new`` and makes an internal entry on the timeline (its text is the enquiry's message
    already; the entry carries its headers, attachments and original). It does not go through ``email_file``:
    a new case awaits no reply, and notifying the handlers of the mail they are just reading is noise.
    """
    _coordinator_only(by)
    if email.kind in (InboundEmail.Kind.AUTO_REPLY, InboundEmail.Kind.BOUNCE):
        # its sender is a machine: the confirmation mail would go to a mailer daemon or an absence notice
        raise GuardFailed(_("Aus einer automatischen Antwort oder Unzustellbarkeitsmeldung wird keine Anfrage."))
    sender = (email.from_address or "").strip()
    if not sender:
        raise GuardFailed(_("Die E-Mail hat keinen Absender; daraus kann keine Anfrage werden."), field="contact_email")
    subject = _clip(subject if subject is not None and subject.strip() else email.subject or "", LIMITS["subject"])
    message = message if message is not None and message.strip() else (email.text or email.full_text or "")
    message = _clip(message, LIMITS["message"])
    name = contact_name if contact_name is not None and contact_name.strip() else email.from_name or sender
    name = _clip(name, LIMITS["contact_name"])
    now = timezone.now()
    with transaction.atomic():
        locked = _claim(email)
        enquiry = enquiry_submit(
            municipality_ags=municipality.ags,
            contact_name=name,
            contact_email=sender,
            subject=subject,
            message=message,
            topic_slugs=list(topics or []),
            support_type=support_type,
            channel="email",
            consent=True,
            language=settings.LANGUAGE_CODE,
            by=by,
            now=now,
        )
        text = (locked.text or "").strip() or _("(E-Mail ohne Text)")
        activity = Activity.objects.create(
            enquiry=enquiry,
            kind=Activity.Kind.EMAIL_IN,
            actor=MUNICIPALITY,
            text=text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…",
            public=False,
            at=now,
        )
        locked.enquiry, locked.activity = enquiry, activity
        locked.status = InboundEmail.Status.FILED
        locked.matched_by = InboundEmail.MatchedBy.COORDINATOR
        locked.filed_by, locked.filed_at = by, now
        locked.save(update_fields=["enquiry", "activity", "status", "matched_by", "filed_by", "filed_at"])
    return enquiry


def inbound_email_dismiss(*, email: InboundEmail, by: Any) -> InboundEmail:
    """Spam, a newsletter, nothing to do: the mail leaves the list (and is kept, with its original)."""
    _coordinator_only(by)
    with transaction.atomic():
        locked = _claim(email)
        locked.status = InboundEmail.Status.DISMISSED
        locked.filed_by, locked.filed_at = by, timezone.now()
        locked.save(update_fields=["status", "filed_by", "filed_at"])
    return locked

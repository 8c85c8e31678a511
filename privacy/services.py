"""Personal data of the municipalities' contact persons (SPEC section 7): retention, export and erasure.

A case is *anonymised* after ``KTS_RETENTION_DAYS`` in state closed, or at once when its contact asks for
erasure. What anonymising does, and why:

| where | becomes | why |
| --- | --- | --- |
| Enquiry contact_name, subject, message | "[anonymisiert]" | written by or about the person |
| Enquiry contact_email, contact_phone, contact_role | "" | an empty address also means no e-mail can ever be queued for the case again (``outbox_enqueue`` drops empty recipients) |
| Enquiry public_token | a fresh random token | the status link in old e-mails stops showing the case |
| Activity text, except the fixed texts of transitions | "[anonymisiert]" | notes, calls, e-mails, messages to and from the municipality, decline reasons, model-project answers |
| Activity text of request_info / receive_reply | the transition's fixed public text | these two carry the message itself |
| TransitionLog comment | "[anonymisiert]" (if any) | free text; the log row itself (transition, states, who, when) stays as the audit trail |
| Outcome notes | "[anonymisiert]" | free text; the category stays |
| FollowUp note, Introduction answer_note, SurveyResponse comment | "[anonymisiert]" (if any) | free text; dates, states, score, useful, adopted stay |
| SurveyResponse (unanswered) | expires now | no new answers for a case nobody may contact |
| OutboxMessage of the case | recipients, subject, text and html blanked; pending ones cancelled (failed) | copies of the e-mails |
| admin history (LogEntry) of the case | object_repr "<reference>: [anonymisiert]" | it copied ``str(enquiry)``, i.e. the subject |
| Invitation to an event (events) linked to the case or sent to the address | name "", email "geloescht-<id>@invalid", a fresh token; the municipality's notes in the EventLog "[anonymisiert]"; on request, a seat held for an event ahead is given back first (the next on the waiting list moves up) | the event still counts who was invited and came (state, dates, attended stay); the address must stay unique per event, hence a placeholder address per row |
| InboundEmail of the case (conversation) | sender, name, recipients, subject, texts, In-Reply-To, References blanked; the original (.eml) and the attachments deleted from the mail storage after the commit, attachment names "[anonymisiert]" | the mail itself; the row stays with its Message-ID (so the same mail fetched again is known, not stored anew), date, kind, size and attachment count |

Everything the statistics (stats) and the matching's learning read stays: municipality, topics, support
type, channel, funded, states, close reason, partner, all timestamps and deadlines, outcome category, survey
scores, introductions and matches. Staff users' names (authors, actors) are staff data and stay.

Two workers never anonymise one case twice: each case is claimed with a compare-and-swap UPDATE
(``anonymised_at IS NULL``) that also blanks the contact fields; only the claimer goes on, in the same
transaction, to blank the related rows and write the "anonymisiert" timeline entry.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.events import enquiry_changed_send
from cases.models import OPEN_STATES, Activity, Enquiry, FollowUp, Outcome, State, SurveyResponse, TransitionLog
from cases.models.enquiry import new_public_token
from conversation.models import InboundAttachment, InboundEmail, mail_storage
from core.errors import GuardFailed, NotAllowed
from core.roles import is_coordinator
from events.models import EventLog, Invitation, new_token
from matching.models import Introduction

logger = logging.getLogger(__name__)

BATCH = 200
MAX_EMAIL = 254
# the transitions whose public timeline entry is the message itself (cases.services)
MESSAGE_TRANSITIONS = ("request_info", "receive_reply")


def _placeholder() -> str:
    # Stored data, not a page: always written in the source language, like every stored timeline text.
    with translation.override(settings.LANGUAGE_CODE):
        return _("[anonymisiert]")


def contact_email_clean(*, email: Any) -> str:
    """The address as looked up (trimmed, lower-case), or GuardFailed naming the field ``email``."""
    if not isinstance(email, str) or not email.strip():
        raise GuardFailed(_("Bitte eine E-Mail-Adresse angeben."), field="email")
    email = email.strip().lower()
    if len(email) > MAX_EMAIL or "\x00" in email:
        raise GuardFailed(_("Bitte eine gültige E-Mail-Adresse angeben."), field="email")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise GuardFailed(_("Bitte eine gültige E-Mail-Adresse angeben."), field="email") from exc
    return email


# --- anonymising -----------------------------------------------------------------------------------------------


def _claim(*, enquiry_id: int, now: datetime, conditions: Q, placeholder: str) -> bool:
    """Step 1: UPDATE ... WHERE id=.. AND anonymised_at IS NULL AND <conditions>; only a 1 goes on."""
    return (
        Enquiry.objects.filter(conditions, pk=enquiry_id, anonymised_at=None).update(
            anonymised_at=now,
            contact_name=placeholder,
            contact_email="",
            contact_phone="",
            contact_role="",
            subject=placeholder,
            message=placeholder,
            public_token=new_public_token(),
        )
        == 1
    )


def _scrub_related(*, enquiry_ids: list[int], now: datetime, placeholder: str, note: str, by: Any) -> None:
    """Step 2, for the claimed cases only, set-based: the free texts of every related row, the e-mails."""
    from cases.services import actor_name
    from cases.transitions import TRANSITIONS
    from outbox.models import OutboxMessage

    with translation.override(settings.LANGUAGE_CODE):
        fixed_texts = {name: str(TRANSITIONS[name].public_text) for name in MESSAGE_TRANSITIONS}
    activities = Activity.objects.filter(enquiry_id__in=enquiry_ids)
    activities.exclude(kind=Activity.Kind.TRANSITION).exclude(text="").update(text=placeholder)
    for name, text in fixed_texts.items():
        activities.filter(kind=Activity.Kind.TRANSITION, transition=name).update(text=text)
    TransitionLog.objects.filter(enquiry_id__in=enquiry_ids).exclude(comment="").update(comment=placeholder)
    Outcome.objects.filter(enquiry_id__in=enquiry_ids).update(notes=placeholder)
    FollowUp.objects.filter(enquiry_id__in=enquiry_ids).exclude(note="").update(note=placeholder)
    Introduction.objects.filter(enquiry_id__in=enquiry_ids).exclude(answer_note="").update(answer_note=placeholder)
    surveys = SurveyResponse.objects.filter(enquiry_id__in=enquiry_ids)
    surveys.exclude(comment="").update(comment=placeholder)
    surveys.filter(answered_at=None).filter(Q(expires_at=None) | Q(expires_at__gt=now)).update(expires_at=now)
    _outbox_blank(messages=OutboxMessage.objects.filter(enquiry_id__in=enquiry_ids), placeholder=placeholder)
    _admin_history_blank(enquiry_ids=enquiry_ids, placeholder=placeholder)
    _inbound_blank(emails=InboundEmail.objects.filter(enquiry_id__in=enquiry_ids), placeholder=placeholder)
    _invitations_blank(invitations=Invitation.objects.filter(enquiry_id__in=enquiry_ids), placeholder=placeholder)
    who = actor_name(by=by, actor=None)
    Activity.objects.bulk_create(
        Activity(enquiry_id=pk, kind=Activity.Kind.SYSTEM, author=by, actor=who, text=note, at=now)
        for pk in enquiry_ids
    )


def _admin_history_blank(*, enquiry_ids: list[int], placeholder: str) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Enquiry), object_id__in=[str(pk) for pk in enquiry_ids]
    )
    references = dict(Enquiry.objects.filter(pk__in=enquiry_ids).values_list("pk", "reference"))
    for object_id in set(entries.values_list("object_id", flat=True)):
        reference = references.get(int(object_id), "")
        entries.filter(object_id=object_id).update(object_repr=f"{reference}: {placeholder}"[:200])


def _inbound_blank(*, emails, placeholder: str) -> int:
    """Inbound mails: the personal fields blanked in the database now; their files (original, attachments) are
    deleted from the mail storage once the transaction has committed, so a rollback loses no file."""
    rows = list(emails.values_list("pk", "raw"))
    if not rows:  # most cases have no mail: one query
        return 0
    ids = [pk for pk, _raw in rows]
    attachments = InboundAttachment.objects.filter(email_id__in=ids)
    names = [raw for _pk, raw in rows if raw]
    names += [name for name in attachments.values_list("file", flat=True) if name]
    attachments.update(name=placeholder, file="")
    count = InboundEmail.objects.filter(pk__in=ids).update(
        from_address="",
        from_name="",
        to_addresses="",
        subject=placeholder,
        text=placeholder,
        full_text=placeholder,
        in_reply_to="",
        references="",
        problems="",
        raw="",
    )
    if names:
        transaction.on_commit(lambda: _mail_files_delete(names))
    return count


def _invitations_blank(*, invitations, placeholder: str) -> int:
    """Event invitations: the contact's name and address go, the row stays (who was invited and came counts
    in the statistics). The address is unique per event, so each row gets its own placeholder; the token is
    replaced, so that the link in old e-mails shows nothing any more. Few rows per case: one UPDATE each."""
    ids = list(invitations.values_list("pk", flat=True))
    if not ids:  # most cases were never invited: one query
        return 0
    EventLog.objects.filter(invitation_id__in=ids).exclude(comment="").update(comment=placeholder)
    for pk in ids:
        Invitation.objects.filter(pk=pk).update(name="", email=f"geloescht-{pk}@invalid", token=new_token())
    return len(ids)


def _seats_give_back(*, email: str) -> None:
    """Before erasing on request: a registration (or a place on the waiting list) for an event ahead is
    withdrawn through the registration service, so that the seat goes to the next who waits. An answer the
    service refuses (event past, cancelled, deadline over) is left as it is; the row is blanked all the same."""
    from core.errors import DomainError
    from events.registrations import registration_answer

    holding = Invitation.objects.filter(
        email__iexact=email,
        state__in=[Invitation.State.REGISTERED, Invitation.State.WAITLISTED],
        event__starts_at__gt=timezone.now(),
    )
    for token in holding.values_list("token", flat=True):
        try:
            registration_answer(token=token, register=False)
        except DomainError:
            continue


def _mail_files_delete(names: list[str]) -> None:
    storage = mail_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # gone already, or the storage refused: logged, the database is blank either way
            logger.warning("privacy: could not delete a mail file from the storage")


def _outbox_blank(*, messages, placeholder: str) -> int:
    """Copies of e-mails: pending ones are cancelled (failed, so no worker claims them), all are blanked. A
    message being sent at this moment is left to its worker; it is blanked all the same."""
    from outbox.models import OutboxMessage

    with translation.override(settings.LANGUAGE_CODE):
        cancelled = _("storniert: personenbezogene Daten gelöscht")
    messages.filter(status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.FAILED, last_error=cancelled, claimed_at=None
    )
    return messages.update(recipients=[], subject=placeholder, text=placeholder, html="")


def _anonymise(*, enquiry_ids: list[int], now: datetime, conditions: Q, note: str, by: Any = None) -> int:
    """Claim and anonymise these cases, in batches of one transaction each; returns how many this call did."""
    placeholder = _placeholder()
    done = 0
    for start in range(0, len(enquiry_ids), BATCH):
        with transaction.atomic():
            claimed = [
                pk
                for pk in enquiry_ids[start : start + BATCH]
                if _claim(enquiry_id=pk, now=now, conditions=conditions, placeholder=placeholder)
            ]
            if claimed:
                _scrub_related(enquiry_ids=claimed, now=now, placeholder=placeholder, note=note, by=by)
                # marks them changed (updated_at) and tells the readers above, the statistics among them
                enquiry_changed_send(enquiry_ids=claimed, what="anonymised")
        done += len(claimed)
    return done


def enquiries_anonymise_expired(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Anonymise the closed cases whose ``closed_at`` lies more than KTS_RETENTION_DAYS back.

    1. read the candidate ids, the longest closed first (at most ``limit``);
    2. per batch, in one transaction: claim each case (``_claim``: 0 rows = another worker had it, or it was
       reopened meanwhile), then blank the related rows of the claimed ones and write the timeline entry.
    Returns how many cases this call anonymised; a second run finds nothing left to do.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.KTS_RETENTION_DAYS)
    conditions = Q(state=State.CLOSED, closed_at__lt=cutoff)
    candidates = Enquiry.objects.filter(conditions, anonymised_at=None).order_by("closed_at", "id")
    ids = list(candidates.values_list("id", flat=True)[:limit])
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Kontaktdaten nach Ablauf der Aufbewahrungsfrist (%(days)d Tage) anonymisiert.") % {
            "days": settings.KTS_RETENTION_DAYS
        }
    done = _anonymise(enquiry_ids=ids, now=now, conditions=conditions, note=note)
    if done:
        logger.info("privacy: anonymised %d closed enquiries (retention %d days)", done, settings.KTS_RETENTION_DAYS)
    return done


# --- a contact's request: export (Art. 15/20) and erasure (Art. 17) ---------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _enquiry_export(enquiry: Enquiry) -> dict[str, Any]:
    outcome = getattr(enquiry, "outcome", None)
    return {
        "reference": enquiry.reference,
        "municipality": {"ags": enquiry.municipality.ags, "name": enquiry.municipality.name},
        "contact": {
            "name": enquiry.contact_name,
            "email": enquiry.contact_email,
            "phone": enquiry.contact_phone,
            "role": enquiry.contact_role,
        },
        "subject": enquiry.subject,
        "message": enquiry.message,
        "topics": sorted(topic.slug for topic in enquiry.topics.all()),
        "support_type": enquiry.support_type,
        "channel": enquiry.channel,
        "consent_at": _iso(enquiry.consent_at),
        "state": enquiry.state,
        "close_reason": enquiry.close_reason,
        "created_at": _iso(enquiry.created_at),
        "closed_at": _iso(enquiry.closed_at),
        "outcome": {"category": outcome.category, "recorded_at": _iso(outcome.recorded_at)} if outcome else None,
        # what the contact can see on the status page: the public entries, oldest first
        "timeline": [
            {"at": _iso(a.at), "kind": a.kind, "transition": a.transition, "text": a.text}
            for a in enquiry.activities.all()
            if a.public
        ],
        "surveys": [
            {
                "kind": s.kind,
                "sent_at": _iso(s.sent_at),
                "answered_at": _iso(s.answered_at),
                "score": s.score,
                "useful": s.useful,
                "adopted": s.adopted,
                "comment": s.comment,
            }
            for s in enquiry.surveys.all()
        ],
        "introductions": [
            {
                "model_project": i.model_project.name,
                "state": i.state,
                "requested_at": _iso(i.requested_at),
                "answered_at": _iso(i.answered_at),
                "completed_at": _iso(i.completed_at),
            }
            for i in enquiry.introductions.all()
        ],
    }


def _messages_to(*, email: str):
    """Outbox rows addressed to this address. JSON containment differs per database, so the database narrows
    by text and Python decides by exact (case-insensitive) address."""
    from outbox.models import OutboxMessage

    candidates = OutboxMessage.objects.filter(recipients__icontains=email).order_by("created_at", "id")
    return [m for m in candidates if email in {r.lower() for r in m.recipients}]


def contact_data_export(*, email: str) -> dict[str, Any]:
    """Everything stored about this e-mail address, JSON-serialisable (Art. 15 access, Art. 20 portability).

    Internal working notes of the staff are not part of it; a coordinator reviews them case by case.
    """
    email = contact_email_clean(email=email)
    enquiries = (
        Enquiry.objects.filter(contact_email__iexact=email, anonymised_at=None)
        .select_related("municipality", "outcome")
        .prefetch_related("topics", "activities", "surveys", "introductions__model_project")
        .order_by("created_at", "id")
    )
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "enquiries": [_enquiry_export(e) for e in enquiries],
        "emails": [
            {
                "subject": m.subject,
                "status": m.status,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
                "text": m.text,
            }
            for m in _messages_to(email=email)
        ],
        # invitations to transfer workshops (by the address, whether or not a case of it is kept)
        "event_invitations": [
            {
                "event": i.event.title,
                "event_starts_at": _iso(i.event.starts_at),
                "event_state": i.event.state,
                "municipality": i.municipality.name,
                "name": i.name,
                "state": i.state,
                "invited_at": _iso(i.invited_at),
                "answered_at": _iso(i.answered_at),
                "registered_at": _iso(i.registered_at),
                "attended": i.attended,
            }
            for i in Invitation.objects.filter(email__iexact=email)
            .select_related("event", "municipality")
            .order_by("invited_at", "id")
        ],
        # the e-mails the person wrote to the Transferstelle (on a case or not)
        "inbound_emails": [
            {"subject": m.subject, "received_at": _iso(m.received_at), "text": m.text}
            for m in InboundEmail.objects.filter(from_address__iexact=email).order_by("received_at", "id")
        ],
    }


def contact_data_erase(*, email: str, by: Any) -> int:
    """Erase what is stored about this address, whatever the state of its cases (Art. 17).

    In ONE transaction, so that nothing is half-erased and no e-mail of the withdrawals leaves before it is
    cancelled (their after-commit kicks run after the cancellation has committed):
    1. every open case is withdrawn through ``cases.services.enquiry_transition`` (rights, TransitionLog,
       timeline as for any withdrawal; a concurrent change answers 409 and nothing is erased);
    2. every case of the address is claimed and anonymised as after the retention period;
    3. e-mails to the address that are not linked to a case are blanked, pending ones cancelled; e-mails from it
       that no case holds are blanked and their files deleted.
    Returns how many cases were anonymised.
    """
    from cases.services import enquiry_transition

    email = contact_email_clean(email=email)
    if not is_coordinator(by):
        raise NotAllowed(_("Nur die Koordination darf personenbezogene Daten löschen."))
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Kontaktdaten auf Antrag der Kontaktperson gelöscht.")
    with transaction.atomic():
        _seats_give_back(email=email)
        cases = list(Enquiry.objects.filter(contact_email__iexact=email, anonymised_at=None).order_by("id"))
        for enquiry in cases:
            if enquiry.state in OPEN_STATES:
                enquiry_transition(enquiry=enquiry, name="withdraw", by=by)
        done = _anonymise(
            enquiry_ids=[e.pk for e in cases],
            now=timezone.now(),
            conditions=Q(contact_email__iexact=email),
            note=note,
            by=by,
        )
        from outbox.models import OutboxMessage

        loose = [m.pk for m in _messages_to(email=email)]
        _outbox_blank(messages=OutboxMessage.objects.filter(pk__in=loose), placeholder=_placeholder())
        # invitations to the address that no anonymised case held (its case was someone else's, or none)
        _invitations_blank(invitations=Invitation.objects.filter(email__iexact=email), placeholder=_placeholder())
        # mail from the address that no case holds (waiting for a coordinator, or dismissed)
        _inbound_blank(
            emails=InboundEmail.objects.filter(from_address__iexact=email, enquiry__isnull=True),
            placeholder=_placeholder(),
        )
    logger.info("privacy: erased the contact data of %d enquiries on request, by %s", done, by.get_username())
    return done

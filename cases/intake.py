"""Submission of an enquiry (the transition ``submit``: (create) -> new).

The API, the web form and staff entering a phone call all come through ``enquiry_submit``. Its checks repeat
those of the door's form on purpose: whatever door, nothing invalid is stored.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.autotag import topics_for_text
from cases.deadlines import deadlines_initial
from cases.models import Channel, Enquiry, SupportType
from cases.references import reference_next
from cases.services import actor_name, transition_record
from catalogue.lookups import municipality_by_ags, topics_by_slugs
from catalogue.models import Measure, Municipality, Topic
from core.errors import GuardFailed
from core.text import fold
from core.validation import text_clean
from ops.jobs import jobs_collected

LIMITS = {
    "contact_name": 200,
    "contact_email": 254,
    "contact_phone": 40,
    "contact_role": 200,
    "subject": 200,
    "message": 10_000,
}
# What a municipality writes into the form or the API must say what it is about: a subject of a few words, a
# question of a few more. One rule, read by both doors (web.forms.EnquiryForm, api.serializers.enquiries.
# EnquirySubmitSerializer); staff recording a call (another channel) and e-mails turned into enquiries
# (conversation.triage) take what came, so the service itself does not apply it.
MIN_WORDS = {"subject": 2, "message": 3}
MIN_SUBJECT_LETTERS = 5
_WORD = re.compile(r"[^\W_]+")
# subjects at least this similar (difflib ratio on the folded text) count as "similar" for the duplicate check
DUPLICATE_SIMILARITY = 0.75


def _text(value: Any, *, field: str, required: bool) -> str:
    return text_clean(
        value,
        field=field,
        required=required,
        max_length=LIMITS[field],
        required_message=_("Bitte füllen Sie dieses Feld aus."),
    )


def enquiry_text_problem(*, field: str, value: str) -> str | None:
    """Why ``value`` is too short for the field ``subject`` or ``message`` (a German sentence), or None."""
    words = _WORD.findall(value or "")
    if field == "subject" and (
        len(words) < MIN_WORDS["subject"] or sum(ch.isalpha() for ch in value) < MIN_SUBJECT_LETTERS
    ):
        return _(
            "Bitte beschreiben Sie Ihr Anliegen im Betreff in mindestens %(words)d Wörtern, "
            "z. B. „Radverkehr in der Altstadt“."
        ) % {"words": MIN_WORDS["subject"]}
    if field == "message" and len(words) < MIN_WORDS["message"]:
        return _(
            "Bitte beschreiben Sie Ihre Frage in mindestens %(words)d Wörtern, damit wir die passende "
            "Ansprechstelle finden."
        ) % {"words": MIN_WORDS["message"]}
    return None


def subjects_similar(a: str, b: str) -> bool:
    fa, fb = " ".join(fold(a).split()), " ".join(fold(b).split())
    if fa == fb:
        return True
    return difflib.SequenceMatcher(None, fa, fb).ratio() >= DUPLICATE_SIMILARITY


def enquiry_find_duplicate(
    *, municipality: Municipality, contact_email: str, subject: str, now: datetime
) -> Enquiry | None:
    """The latest enquiry of the same municipality and e-mail with a similar subject in the window."""
    since = now - timedelta(days=settings.KTS_DEADLINES["duplicate_window_days"])
    candidates = (
        Enquiry.objects.filter(
            municipality=municipality, contact_email__iexact=contact_email, created_at__gte=since, created_at__lte=now
        )
        .order_by("-created_at", "-id")
        .only("id", "reference", "subject")[:20]
    )
    for candidate in candidates:
        if subjects_similar(candidate.subject, subject):
            return candidate
    return None


def _contact_lock(*, municipality: Municipality, email: str) -> None:
    """Two identical submissions at the same moment: the second must see the first, or the duplicate check
    (``enquiry_find_duplicate``, read before the insert) misses it. PostgreSQL: a transaction-level advisory
    lock on municipality + e-mail (the check's key, as ``iexact`` compares it) queues the submissions of one
    contact, no other. SQLite: write transactions begin IMMEDIATE (settings.env) and run one at a time."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"enquiry-contact:{municipality.pk}:{email.upper()}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])


def enquiry_submit(
    *,
    municipality_ags: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    contact_role: str = "",
    subject: str,
    message: str,
    topic_slugs: list[str],
    support_type: str,
    channel: str = "web",
    consent: bool,
    language: str = "de",
    measure_id: int | None = None,
    by: Any = None,
    now: datetime | None = None,
    known: dict[str, Any] | None = None,
) -> Enquiry:
    """Store a new enquiry in state ``new``, tag it, flag a likely duplicate, and run the submit effects.

    ``measure_id`` names the catalogue measure the enquiry was made about ("Zu dieser Maßnahme anfragen");
    matching reads it from ``Enquiry.measure``. ``known`` may hand over what the door's validation already read
    (``municipality``: the Municipality of the AGS, ``topics``: the Topics of the slugs); it is used only where it
    is exactly that, so a door cannot smuggle in anything else."""
    known = known or {}
    if consent is not True:
        raise GuardFailed(_("Bitte stimmen Sie der Verarbeitung Ihrer Daten zu."), field="consent")
    ags = municipality_ags.strip() if isinstance(municipality_ags, str) else ""
    if not (ags.isascii() and ags.isdigit() and len(ags) in (5, 8)):
        raise GuardFailed(
            _("Bitte geben Sie den amtlichen Schlüssel der Kommune an (8 Ziffern, für Kreise 5)."), field="municipality"
        )
    municipality = known.get("municipality")
    if not isinstance(municipality, Municipality) or municipality.ags != ags:
        municipality = municipality_by_ags(ags)
    if municipality is None:
        raise GuardFailed(_("Diese Kommune ist im Gemeindeverzeichnis nicht bekannt."), field="municipality")
    name = _text(contact_name, field="contact_name", required=True)
    email = _text(contact_email, field="contact_email", required=True)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise GuardFailed(_("Bitte geben Sie eine gültige E-Mail-Adresse an."), field="contact_email") from exc
    phone = _text(contact_phone, field="contact_phone", required=False)
    role = _text(contact_role, field="contact_role", required=False)
    subject = _text(subject, field="subject", required=True)
    message = _text(message, field="message", required=True)
    if support_type not in SupportType.values:
        raise GuardFailed(
            _("Bitte wählen Sie eine Art der Unterstützung: %(choices)s") % {"choices": ", ".join(SupportType.values)},
            field="support_type",
        )
    if channel not in Channel.values:
        raise GuardFailed(_("Unbekannter Eingangskanal."), field="channel")
    if not isinstance(topic_slugs, list | tuple) or not all(isinstance(s, str) for s in topic_slugs):
        raise GuardFailed(_("Bitte geben Sie eine Liste von Themen-Kürzeln an."), field="topics")
    slugs = sorted(set(topic_slugs))
    topics = known.get("topics")
    if not (
        isinstance(topics, list)
        and all(isinstance(t, Topic) for t in topics)
        and sorted({t.slug for t in topics}) == slugs
    ):
        topics = topics_by_slugs(slugs)
    unknown = sorted(set(slugs) - {t.slug for t in topics})
    if unknown:
        raise GuardFailed(_("Unbekannte Themen: %(slugs)s") % {"slugs": ", ".join(unknown)}, field="topics")

    measure = None
    if measure_id is not None:
        if isinstance(measure_id, bool) or not isinstance(measure_id, int):
            raise GuardFailed(_("Bitte geben Sie die Nummer einer Maßnahme des Katalogs an."), field="measure")
        measure = Measure.objects.select_related("model_project").filter(pk=measure_id).first()
        if measure is None:
            raise GuardFailed(_("Diese Maßnahme ist im Katalog nicht bekannt."), field="measure")

    auto = not topics
    if auto:
        topics = topics_for_text(text=f"{subject}\n{message}")
        if measure is not None:
            # the measure the enquiry was made about says what it is about, even where the words do not
            topics += [t for t in measure.topics.all() if t not in topics]
    who = actor_name(by=by, actor=None if by is not None else "municipality")
    user = by if by is not None else None

    # the reference first, in its own short transaction where the caller has none (cases.references)
    reference = reference_next(year=timezone.localtime(now or timezone.now()).year)
    with transaction.atomic(), jobs_collected():
        _contact_lock(municipality=municipality, email=email)
        # the time is read under the lock: a submission that waited for another one comes after it
        now = now or timezone.now()
        duplicate = enquiry_find_duplicate(municipality=municipality, contact_email=email, subject=subject, now=now)
        enquiry = Enquiry(
            reference=reference,
            municipality=municipality,
            funded=municipality.funded,
            contact_name=name,
            contact_email=email,
            contact_phone=phone,
            contact_role=role,
            subject=subject,
            message=message,
            topics_auto=auto,
            support_type=support_type,
            channel=channel,
            # a language the site does not offer (an old client, a typo) falls back to German
            language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
            consent_at=now,
            duplicate_of=duplicate,
            measure=measure,
            created_at=now,
            last_transition="submit",
        )
        deadlines_initial(enquiry)
        enquiry.save(force_insert=True)
        if topics:
            through = Enquiry.topics.through
            through.objects.bulk_create([through(enquiry_id=enquiry.pk, topic_id=topic.pk) for topic in topics])
        notes = []
        if auto:
            notes.append(
                _("Themen automatisch erkannt: %(topics)s") % {"topics": ", ".join(t.name_de for t in topics)}
                if topics
                else _("Keine Themen erkannt; bitte beim Sichten zuordnen.")
            )
        if measure is not None:
            notes.append(
                _("Anfrage zur Maßnahme „%(measure)s“ des Modellprojekts %(project)s.")
                % {"measure": measure.title, "project": measure.model_project.name}
            )
        if duplicate is not None:
            notes.append(_("Mögliche Dublette von %(reference)s.") % {"reference": duplicate.reference})
        if municipality.funded:
            notes.append(_("Die Kommune ist selbst Modellprojekt (gefördert)."))
        transition_record(
            enquiry=enquiry,
            name="submit",
            from_state="",
            user=user,
            who=who,
            public_text=_("Ihre Anfrage ist eingegangen."),
            system_notes=notes,
            payload={
                "topics": [t.slug for t in topics],
                "auto_tagged": auto,
                **({"measure": measure.pk} if measure is not None else {}),
            },
            at=now,
        )
    return enquiry

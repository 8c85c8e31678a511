"""Enquiry JSON (SPEC section 5): the submission body, the staff view of a case, its timeline, follow-ups and
the municipality's status view. Read serializers only read; every change goes through a workflow service."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import AsciiIntegerField, StrictCharField
from api.serializers.inbound import ATTACHMENT_SCHEMA, EMAIL_SCHEMA, attachments_data, email_summary
from cases import rules
from cases.intake import LIMITS
from cases.models import Activity, Channel, Enquiry, FollowUp, State, SupportType
from cases.public_messages import public_message_possible
from catalogue.lookups import municipality_by_ags, topics_by_slugs
from catalogue.models import Measure
from conversation.selectors import mail_of


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TopicSlugsField(serializers.Field):
    """A list of topic slugs; any problem is one flat message under "topics" (the contract's error shape)."""

    default_error_messages = {"invalid": _("Bitte geben Sie eine Liste von Themen-Kürzeln an (höchstens 20).")}

    def to_internal_value(self, data: Any) -> list[str]:
        if not isinstance(data, list) or len(data) > 20:
            self.fail("invalid")
        if not all(isinstance(s, str) and re.fullmatch(r"[-a-zA-Z0-9_]{1,60}", s) for s in data):
            self.fail("invalid")
        return list(dict.fromkeys(data))

    def to_representation(self, value: list[str]) -> list[str]:
        return list(value)


def _sie(**specific: Any) -> dict[str, Any]:
    """Error messages in the "Sie" form of the rest of the app: DRF's own German catalogue says "du"
    ("Gib eine gültige E-Mail Adresse an."), which the municipalities read on the public form."""
    return {
        "required": _("Bitte füllen Sie dieses Feld aus."),
        "blank": _("Bitte füllen Sie dieses Feld aus."),
        "null": _("Bitte geben Sie einen Wert an."),
        "invalid": _("Bitte geben Sie einen gültigen Wert an."),
        "max_length": _("Bitte geben Sie höchstens {max_length} Zeichen ein."),
        **specific,
    }


_CHOICE = _("„{input}“ ist keine gültige Auswahl. Bitte wählen Sie einen der vorgegebenen Werte.")


class EnquirySubmitSerializer(serializers.Serializer):
    """The submission body. CharField already refuses NUL bytes (DRF's ProhibitNullCharactersValidator)."""

    municipality = serializers.RegexField(
        r"^([0-9]{5}|[0-9]{8})$",
        error_messages=_sie(
            invalid=_("Bitte geben Sie den amtlichen Schlüssel der Kommune an (8 Ziffern, für Kreise 5).")
        ),
    )
    contact_name = StrictCharField(max_length=LIMITS["contact_name"], error_messages=_sie())
    contact_email = serializers.EmailField(
        max_length=LIMITS["contact_email"],
        error_messages=_sie(invalid=_("Bitte geben Sie eine gültige E-Mail-Adresse an.")),
    )
    contact_phone = StrictCharField(
        max_length=LIMITS["contact_phone"], required=False, allow_blank=True, error_messages=_sie()
    )
    contact_role = StrictCharField(
        max_length=LIMITS["contact_role"], required=False, allow_blank=True, error_messages=_sie()
    )
    subject = StrictCharField(max_length=LIMITS["subject"], error_messages=_sie())
    message = StrictCharField(max_length=LIMITS["message"], error_messages=_sie())
    topics = TopicSlugsField(
        required=False, error_messages=_sie(invalid=TopicSlugsField.default_error_messages["invalid"])
    )
    support_type = serializers.ChoiceField(choices=SupportType.choices, error_messages=_sie(invalid_choice=_CHOICE))
    consent = serializers.BooleanField(
        error_messages=_sie(
            required=_("Bitte stimmen Sie der Verarbeitung Ihrer Daten zu."),
            invalid=_("Bitte geben Sie true oder false an."),
        )
    )
    # staff entering a phone call or an e-mail say so; from anybody else the channel is always "web"
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False, error_messages=_sie(invalid_choice=_CHOICE)
    )
    # the catalogue measure the enquiry is about (its id, as on /projekte/<project>/massnahmen/<id>/)
    measure = AsciiIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Nummer der Maßnahme im Katalog, zu der angefragt wird (freiwillig)."),
        error_messages=_sie(
            invalid=_("Bitte geben Sie die Nummer einer Maßnahme des Katalogs an."),
            min_value=_("Bitte geben Sie die Nummer einer Maßnahme des Katalogs an."),
            max_value=_("Bitte geben Sie die Nummer einer Maßnahme des Katalogs an."),
        ),
    )
    # Honeypot: people never see this field; a filled one is refused with 400 and nothing is stored.
    website = StrictCharField(required=False, allow_blank=True, max_length=500, error_messages=_sie())

    def validate_consent(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError(_("Bitte stimmen Sie der Verarbeitung Ihrer Daten zu."))
        return value

    def validate_website(self, value: str) -> str:
        if value:
            raise serializers.ValidationError(_("Dieses Feld muss leer bleiben."))
        return value

    def validate_municipality(self, value: str) -> str:
        municipality = municipality_by_ags(value)
        if municipality is None:
            raise serializers.ValidationError(_("Diese Kommune ist im Gemeindeverzeichnis nicht bekannt."))
        # handed to the service (cases.intake.enquiry_submit's ``known``), which then need not read it again
        self.known["municipality"] = municipality
        return value

    def validate_measure(self, value: int | None) -> int | None:
        if value is not None and not Measure.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("Diese Maßnahme ist im Katalog nicht bekannt."))
        return value

    def validate_topics(self, value: list[str]) -> list[str]:
        topics = topics_by_slugs(value)
        unknown = sorted(set(value) - {topic.slug for topic in topics})
        if unknown:
            raise serializers.ValidationError(_("Unbekannte Themen: %(slugs)s") % {"slugs": ", ".join(unknown)})
        self.known["topics"] = topics
        return value

    @property
    def known(self) -> dict[str, Any]:
        """The catalogue rows validation read (municipality, topics), for ``enquiry_submit(known=...)``."""
        return self.context.setdefault("known", {})


class SubmittedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    state = serializers.CharField()
    token = serializers.CharField()
    status_url = serializers.CharField()


def _municipality(obj: Enquiry) -> dict[str, Any]:
    m = obj.municipality
    return {"ags": m.ags, "name": m.short_name or m.name, "state": m.bundesland}


_MOMENT = serializers.DateTimeField()


def _iso(moment: datetime) -> str:
    """As DRF's DateTimeField writes an aware moment (ISO 8601, UTC as "Z")."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class EnquirySerializer(serializers.Serializer):
    """One case as staff see it. Needs the queryset of ``api.views.enquiries.enquiry_queryset``."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.SerializerMethodField()
    municipality = serializers.SerializerMethodField()
    funded = serializers.BooleanField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_role = serializers.CharField()
    subject = serializers.CharField()
    message = serializers.CharField()
    topics = serializers.SerializerMethodField()
    topics_auto = serializers.BooleanField()
    support_type = serializers.CharField()
    channel = serializers.CharField()
    priority = serializers.IntegerField()
    assigned_partner = serializers.SerializerMethodField()
    assigned_user = serializers.SerializerMethodField()
    close_reason = serializers.CharField()
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    measure = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    first_response_at = serializers.DateTimeField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    first_response_due = serializers.DateTimeField(allow_null=True)
    assignment_due = serializers.DateTimeField(allow_null=True)
    resolution_due = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Enquiry) -> dict[str, Any]:
        """The fields above, in their order and with their formats, without DRF's per-field round (a list of 50
        cases spent most of its serializing there); ``tests/api/test_enquiry_list.py`` holds it equal to DRF's
        own rendering of the declared fields."""
        e = instance
        data = {
            "id": e.pk,
            "reference": str(e.reference),
            "state": str(e.state),
            "state_label": self.get_state_label(e),
            "municipality": self.get_municipality(e),
            "funded": bool(e.funded),
            "contact_name": str(e.contact_name),
            "contact_email": str(e.contact_email),
            "contact_phone": str(e.contact_phone),
            "contact_role": str(e.contact_role),
            "subject": str(e.subject),
            "message": str(e.message),
            "topics": self.get_topics(e),
            "topics_auto": bool(e.topics_auto),
            "support_type": str(e.support_type),
            "channel": str(e.channel),
            "priority": int(e.priority),
            "assigned_partner": self.get_assigned_partner(e),
            "assigned_user": self.get_assigned_user(e),
            "close_reason": str(e.close_reason),
            "duplicate_of": e.duplicate_of_id,
            "measure": self.get_measure(e),
            "outcome": self.get_outcome(e),
        }
        zone = timezone.get_current_timezone()  # what DateTimeField would look up once per value
        for name in _MOMENTS:
            value = getattr(e, name)
            data[name] = None if value is None else _iso(value.astimezone(zone))
        return data

    def get_state_label(self, obj: Enquiry) -> str:
        return str(State(obj.state).label)

    def get_municipality(self, obj: Enquiry) -> dict[str, Any]:
        return _municipality(obj)

    def get_topics(self, obj: Enquiry) -> list[str]:
        # read along by api.views.enquiries.enquiry_queryset; any other enquiry asks for its topics
        slugs = getattr(obj, "topic_slugs", None)
        return sorted(slugs if slugs is not None else (t.slug for t in obj.topics.all()))

    def get_assigned_partner(self, obj: Enquiry) -> dict[str, Any] | None:
        p = obj.assigned_partner
        return {"id": p.pk, "short_name": p.short_name, "name": p.name} if p else None

    def get_assigned_user(self, obj: Enquiry) -> dict[str, Any] | None:
        u = obj.assigned_user
        return {"id": u.pk, "username": u.get_username()} if u else None

    def get_measure(self, obj: Enquiry) -> dict[str, Any] | None:
        """The catalogue measure the enquiry was made about, with its project; None for most enquiries."""
        m = obj.measure
        if m is None:
            return None
        return {"id": m.pk, "title": m.title, "model_project": {"id": m.model_project_id, "name": m.model_project.name}}

    def get_outcome(self, obj: Enquiry) -> dict[str, Any] | None:
        try:
            o = obj.outcome
        except Enquiry.outcome.RelatedObjectDoesNotExist:
            return None
        # through the field like every other time (local, +01:00); the raw datetime came out as UTC "Z"
        recorded_at = _MOMENT.to_representation(o.recorded_at)
        return {"category": o.category, "notes": o.notes, "recorded_at": recorded_at}


# the moments among the declarations, in their order (declared last: to_representation writes them last)
_MOMENTS = tuple(
    name for name, field in EnquirySerializer._declared_fields.items() if isinstance(field, serializers.DateTimeField)
)


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    transition = serializers.CharField()
    text = serializers.CharField()
    public = serializers.BooleanField()
    author = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    # the mail the entry came from (SPEC section 10): its files, and who wrote it about what; read from the
    # join and prefetch of ``conversation.selectors.activities_with_mail``
    attachments = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    @extend_schema_field(ATTACHMENT_SCHEMA)
    def get_attachments(self, obj: Activity) -> list[dict[str, Any]]:
        return attachments_data(mail_of(obj), self.context.get("request"))

    @extend_schema_field(EMAIL_SCHEMA)
    def get_email(self, obj: Activity) -> dict[str, Any] | None:
        return email_summary(mail_of(obj), self.context.get("request"))

    def get_author(self, obj: Activity) -> str:
        return obj.author.get_username() if obj.author_id and obj.author else obj.actor

    def get_comment(self, obj: Activity) -> str:
        """The comment of the transition's TransitionLog; the view reads them for the whole page at once
        (``cases.selectors.enquiry_transition_comments``) into the context ``comments``."""
        if obj.kind != Activity.Kind.TRANSITION:
            return ""
        return self.context.get("comments", {}).get((obj.transition, obj.at), "")


class PublicActivitySerializer(serializers.Serializer):
    """What the municipality sees of an entry: no author names, no internal notes."""

    at = serializers.DateTimeField()
    kind = serializers.CharField()
    transition = serializers.CharField()
    text = serializers.CharField()
    from_municipality = serializers.SerializerMethodField()

    def get_from_municipality(self, obj: Activity) -> bool:
        return obj.actor == rules.MUNICIPALITY


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices, default=FollowUp.Kind.REMINDER)
    due_at = serializers.DateTimeField()
    note = StrictCharField(required=False, allow_blank=True, max_length=5000, default="")
    assignee = AsciiIntegerField(source="assignee_id", required=False, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    done_at = serializers.DateTimeField(read_only=True)


class PublicOutcomeSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()


class PublicPartnerSerializer(serializers.Serializer):
    name = serializers.CharField()


class PublicIntroductionSerializer(serializers.Serializer):
    model_project = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()


class PublicEnquirySerializer(serializers.Serializer):
    reference = serializers.CharField()
    subject = serializers.CharField()
    municipality = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_label = serializers.SerializerMethodField()
    status_text = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    can_reply = serializers.SerializerMethodField()
    can_withdraw = serializers.SerializerMethodField()
    # what matching.selectors.enquiry_public_status found, handed in as context["status"]
    outcome = serializers.SerializerMethodField()
    partner = serializers.SerializerMethodField()
    introductions = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    def get_municipality(self, obj: Enquiry) -> dict[str, Any]:
        return _municipality(obj)

    def get_state_label(self, obj: Enquiry) -> str:
        return str(State(obj.state).label)

    def get_status_text(self, obj: Enquiry) -> str:
        return str(rules.STATE_MESSAGES[State(obj.state)])

    def get_can_reply(self, obj: Enquiry) -> bool:
        # a message at any open state; in awaiting_reply it answers the question (cases.public_messages)
        return public_message_possible(obj)

    def get_can_withdraw(self, obj: Enquiry) -> bool:
        return obj.is_open

    @extend_schema_field(PublicOutcomeSerializer(allow_null=True))
    def get_outcome(self, obj: Enquiry) -> dict[str, str] | None:
        return self.context["status"]["outcome"]

    @extend_schema_field(PublicPartnerSerializer(allow_null=True))
    def get_partner(self, obj: Enquiry) -> dict[str, str] | None:
        return self.context["status"]["partner"]

    @extend_schema_field(PublicIntroductionSerializer(many=True))
    def get_introductions(self, obj: Enquiry) -> list[dict[str, str]]:
        return self.context["status"]["introductions"]

    def get_timeline(self, obj: Enquiry) -> list[dict[str, Any]]:
        return PublicActivitySerializer(self.context["timeline"], many=True).data

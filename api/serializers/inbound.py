"""Inbound e-mail JSON (SPEC sections 5 and 10): the coordinators' list of stray mail, one mail, the command
bodies (file, enquiry), and the parts a timeline entry shows of the mail it came from (``attachments_data``,
``email_summary``). Links are absolute when a request is at hand, like the other links of the API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.intake import LIMITS
from cases.models import SupportType
from conversation.models import InboundAttachment, InboundEmail


def _link(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def attachment_url(attachment: InboundAttachment, request: Any = None) -> str:
    return _link(request, reverse("inbound-attachment-download", kwargs={"pk": attachment.pk}))


def original_url(email: InboundEmail, request: Any = None) -> str:
    return _link(request, reverse("inbound-email-original", kwargs={"pk": email.pk}))


def attachments_data(email: InboundEmail | None, request: Any = None) -> list[dict[str, Any]]:
    """``[{"name", "size", "url"}]`` of the mail's attachments (read from a prefetch: ``.all()``)."""
    if email is None:
        return []
    return [{"name": a.name, "size": a.size, "url": attachment_url(a, request)} for a in email.attachments.all()]


def email_summary(email: InboundEmail | None, request: Any = None) -> dict[str, Any] | None:
    """What a timeline entry says of the mail that made it, or None for entries made otherwise."""
    if email is None:
        return None
    return {
        "from": email.from_address,
        "subject": email.subject,
        "third_party": email.third_party,
        "kind": email.kind,
        "original_url": original_url(email, request),
    }


ATTACHMENT_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "size": {"type": "integer"}, "url": {"type": "string"}},
    },
}
EMAIL_SCHEMA = {
    "type": "object",
    "nullable": True,
    "properties": {
        "from": {"type": "string"},
        "subject": {"type": "string"},
        "third_party": {"type": "boolean"},
        "kind": {"type": "string", "enum": list(InboundEmail.Kind.values)},
        "original_url": {"type": "string"},
    },
}


class InboundEmailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField()
    from_ = serializers.CharField(source="from_address")
    from_name = serializers.CharField()
    subject = serializers.CharField()
    received_at = serializers.DateTimeField()
    status = serializers.CharField()
    kind = serializers.CharField()
    matched_by = serializers.CharField()
    enquiry = serializers.IntegerField(source="enquiry_id", allow_null=True)
    text = serializers.CharField()
    attachments = serializers.SerializerMethodField()
    problems = serializers.CharField()
    original_url = serializers.SerializerMethodField()

    def get_fields(self) -> dict[str, Any]:
        # "from" is a Python keyword: the field is declared as from_ and answered as "from"
        return {("from" if name == "from_" else name): field for name, field in super().get_fields().items()}

    @extend_schema_field(ATTACHMENT_SCHEMA)
    def get_attachments(self, obj: InboundEmail) -> list[dict[str, Any]]:
        return attachments_data(obj, self.context.get("request"))

    def get_original_url(self, obj: InboundEmail) -> str:
        return original_url(obj, self.context.get("request"))


class InboundEmailFileSerializer(serializers.Serializer):
    enquiry = serializers.JSONField(help_text=_("Nummer der Anfrage oder ihr Aktenzeichen (KTS-2026-000031)."))


class InboundEmailEnquirySerializer(serializers.Serializer):
    """The body of "turn this mail into an enquiry"; everything but the municipality defaults to the mail's."""

    municipality = serializers.JSONField(
        help_text=_("Amtlicher Schlüssel der Kommune (8 Ziffern, für Kreise 5) oder ihre Nummer im Verzeichnis.")
    )
    subject = serializers.CharField(max_length=LIMITS["subject"], required=False, allow_blank=True)
    message = serializers.CharField(max_length=LIMITS["message"], required=False, allow_blank=True)
    topics = serializers.ListField(child=serializers.CharField(max_length=60), max_length=20, required=False)
    support_type = serializers.ChoiceField(choices=SupportType.choices, default=SupportType.INFORMATION)
    contact_name = serializers.CharField(max_length=LIMITS["contact_name"], required=False, allow_blank=True)


class InboundEmailCreatedSerializer(serializers.Serializer):
    enquiry = serializers.IntegerField()
    reference = serializers.CharField()

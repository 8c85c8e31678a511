"""Event JSON: the staff view of an event, its log and invitations, the command bodies that only the API has
(``expected_state``), and the municipality's view through its registration link. Read serializers only read;
the commands' fields are parsed by ``events.inputs`` and every change goes through ``events.services``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.inputs import CancelInput
from events.models import Event, EventLog, Invitation


class EventSerializer(serializers.ModelSerializer):
    """An event with the counts of ``events.selectors.events_list`` (annotated there: no query per row)."""

    topics = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    registered_count = serializers.IntegerField(read_only=True)
    waitlisted_count = serializers.IntegerField(read_only=True)
    invited_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "description",
            "topics",
            "format",
            "place",
            "online_url",
            "starts_at",
            "ends_at",
            "registration_deadline",
            "capacity",
            "state",
            "state_label",
            "radar_key",
            "registered_count",
            "waitlisted_count",
            "invited_count",
            "attended_count",
            "created_at",
            "updated_at",
            "held_at",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_topics(self, event: Event) -> list[str]:
        # prefetched by events_list: sorted here, not with order_by (which would query again)
        return sorted(t.slug for t in event.topics.all())


class EventTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()


class ExpectedStateInput(serializers.Serializer):
    """Every command body may name the state the caller saw: when the event moved on since, 409."""

    expected_state = serializers.ChoiceField(
        choices=Event.State.choices, required=False, allow_null=True, default=None, label=_("erwarteter Status")
    )


class EventTransitionInput(ExpectedStateInput):
    comment = serializers.CharField(
        max_length=2_000, required=False, allow_blank=True, default="", label=_("Kommentar")
    )


class CancelTransitionInput(ExpectedStateInput, CancelInput):
    pass


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class EventLogSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()
    invitation = serializers.IntegerField(source="invitation_id", allow_null=True)
    presenter = serializers.IntegerField(source="presenter_id", allow_null=True)

    class Meta:
        model = EventLog
        fields = ["id", "at", "action", "from_state", "to_state", "by", "actor", "comment", "invitation", "presenter"]
        read_only_fields = fields

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_by(self, entry: EventLog) -> dict[str, Any] | None:
        return {"id": entry.by.pk, "username": entry.by.get_username()} if entry.by is not None else None


class MunicipalityRefSerializer(serializers.Serializer):
    ags = serializers.CharField()
    name = serializers.CharField()


class InvitationSerializer(serializers.ModelSerializer):
    """One invitation as staff see it; the token (the municipality's key) is never shown."""

    municipality = MunicipalityRefSerializer(read_only=True)
    enquiry = serializers.IntegerField(source="enquiry_id", allow_null=True, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "municipality",
            "enquiry",
            "name",
            "email",
            "state",
            "state_label",
            "invited_at",
            "answered_at",
            "registered_at",
            "waitlisted_at",
            "attended",
            "attendance_recorded_at",
            "resolved_at",
        ]
        read_only_fields = fields


class CandidateSerializer(serializers.Serializer):
    """An enquiry a coordinator may invite."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    subject = serializers.CharField()
    state = serializers.CharField()
    municipality = MunicipalityRefSerializer()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    created_at = serializers.DateTimeField()
    own = serializers.SerializerMethodField(help_text="Die Anfrage gehört zur Gruppe der Veranstaltung.")

    def get_own(self, enquiry: Any) -> bool:
        return enquiry.pk in self.context.get("own", set())


class SkippedEnquirySerializer(serializers.Serializer):
    enquiry = serializers.IntegerField()
    reason = serializers.CharField()


class InvitationsSentSerializer(serializers.Serializer):
    invited = InvitationSerializer(many=True)
    skipped = SkippedEnquirySerializer(many=True)


class AttendanceRecordedSerializer(serializers.Serializer):
    attended = serializers.IntegerField(help_text="Wie viele teilgenommen haben.")


class ResolveCasesInput(serializers.Serializer):
    invitations = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_null=True,
        default=None,
        max_length=10_000,
        label=_("Einladungen"),
        help_text="Ohne Angabe: alle Fälle, die gelöst werden können.",
    )


class SkippedInvitationSerializer(serializers.Serializer):
    invitation = serializers.IntegerField()
    reason = serializers.CharField()


class CasesResolvedSerializer(serializers.Serializer):
    resolved = serializers.ListField(
        child=serializers.IntegerField(), help_text="Die Einladungen, deren Fall gelöst wurde."
    )
    skipped = SkippedInvitationSerializer(many=True)


# --- the municipality's view through its link -----------------------------------------------------------------


class PublicEventSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    description = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    format = serializers.CharField()
    place = serializers.CharField()
    online_url = serializers.CharField(help_text="Nur für Angemeldete; sonst leer.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    registration_deadline = serializers.DateTimeField()
    state = serializers.CharField()
    presenters = serializers.ListField(child=serializers.CharField())


class PublicRegistrationSerializer(serializers.Serializer):
    """``{"event": {...}, "municipality", "name", "state", "answered_at", "can_answer", "refusal"}``."""

    event = PublicEventSerializer()
    municipality = serializers.CharField()
    name = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    can_answer = serializers.BooleanField(help_text="Ob jetzt eine Antwort möglich ist.")
    refusal = serializers.CharField(allow_null=True, help_text="Warum keine Antwort möglich ist, sonst null.")

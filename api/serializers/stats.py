"""Schema of the statistics endpoints: the query parameters (validated by stats.filters) and the rows."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

STATS_PARAMETERS = [
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="Beginn des Zeitraums (inklusive), Standard: vor 12 Monaten"
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Ende des Zeitraums (inklusive), Standard: heute"),
    OpenApiParameter("topic", OpenApiTypes.STR, description="Handlungsfeld (Kürzel)"),
    OpenApiParameter("bundesland", OpenApiTypes.STR, description="Länderkürzel, z. B. BY"),
    OpenApiParameter("size_class", OpenApiTypes.STR, enum=["lt5k", "5k_20k", "20k_100k", "gt100k", "district"]),
    OpenApiParameter("partner", OpenApiTypes.INT, description="Konsortialpartner (id)"),
    OpenApiParameter("model_project", OpenApiTypes.INT, description="Modellprojekt (id): Anfragen, bei denen es half"),
    OpenApiParameter("channel", OpenApiTypes.STR, enum=["web", "email", "phone", "event"]),
    OpenApiParameter("funded", OpenApiTypes.BOOL),
]
FORMAT_PARAMETER = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"], description="Export")


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.JSONField()
    label = serializers.CharField()
    received = serializers.IntegerField(required=False)
    municipalities = serializers.IntegerField(required=False)
    small_share = serializers.FloatField(allow_null=True, required=False)
    open = serializers.IntegerField(required=False)
    resolved = serializers.IntegerField(required=False)
    successful = serializers.IntegerField(required=False)
    transfer_rate = serializers.FloatField(allow_null=True, required=False)
    escalated = serializers.IntegerField(required=False)
    first_response_median_hours = serializers.FloatField(allow_null=True, required=False)
    first_response_p90_hours = serializers.FloatField(allow_null=True, required=False)
    assignment_median_hours = serializers.FloatField(allow_null=True, required=False)
    assignment_p90_hours = serializers.FloatField(allow_null=True, required=False)
    resolution_median_hours = serializers.FloatField(allow_null=True, required=False)
    resolution_p90_hours = serializers.FloatField(allow_null=True, required=False)
    satisfaction_mean = serializers.FloatField(allow_null=True, required=False)
    satisfaction_response_rate = serializers.FloatField(allow_null=True, required=False)
    adoption_share = serializers.FloatField(allow_null=True, required=False)
    introductions_requested = serializers.IntegerField(required=False)
    introductions_accepted = serializers.IntegerField(required=False)
    introductions_completed = serializers.IntegerField(required=False)
    enquiries_helped = serializers.IntegerField(required=False)


class BreakdownSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    period = serializers.DictField()
    filters = serializers.DictField()
    results = BreakdownRowSerializer(many=True)


class StatsCaseSerializer(serializers.Serializer):
    """One row of the filtered case list: no contact data."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    created_at = serializers.DateTimeField()
    municipality = serializers.CharField(source="municipality.ags")
    municipality_name = serializers.CharField(source="municipality.short_name")
    bundesland = serializers.CharField(source="municipality.bundesland")
    size_class = serializers.CharField(source="municipality.size_class")
    topics = serializers.SerializerMethodField()
    channel = serializers.CharField()
    support_type = serializers.CharField()
    state = serializers.CharField()
    partner = serializers.IntegerField(source="assigned_partner_id", allow_null=True)
    first_response_at = serializers.DateTimeField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.SerializerMethodField()
    escalated = serializers.SerializerMethodField()
    funded = serializers.BooleanField()

    def get_topics(self, obj) -> list[str]:
        return [topic.slug for topic in obj.topics.all()]

    def get_outcome(self, obj) -> str | None:
        outcome = getattr(obj, "outcome", None)
        return outcome.category if outcome else None

    def get_escalated(self, obj) -> bool:
        return obj.escalated_at is not None

"""Schema of the demand radar (matching.radar): the query parameters and one group."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

RADAR_PARAMETERS = [
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="Beginn des Zeitraums (inklusive), Standard: vor 6 Monaten"
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Ende des Zeitraums (inklusive), Standard: heute"),
    OpenApiParameter("topic", OpenApiTypes.STR, description="Handlungsfeld (Kürzel)"),
    OpenApiParameter("bundesland", OpenApiTypes.STR, description="Länderkürzel, z. B. BY"),
    OpenApiParameter("min_size", OpenApiTypes.INT, description="Mindestgröße einer Gruppe (2 bis 1000), Standard 2"),
]


class RadarTopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class RadarMunicipalitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    bundesland = serializers.CharField()
    enquiries = serializers.IntegerField(help_text="Anfragen dieser Kommune in der Gruppe")


class RadarProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    proposed = serializers.IntegerField(help_text="Anfragen der Gruppe, denen es schon vorgeschlagen wurde")


class RadarGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stabiler Schlüssel: Handlungsfeld--Begriffe")
    title = serializers.CharField()
    topics = RadarTopicSerializer(many=True)
    terms = serializers.ListField(child=serializers.CharField())
    enquiry_ids = serializers.ListField(child=serializers.IntegerField())
    size = serializers.IntegerField()
    open_count = serializers.IntegerField()
    municipalities = RadarMunicipalitySerializer(many=True)
    laender = serializers.DictField(child=serializers.IntegerField())
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()
    projects = RadarProjectSerializer(many=True)

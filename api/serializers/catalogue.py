"""Read-only representations of the catalogue (SPEC section 5: items carry ``id``; partners ``short_name``;
topics ``slug``; municipalities ``ags``, ``name``, ``kind``, ``state``, ``population``, ``funded``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.models import ConsortiumPartner, Measure, ModelProject, Municipality, Topic
from core.roles import is_staff_member


def _model_field(model, field_name: str) -> serializers.Field:
    """The field DRF builds for ``model.field_name``, to serve it under another name: the Bundesland columns
    are ``bundesland``/``bundesland_name``/``bundeslaender`` in the code and ``state``/``state_name`` in the
    API (SPEC section 5)."""
    field_class, kwargs = serializers.ModelSerializer().build_standard_field(
        field_name, model._meta.get_field(field_name)
    )
    return field_class(source=field_name, **kwargs)


class TopicSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "name_de", "name_en", "parent", "description", "keywords"]


class MunicipalitySerializer(serializers.ModelSerializer):
    """``name`` is the name as people say it ("München"); ``official_name`` the directory's
    ("München, Landeshauptstadt")."""

    name = serializers.CharField(source="short_name", read_only=True)
    official_name = serializers.CharField(source="name", read_only=True)
    state = _model_field(Municipality, "bundesland")
    state_name = _model_field(Municipality, "bundesland_name")

    class Meta:
        model = Municipality
        fields = [
            "id", "ags", "name", "official_name", "level", "kind", "state", "state_name", "district_ags",
            "district_name", "population", "size_class", "funded", "postal_code", "lat", "lon",
        ]  # fmt: skip


class MunicipalityBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="short_name", read_only=True)
    state = _model_field(Municipality, "bundesland")

    class Meta:
        model = Municipality
        fields = ["id", "ags", "name", "level", "kind", "state", "population"]


class TopicSlugsField(serializers.ListField):
    """The slugs of a prefetched many-to-many relation to Topic (no query per item)."""

    child = serializers.CharField()

    def to_representation(self, data):
        return [topic.slug for topic in data.all()]


class UrlListField(serializers.ListField):
    """A "; "-separated source field as a list of URLs (the model property splits it; no query)."""

    child = serializers.URLField()

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, data):
        return list(data)


class MeasureSerializer(serializers.ModelSerializer):
    """A measure as its project lists it. ``status`` is "" where no source states it (``status_label``:
    "unbekannt"); ``source_url`` keeps the stored text, ``source_urls`` the same as a list."""

    topics = TopicSlugsField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    source_urls = UrlListField()

    class Meta:
        model = Measure
        fields = [
            "id", "title", "description", "topics", "status", "status_label", "transferability_note",
            "open_source_url", "source_url", "source_urls", "source_topic",
        ]  # fmt: skip


class ModelProjectBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelProject
        fields = ["id", "slug", "name"]


class MeasureDetailSerializer(MeasureSerializer):
    """A measure on its own (/api/v1/measures/): with the project it belongs to."""

    model_project = ModelProjectBriefSerializer(read_only=True)

    class Meta(MeasureSerializer.Meta):
        fields = [*MeasureSerializer.Meta.fields, "model_project"]


class _StaffOnlyContactMixin:
    """Contact addresses are for staff; the public catalogue shows the rest."""

    contact_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not is_staff_member(request.user):
            for name in self.contact_fields:
                data.pop(name, None)
        return data


class ModelProjectSerializer(_StaffOnlyContactMixin, serializers.ModelSerializer):
    contact_fields = ("contact_name", "contact_email", "contact_is_demo")
    lead_municipality = MunicipalityBriefSerializer(read_only=True)
    municipalities = MunicipalityBriefSerializer(many=True, read_only=True)
    topics = TopicSlugsField(read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)
    description_sources = UrlListField()
    state = _model_field(ModelProject, "bundeslaender")

    class Meta:
        model = ModelProject
        fields = [
            "id", "slug", "name", "cohort", "category", "kind", "phase", "phase_label", "state", "population",
            "lat", "lon", "lead_municipality", "municipalities", "topics", "source_topics", "topics_source",
            "description", "description_sources", "capacity", "website", "source_url", "note", "measures",
            "contact_name", "contact_email", "contact_is_demo",
        ]  # fmt: skip


class PartnerSerializer(_StaffOnlyContactMixin, serializers.ModelSerializer):
    contact_fields = ("email",)
    expertise = TopicSlugsField(read_only=True)
    regions = serializers.SerializerMethodField()

    class Meta:
        model = ConsortiumPartner
        fields = ["id", "name", "short_name", "expertise", "regions", "capacity", "active", "is_demo", "email"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_regions(self, partner: ConsortiumPartner) -> list[str]:
        return list(partner.regions or [])

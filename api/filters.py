"""Filters of the catalogue lists (django-filter). Unknown choices answer 400 with the field named."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from catalogue.models import ConsortiumPartner, Measure, ModelProject, Municipality, Topic
from catalogue.selectors import municipalities_search
from core.geo import BUNDESLAENDER
from core.validation import ascii_digits

_BUNDESLAND_CHOICES = sorted((code, name) for code, name in BUNDESLAENDER.items())
# The kinds of the directory (../shared/data/SOURCES.md): Gemeinde rows and Kreis rows.
_KIND_CHOICES = [
    (kind, kind)
    for kind in (
        "gemeinde", "markt", "stadt", "grosse_kreisstadt", "kreisfreie_stadt", "stadtkreis", "kreis", "landkreis",
        "regionalverband",
    )
]  # fmt: skip


_BOOL_CHOICES = [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")]


def _bool_filter(label) -> django_filters.TypedChoiceFilter:
    """true/false (or 1/0); anything else is a 400 naming the field, not a silently ignored filter."""
    return django_filters.TypedChoiceFilter(choices=_BOOL_CHOICES, coerce=lambda v: v in {"true", "1"}, label=label)


def _known_topic(value: str) -> str:
    """An unknown slug is a mistake of the caller (400), not an empty result."""
    if not Topic.objects.filter(slug=value).exists():
        raise ValidationError({"topic": [_("Unbekanntes Handlungsfeld: %(slug)s") % {"slug": value}]})
    return value


class MunicipalityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name oder Schlüsselanfang"), max_length=100)
    state = django_filters.ChoiceFilter(
        field_name="bundesland", choices=_BUNDESLAND_CHOICES, label=_("Land (Kürzel, z. B. BY)")
    )
    level = django_filters.ChoiceFilter(choices=Municipality.Level.choices, label=_("Ebene"))
    kind = django_filters.ChoiceFilter(choices=_KIND_CHOICES, label=_("Art (z. B. stadt, gemeinde, landkreis)"))
    funded = _bool_filter(_("Modellprojekt"))
    district = django_filters.CharFilter(field_name="district_ags", label=_("Kreisschlüssel"), max_length=5)

    class Meta:
        model = Municipality
        fields = ["q", "state", "level", "kind", "funded", "district"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The selector orders by relevance; keep the other filters on top of it.
        return municipalities_search(q=value).filter(pk__in=queryset.values("pk")) if value.strip() else queryset


# Phase and status "unknown" are stored as "" (no source states them); the API names them "unknown".
_PHASE_CHOICES = [(value or "unknown", label) for value, label in ModelProject.Phase.choices]
_STATUS_CHOICES = [(value or "unknown", label) for value, label in Measure.Status.choices]


def _stored(value: str) -> str:
    return "" if value == "unknown" else value


class ModelProjectFilter(django_filters.FilterSet):
    cohort = django_filters.TypedChoiceFilter(
        choices=[(2019, "2019"), (2020, "2020"), (2021, "2021")], coerce=int, label=_("Staffel")
    )
    kind = django_filters.ChoiceFilter(choices=ModelProject.Kind.choices, label=_("Art"))
    state = django_filters.ChoiceFilter(
        choices=_BUNDESLAND_CHOICES, method="in_bundesland", label=_("Land (Kürzel) einer Mitgliedskommune")
    )
    topic = django_filters.CharFilter(method="with_topic", label=_("Handlungsfeld (Kürzel)"), max_length=60)
    category = django_filters.CharFilter(label=_("Wettbewerbskategorie"), max_length=40)
    phase = django_filters.ChoiceFilter(choices=_PHASE_CHOICES, method="in_phase", label=_("Phase"))
    measure_status = django_filters.ChoiceFilter(
        choices=_STATUS_CHOICES, method="with_measure_status", label=_("Status einer Maßnahme")
    )
    q = django_filters.CharFilter(method="search", label=_("Suchbegriff in Name oder Beschreibung"), max_length=100)

    class Meta:
        model = ModelProject
        fields = ["cohort", "kind", "state", "topic", "category", "phase", "measure_status", "q"]

    def in_bundesland(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=ModelProject.objects.filter(municipalities__bundesland=value).values("pk"))

    def with_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=ModelProject.objects.filter(topics__slug=_known_topic(value)).values("pk"))

    def in_phase(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(phase=_stored(value))

    def with_measure_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=Measure.objects.filter(status=_stored(value)).values("model_project_id"))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A plain substring search; the public catalogue (web) has its own full-text search.
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class _AsciiIntegerFormField(forms.IntegerField):
    """Digits 0-9 only: int() would read "٢" as 2."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not ascii_digits(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field(OpenApiTypes.INT)
class _IdFilter(django_filters.NumberFilter):
    """A database id: a whole number the database can hold (1.5 or 10**30 are a 400, never a 500)."""

    field_class = _AsciiIntegerFormField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class MeasureFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=_STATUS_CHOICES, method="with_status", label=_("Status"))
    topic = django_filters.CharFilter(method="with_topic", label=_("Handlungsfeld (Kürzel)"), max_length=60)
    model_project = _IdFilter(field_name="model_project_id", label=_("Modellprojekt (ID)"))
    q = django_filters.CharFilter(method="search", label=_("Suchbegriff in Titel oder Beschreibung"), max_length=100)

    class Meta:
        model = Measure
        fields = ["status", "topic", "model_project", "q"]

    def with_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status=_stored(value))

    def with_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=Measure.objects.filter(topics__slug=_known_topic(value)).values("pk"))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class PartnerFilter(django_filters.FilterSet):
    active = _bool_filter(_("aktiv"))
    topic = django_filters.CharFilter(method="with_topic", label=_("Fachgebiet (Kürzel)"), max_length=60)

    class Meta:
        model = ConsortiumPartner
        fields = ["active", "topic"]

    def with_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            pk__in=ConsortiumPartner.objects.filter(expertise__slug=_known_topic(value)).values("pk")
        )

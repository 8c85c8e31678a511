"""Filters of the catalogue lists (django-filter). Unknown choices answer 400 with the field named."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from crm.models import ConsortiumPartner, ModelProject, Municipality, Topic
from crm.selectors import municipalities_search
from crm.services import STATE_CODES

_STATE_CHOICES = sorted((code, name) for code, name in STATE_CODES.items())
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
    state = django_filters.ChoiceFilter(choices=_STATE_CHOICES, label=_("Land (Kürzel, z. B. BY)"))
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


class ModelProjectFilter(django_filters.FilterSet):
    cohort = django_filters.TypedChoiceFilter(
        choices=[(2019, "2019"), (2020, "2020"), (2021, "2021")], coerce=int, label=_("Staffel")
    )
    kind = django_filters.ChoiceFilter(choices=ModelProject.Kind.choices, label=_("Art"))
    state = django_filters.ChoiceFilter(
        choices=_STATE_CHOICES, method="in_state", label=_("Land (Kürzel) einer Mitgliedskommune")
    )
    topic = django_filters.CharFilter(method="with_topic", label=_("Handlungsfeld (Kürzel)"), max_length=60)
    category = django_filters.CharFilter(label=_("Wettbewerbskategorie"), max_length=40)

    class Meta:
        model = ModelProject
        fields = ["cohort", "kind", "state", "topic", "category"]

    def in_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=ModelProject.objects.filter(municipalities__state=value).values("pk"))

    def with_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=ModelProject.objects.filter(topics__slug=_known_topic(value)).values("pk"))


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

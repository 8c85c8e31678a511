"""The catalogue, read-only and public: the public enquiry form needs topics and the municipality search, and
model projects and partners are public knowledge. Anonymous callers are throttled (scope "catalogue");
contact addresses are shown to staff only (api.serializers.catalogue)."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle

from api.filters import MeasureFilter, ModelProjectFilter, MunicipalityFilter, PartnerFilter
from api.pagination import CataloguePagination
from api.serializers.catalogue import (
    MeasureDetailSerializer,
    ModelProjectSerializer,
    MunicipalitySerializer,
    PartnerSerializer,
    TopicSerializer,
)
from catalogue.selectors import measures_list, model_projects_list, municipalities_search, partners_list, topics_list


class _CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "catalogue"
    pagination_class = CataloguePagination
    filter_backends = [DjangoFilterBackend]


class TopicViewSet(_CatalogueViewSet):
    """Fields of action (Handlungsfelder)."""

    serializer_class = TopicSerializer

    def get_queryset(self):
        return topics_list()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Name (Groß-/Kleinschreibung und Umlaute egal: München, Muenchen, munchen) "
                "oder Anfang des Schlüssels (nur Ziffern, z. B. 09479 für alle Gemeinden eines Kreises)",
            )
        ]
    )
)
class MunicipalityViewSet(_CatalogueViewSet):
    """The municipality directory (Destatis GV-ISys, Gebietsstand 31.12.2024)."""

    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter

    def get_queryset(self):
        return municipalities_search()


class ModelProjectViewSet(_CatalogueViewSet):
    """The 73 model projects with their description and its sources, member municipalities and measures.

    ``phase`` and a measure's ``status`` are "" where no source states them; the filters call that "unknown".
    """

    serializer_class = ModelProjectSerializer
    filterset_class = ModelProjectFilter

    def get_queryset(self):
        return model_projects_list()


class MeasureViewSet(_CatalogueViewSet):
    """The measures of the model projects, each with its description, status, sources and project."""

    serializer_class = MeasureDetailSerializer
    filterset_class = MeasureFilter

    def get_queryset(self):
        return measures_list()


class PartnerViewSet(_CatalogueViewSet):
    """The consortium partners."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter

    def get_queryset(self):
        return partners_list()

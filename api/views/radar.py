"""/api/v1/radar/: the demand radar (matching.radar) for coordinators and managers; partner staff 403, anonymous
401. Thin doors: parse the filters (a bad one is a 400 naming it), call the selector, page the groups."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import StandardPagination
from api.serializers.radar import RADAR_PARAMETERS, RadarGroupSerializer
from core.errors import NotVisible
from core.roles import is_coordinator, is_manager
from matching.radar import MAX_LIMIT, radar_filters_parse, radar_group, radar_groups, radar_projects_add


class MayReadRadar(permissions.BasePermission):
    """Coordinators and managers; anonymous callers 401, other accounts (partner staff) 403."""

    message = gettext_lazy("Nur Koordination und Leitung sehen den Bedarfsradar.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (is_coordinator(user) or is_manager(user)))


class RadarListView(generics.ListAPIView):
    """Groups of similar enquiries of the period, largest first (at most 200), in pages."""

    permission_classes = [MayReadRadar]
    serializer_class = RadarGroupSerializer
    pagination_class = StandardPagination
    filter_backends: list = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return []
        filters = radar_filters_parse(params=self.request.query_params)
        return radar_groups(
            since=filters.since,
            until=filters.until,
            topic=filters.topic,
            bundesland=filters.bundesland,
            min_size=filters.min_size,
            limit=MAX_LIMIT,
            projects=False,
        )

    def paginate_queryset(self, queryset: Any) -> Any:
        # the projects of the page's groups only: scoring the catalogue for 200 groups would take seconds
        page = super().paginate_queryset(queryset)
        return radar_projects_add(groups=page) if page is not None else None

    @extend_schema(parameters=RADAR_PARAMETERS, summary="Bedarfsradar: Gruppen ähnlicher Anfragen")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class RadarDetailView(APIView):
    """One group from its key, in the same period as the list (``from``, ``to``, ``bundesland``)."""

    permission_classes = [MayReadRadar]

    @extend_schema(parameters=RADAR_PARAMETERS[:2] + RADAR_PARAMETERS[3:4], responses=RadarGroupSerializer)
    def get(self, request: Request, key: str) -> Response:
        filters = radar_filters_parse(params=request.query_params)
        group = radar_group(key=key, since=filters.since, until=filters.until, bundesland=filters.bundesland)
        if group is None:
            raise NotVisible(_("Gruppe nicht gefunden."))
        return Response(RadarGroupSerializer(group).data)

"""GET /api/v1/: where to go from here (the README links to it)."""

from __future__ import annotations

from django.urls import NoReverseMatch
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

# name in the answer -> URL name; the staff routes need a token (POST auth/token/), the rest is public
_ROUTES = {
    "auth_token": "auth-token",
    "enquiries": "enquiry-list",
    "topics": "topic-list",
    "model_projects": "model-project-list",
    "measures": "measure-list",
    "partners": "partner-list",
    "municipalities": "municipality-list",
    "stats_summary": "stats-summary",
    "inbound_emails": "inbound-email-list",
    "radar": "radar-list",
    "events": "event-list",
    "schema": "schema",
    "docs": "docs",
}


class ApiRootView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        links = {}
        for key, name in _ROUTES.items():
            try:
                links[key] = reverse(name, request=request)
            except NoReverseMatch:  # a route an area does not offer is left out
                continue
        return Response(links)

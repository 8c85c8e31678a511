"""/api/v1/privacy/: a contact's data export and erasure (both POST {"email"}), for coordinators only.

Thin doors: check the role, parse the address, call one service (privacy.services), render. A bad address is a
400 naming ``email``; another role gets 403, no login 401."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import GuardFailed
from core.roles import is_coordinator
from privacy.services import contact_data_erase, contact_data_export

logger = logging.getLogger(__name__)


class IsCoordinator(permissions.BasePermission):
    message = gettext_lazy("Nur die Koordination darf auf personenbezogene Daten zugreifen.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and is_coordinator(request.user))


def _private(response: Response) -> Response:
    # personal data: no browser or proxy keeps a copy
    response["Cache-Control"] = "no-store"
    return response


class PrivacyExportView(APIView):
    """POST {"email"}: everything stored about that address, as JSON. The address goes in the body, never in
    the URL (a URL lands in access logs and browser histories)."""

    permission_classes = [IsCoordinator]

    @extend_schema(
        request=inline_serializer("PrivacyExportRequest", {"email": serializers.EmailField()}),
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise GuardFailed(_("Der Inhalt muss ein JSON-Objekt sein."), field="email")
        data = contact_data_export(email=request.data.get("email"))
        # who looked at whose data is worth an audit line; the address itself is not logged
        logger.info("privacy: export of %d enquiries by %s", len(data["enquiries"]), request.user.get_username())
        return _private(Response(data))


class PrivacyEraseView(APIView):
    """POST {"email"}: withdraw the address's open cases and anonymise all of them now."""

    permission_classes = [IsCoordinator]

    @extend_schema(
        request=inline_serializer("PrivacyEraseRequest", {"email": serializers.EmailField()}),
        responses={
            200: inline_serializer(
                "PrivacyEraseResponse", {"email": serializers.EmailField(), "anonymised": serializers.IntegerField()}
            )
        },
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise GuardFailed(_("Der Inhalt muss ein JSON-Objekt sein."), field="email")
        email = request.data.get("email")
        count = contact_data_erase(email=email, by=request.user)
        return _private(Response({"email": email.strip().lower(), "anonymised": count}))

"""POST /api/v1/auth/token/ {"username", "password"} -> {"token"}; throttled per client (LOGIN_RATE)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser

from api.parsers import JSONParser
from core.throttles import LoginRateThrottle


class TokenLoginView(ObtainAuthToken):
    """Wrong credentials answer 400 (``non_field_errors``); too many attempts 429."""

    # per client address only, on the counter the page logins share: a valid token in the header must not move
    # the door to a per-user counter (DRF's ScopedRateThrottle does that for an authenticated request)
    throttle_classes = [LoginRateThrottle]
    authentication_classes: list = []
    parser_classes = [JSONParser, FormParser]
    renderer_classes = ObtainAuthToken.renderer_classes

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

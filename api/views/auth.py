"""POST /api/v1/auth/token/ {"username", "password"} -> {"token"}; throttled per client (LOGIN_RATE)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser
from rest_framework.throttling import ScopedRateThrottle

from api.parsers import JSONParser


class TokenLoginView(ObtainAuthToken):
    """Wrong credentials answer 400 (``non_field_errors``); too many attempts 429."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    parser_classes = [JSONParser, FormParser]
    renderer_classes = ObtainAuthToken.renderer_classes

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

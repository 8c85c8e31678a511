"""The municipality's token endpoints: status, reply (a message at any open state), withdraw. No account: the token is the key, so every
unknown token is the same 404, and the answers carry public timeline entries only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.enquiries import PublicEnquirySerializer
from cases.models import Enquiry
from cases.public_messages import enquiry_public_message
from cases.rules import MUNICIPALITY
from cases.selectors import enquiry_get_by_token, enquiry_timeline
from cases.services import enquiry_transition
from cases.transitions import TRANSITIONS
from core.throttles import PublicTokenRateThrottle
from matching.selectors import enquiry_public_status


def public_view(enquiry: Enquiry) -> dict:
    timeline = list(enquiry_timeline(enquiry=enquiry, public_only=True))
    context = {"timeline": timeline, "status": enquiry_public_status(enquiry=enquiry)}
    return PublicEnquirySerializer(enquiry, context=context).data


class _PublicView(APIView):
    # no session or token authentication: a logged-in browser must not change what the token holder may do
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PublicTokenRateThrottle]


class PublicEnquiryView(_PublicView):
    @extend_schema(responses=PublicEnquirySerializer, auth=[])
    def get(self, request: Request, token: str) -> Response:
        return Response(public_view(enquiry_get_by_token(token=token)))


class PublicTransitionView(_PublicView):
    transition = ""

    def post(self, request: Request, token: str) -> Response:
        enquiry = enquiry_get_by_token(token=token)
        data = request.data
        payload = data.dict() if hasattr(data, "dict") else data
        enquiry = enquiry_transition(
            enquiry=enquiry, name=self.transition, by=None, actor=MUNICIPALITY, payload=payload
        )
        return Response(public_view(enquiry))


class PublicReplyView(_PublicView):
    """A message of the municipality: in awaiting_reply the answer (receive_reply), in another open state a
    message on the timeline that moves nothing (cases.public_messages)."""

    @extend_schema(request=TRANSITIONS["receive_reply"].input, responses=PublicEnquirySerializer, auth=[])
    def post(self, request: Request, token: str) -> Response:
        enquiry = enquiry_get_by_token(token=token)
        data = request.data
        payload = data.dict() if hasattr(data, "dict") else data
        return Response(public_view(enquiry_public_message(enquiry=enquiry, payload=payload)))


class PublicWithdrawView(PublicTransitionView):
    transition = "withdraw"

    @extend_schema(request=TRANSITIONS["withdraw"].input, responses=PublicEnquirySerializer, auth=[])
    def post(self, request: Request, token: str) -> Response:
        return super().post(request, token)

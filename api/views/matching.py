"""Matches and introductions of one enquiry, for staff who may see it (404 otherwise)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import StandardPagination
from api.serializers.matching import (
    DecisionInputSerializer,
    IntroductionCreateSerializer,
    IntroductionSerializer,
    MatchDecisionSerializer,
    MatchSerializer,
)
from api.views.enquiries import IsStaffMember
from cases.selectors import enquiry_get_visible
from matching.introductions import (
    introduction_complete,
    introduction_create_for_match,
    introduction_get,
    introductions_of,
)
from matching.models import Introduction, Match
from matching.proposals import match_decide, proposals_recompute
from matching.selectors import match_get, matches_of


def matches_for_list(*, enquiry) -> Any:
    """Model projects first, then partners, each best first; three queries per page whatever its size."""
    return matches_of(enquiry=enquiry)


class EnquiryMatchesView(generics.ListAPIView):
    """Proposals best first: model projects (rank 1..), then partners (rank 1..)."""

    permission_classes = [IsStaffMember]
    serializer_class = MatchSerializer
    pagination_class = StandardPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Match.objects.none()
        return matches_for_list(enquiry=enquiry_get_visible(user=self.request.user, pk=self.kwargs["pk"]))


class MatchesRecomputeView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(request=None, responses=MatchSerializer(many=True))
    def post(self, request: Request, pk: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        proposals_recompute(enquiry=enquiry, by=request.user)
        return Response(MatchSerializer(matches_for_list(enquiry=enquiry), many=True).data)


class MatchDecisionView(APIView):
    """Accept or reject one proposal. Accepting does what it says (``matching.decisions``): a
    partner proposal assigns the case, a model project is asked for an introduction; when that is not
    possible the answer is 400 with the reason and the proposal stays "proposed". The answer is the proposal
    with ``effect``: ``{"kind": "assigned" | "introduction_started" | "none", "text", "enquiry_state",
    "introduction"}``."""

    permission_classes = [IsStaffMember]
    decision = ""

    @extend_schema(request=DecisionInputSerializer, responses=MatchDecisionSerializer)
    def post(self, request: Request, pk: int, match_id: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        match = match_get(enquiry=enquiry, match_id=match_id)
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = match_decide(match=match, decision=self.decision, by=request.user, **serializer.validated_data)
        match = matches_for_list(enquiry=enquiry).get(pk=match.pk)
        return Response(MatchDecisionSerializer(match, context={"decision": outcome}).data)


class MatchAcceptView(MatchDecisionView):
    decision = Match.Decision.ACCEPTED


class MatchRejectView(MatchDecisionView):
    decision = Match.Decision.REJECTED


class EnquiryIntroductionsView(generics.ListAPIView):
    permission_classes = [IsStaffMember]
    serializer_class = IntroductionSerializer
    pagination_class = StandardPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Introduction.objects.none()
        return introductions_of(enquiry=enquiry_get_visible(user=self.request.user, pk=self.kwargs["pk"]))

    @extend_schema(request=IntroductionCreateSerializer, responses={201: IntroductionSerializer})
    def post(self, request: Request, pk: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        serializer = IntroductionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        introduction = introduction_create_for_match(
            enquiry=enquiry, match_id=serializer.validated_data["match"], by=request.user
        )
        return Response(IntroductionSerializer(introduction).data, status=status.HTTP_201_CREATED)


class IntroductionCompleteView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(request=None, responses=IntroductionSerializer)
    def post(self, request: Request, pk: int, iid: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        introduction = introduction_complete(
            introduction=introduction_get(enquiry=enquiry, introduction_id=iid), by=request.user
        )
        return Response(IntroductionSerializer(introduction).data)

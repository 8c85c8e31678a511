"""Enquiries: submission (anyone) and the staff case API (SPEC section 5). Thin doors: parse, fetch what the
caller may see, call one workflow service, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import EnquiryPagination, StandardPagination
from api.serializers.enquiries import (
    ActivitySerializer,
    EnquirySerializer,
    EnquirySubmitSerializer,
    FollowUpSerializer,
    SubmittedSerializer,
    TransitionSerializer,
)
from cases.followups import followup_complete, followup_create
from cases.idempotency import body_fingerprint, key_clean, submission_once
from cases.intake import enquiry_submit
from cases.links import status_url
from cases.models import Enquiry, FollowUp
from cases.selectors import (
    enquiries_filter,
    enquiries_visible_to,
    enquiry_get_visible,
    enquiry_timeline,
    enquiry_transition_comments,
    enquiry_transitions_available,
)
from cases.services import enquiry_transition
from cases.transitions import TRANSITIONS, Transition
from catalogue.models import Measure
from conversation.selectors import activities_with_mail
from core.errors import NotVisible
from core.expressions import ValuesOf
from core.roles import is_staff_member
from core.throttles import SubmitRateThrottle


class IsStaffMember(permissions.BasePermission):
    """Coordinators, managers and partner staff; anonymous callers get 401, other accounts 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and is_staff_member(request.user))


# what EnquirySerializer reads of a case and of the rows joined to it, and nothing else: not the search fields (a
# case's whole text again, several times), nor the municipality's directory data, nor the user's password
SHOWN = (
    *(name for name in EnquirySerializer._declared_fields if name not in {"state_label", "topics", "outcome"}),
    "municipality__ags",
    "municipality__name",
    "municipality__short_name",
    "municipality__bundesland",
    "assigned_partner__short_name",
    "assigned_partner__name",
    "assigned_user__username",
    "outcome__category",
    "outcome__notes",
    "outcome__recorded_at",
)


def enquiry_queryset(queryset: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    """Everything EnquirySerializer reads, in a fixed number of queries whatever the page size. The measure (set
    on few cases) is read by a second query only when a row has one: joined, its two tables took PostgreSQL 6 of
    the 7 ms spent planning each page at a million cases."""
    measures = Prefetch("measure", queryset=Measure.objects.select_related("model_project"))
    # the topics' slugs in the rows' own query (a query of their own cost a page 3-4 ms, most of it in the ORM)
    slugs = ValuesOf(Enquiry.topics.through.objects.filter(enquiry_id=OuterRef("pk")), "topic__slug")
    related = queryset.select_related("municipality", "assigned_partner", "assigned_user", "outcome")
    return related.only(*SHOWN).annotate(topic_slugs=slugs).prefetch_related(measures)


def _enquiry_response(pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    enquiry = enquiry_queryset(Enquiry.objects.filter(pk=pk)).get()
    return Response(EnquirySerializer(enquiry).data, status=status_code)


def _body(request: Request) -> Any:
    data = request.data
    return data.dict() if hasattr(data, "dict") else data


class EnquiryListCreateView(APIView):
    """GET: the caller's cases (filters, ordering, pages by number or, with ``?cursor=``, by cursor:
    ``api.pagination.EnquiryPagination``). POST: a submission, open to anyone, throttled."""

    pagination_class = EnquiryPagination

    def get_permissions(self) -> list:
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [IsStaffMember()]

    def get_throttles(self) -> list:
        if self.request.method == "POST":
            return [SubmitRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        operation_id="v1_enquiries_list",
        responses=EnquirySerializer(many=True),
        parameters=[
            OpenApiParameter(name, str, description=text)
            for name, text in [
                ("state", "Status, mehrere mit Komma"),
                ("topic", "Themen-Kürzel"),
                ("partner", "Partner-ID"),
                ("municipality", "AGS (8 oder 5 Ziffern)"),
                ("bundesland", "Länderkürzel, z. B. BY"),
                ("created_after", "ISO-Datum"),
                ("created_before", "ISO-Datum (einschließlich)"),
                ("ordering", "z. B. -created_at, reference, priority"),
                ("q", "Volltextsuche (alle Wörter müssen vorkommen; die Reihenfolge bleibt)"),
            ]
        ],
    )
    def get(self, request: Request) -> Response:
        enquiries = enquiries_filter(enquiries=enquiries_visible_to(user=request.user), params=request.query_params)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(enquiry_queryset(enquiries), request, view=self)
        return paginator.get_paginated_response(EnquirySerializer(page, many=True).data)

    @extend_schema(
        request=EnquirySubmitSerializer,
        responses={201: SubmittedSerializer},
        auth=[],
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                location=OpenApiParameter.HEADER,
                description=(
                    "Optional, 1-255 sichtbare ASCII-Zeichen: dieselbe Einreichung mit demselben Schlüssel "
                    "(24 Stunden lang) liefert die erste Antwort und speichert nichts Neues; derselbe Schlüssel "
                    "mit anderem Inhalt: 422."
                ),
            )
        ],
    )
    def post(self, request: Request) -> Response:
        key = key_clean(request.headers.get("Idempotency-Key"), field="Idempotency-Key")
        staff = request.user if is_staff_member(request.user) else None
        serializer = EnquirySubmitSerializer(data=request.data, context={"staff": staff is not None})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = {
            "municipality_ags": data["municipality"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "contact_phone": data.get("contact_phone", ""),
            "contact_role": data.get("contact_role", ""),
            "subject": data["subject"],
            "message": data["message"],
            "topic_slugs": data.get("topics", []),
            "support_type": data["support_type"],
            "consent": data["consent"],
            "channel": data.get("channel", "web") if staff is not None else "web",
            "language": get_language() or settings.LANGUAGE_CODE,
            "measure_id": data.get("measure"),
        }

        def submit() -> tuple[Any, int, dict]:
            enquiry = enquiry_submit(**submission, by=staff, known=serializer.known)
            answer = {
                "id": enquiry.pk,
                "reference": enquiry.reference,
                "state": enquiry.state,
                "token": enquiry.public_token,
                "status_url": status_url(enquiry),
            }
            # the shape SubmittedSerializer documents (the schema), built directly: all five are plain values
            return enquiry, status.HTTP_201_CREATED, answer

        if key is None:
            _enquiry, code, body = submit()
            return Response(body, status=code)
        fingerprint = body_fingerprint({**submission, "by": staff.pk if staff is not None else None})
        code, body, repeated = submission_once(door="api", key=key, fingerprint=fingerprint, submit=submit)
        return Response(body, status=code, headers={"Idempotent-Replayed": "true"} if repeated else None)


class EnquiryDetailView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(responses=EnquirySerializer)
    def get(self, request: Request, pk: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        return _enquiry_response(enquiry.pk)


class EnquiryTransitionView(APIView):
    """POST /enquiries/{id}/transitions/{name}/: one command endpoint per transition of the table
    (``transition_view`` makes one per entry, with its input serializer as the request body of the schema).
    This one answers the names that are not in the table: 404."""

    permission_classes = [IsStaffMember]
    transition: Transition | None = None

    @extend_schema(exclude=True)
    def post(self, request: Request, pk: int, name: str | None = None) -> Response:
        if self.transition is None:
            raise NotFound()
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        enquiry_transition(enquiry=enquiry, name=self.transition.name, by=request.user, payload=_body(request))
        return _enquiry_response(enquiry.pk)


def transition_view(entry: Transition) -> type[EnquiryTransitionView]:
    """The endpoint of one transition: its body is parsed with ``entry.input`` (by ``enquiry_transition``)."""

    def post(self: EnquiryTransitionView, request: Request, pk: int) -> Response:
        return EnquiryTransitionView.post(self, request, pk)

    sources = ", ".join(entry.sources)
    target = " | ".join(entry.targets) if entry.targets else entry.target
    post = extend_schema(
        operation_id=f"v1_enquiries_transitions_{entry.name}_create",
        summary=str(entry.label),
        description=f"{entry.name}: {sources} -> {target}." + (f" Effects: {entry.effects}." if entry.effects else ""),
        request=entry.input,
        responses=EnquirySerializer,
    )(post)
    name = "".join(part.title() for part in entry.name.split("_"))
    return type(f"Enquiry{name}View", (EnquiryTransitionView,), {"transition": entry, "post": post})


TRANSITION_VIEWS = {name: transition_view(entry) for name, entry in TRANSITIONS.items()}


class EnquiryTransitionsAvailableView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(responses=TransitionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        available = enquiry_transitions_available(enquiry=enquiry, user=request.user)
        return Response(TransitionSerializer(available, many=True).data)


class EnquiryTimelineView(APIView):
    """Oldest first, paginated like every list."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses=ActivitySerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        paginator = StandardPagination()
        activities = activities_with_mail(enquiry_timeline(enquiry=enquiry))
        page = paginator.paginate_queryset(activities, request, view=self)
        comments = enquiry_transition_comments(enquiry=enquiry, activities=page)
        return paginator.get_paginated_response(
            ActivitySerializer(page, many=True, context={"comments": comments, "request": request}).data
        )


class EnquiryFollowUpsView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(responses=FollowUpSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        paginator = StandardPagination()
        follow_ups = FollowUp.objects.filter(enquiry=enquiry).order_by("due_at", "id")
        page = paginator.paginate_queryset(follow_ups, request, view=self)
        return paginator.get_paginated_response(FollowUpSerializer(page, many=True).data)

    @extend_schema(request=FollowUpSerializer, responses={201: FollowUpSerializer})
    def post(self, request: Request, pk: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        follow_up = followup_create(
            enquiry=enquiry,
            by=request.user,
            due_at=data["due_at"],
            kind=data["kind"],
            note=data.get("note", ""),
            assignee=data.get("assignee_id"),
        )
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class EnquiryFollowUpCompleteView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(request=None, responses=FollowUpSerializer)
    def post(self, request: Request, pk: int, fid: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        follow_up = FollowUp.objects.filter(enquiry=enquiry, pk=fid).select_related("enquiry").first()
        if follow_up is None:
            raise NotVisible(_("Wiedervorlage nicht gefunden."))
        follow_up = followup_complete(follow_up=follow_up, by=request.user)
        return Response(FollowUpSerializer(follow_up).data)

"""Events (transfer workshops): the staff API and the municipality's registration by token. Thin doors: fetch
what the caller may see (404 otherwise), check the right before reading the body (403), parse with the shared
inputs (``events.inputs``, 400 naming the field), call one service of ``events.services``, render."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import StandardPagination
from api.serializers.events import (
    AttendanceRecordedSerializer,
    CancelTransitionInput,
    CandidateSerializer,
    CasesResolvedSerializer,
    EventLogSerializer,
    EventSerializer,
    EventTransitionInput,
    EventTransitionSerializer,
    InvitationSerializer,
    InvitationsSentSerializer,
    PublicRegistrationSerializer,
    ResolveCasesInput,
)
from api.views.enquiries import IsStaffMember
from core.errors import GuardFailed, NotAllowed
from core.throttles import PublicTokenRateThrottle
from events.inputs import AttendanceInput, EventInput, EventUpdateInput, InviteInput, RegistrationInput
from events.models import Event, Invitation, Presenter
from events.outcomes import attendance_record, event_resolve_cases
from events.registrations import (
    access_link_shown,
    invitation_get_by_token,
    invitations_send,
    registration_answer,
    registration_refusal,
)
from events.selectors import (
    event_get,
    event_invitations_visible_to,
    event_log_visible_to,
    events_list,
    invitation_candidates,
)
from events.services import EVENT_SERVICES, event_create, event_update
from events.transitions import (
    STAFF_TRANSITIONS,
    TRANSITIONS,
    EventTransition,
    event_transitions_available,
    may_organise,
)


def _must_plan(user: Any) -> None:
    """The coordinators' right of the table (the services check it again): checked before the body is read,
    so that who may not act learns nothing from a validation answer."""
    if not may_organise(user):
        raise NotAllowed(_("Dazu fehlt Ihnen die Berechtigung."))


def _event_response(*, user: Any, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(EventSerializer(event_get(user=user, pk=pk)).data, status=status_code)


def _paginated(request: Request, view: APIView, rows: Any, serializer: type, **context: Any) -> Response:
    paginator = StandardPagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context=context).data)


class EventListCreateView(APIView):
    """GET: the events the caller may see (coordinators and managers all, partner staff those their cases were
    invited to), latest start first, page by page. POST: a coordinator plans an event (state ``planned``)."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        operation_id="v1_events_list",
        responses=EventSerializer(many=True),
        parameters=[OpenApiParameter("state", str, enum=Event.State.values, description="Status der Veranstaltung")],
    )
    def get(self, request: Request) -> Response:
        state = request.query_params.get("state") or None
        if state is not None and state not in Event.State.values:
            raise GuardFailed(
                _("Unbekannter Status. Möglich: %(states)s") % {"states": ", ".join(Event.State.values)},
                field="state",
            )
        return _paginated(request, self, events_list(user=request.user, state=state), EventSerializer)

    @extend_schema(request=EventInput, responses={201: EventSerializer})
    def post(self, request: Request) -> Response:
        _must_plan(request.user)
        serializer = EventInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = event_create(data=serializer.event_data(), by=request.user)
        return _event_response(user=request.user, pk=event.pk, status_code=status.HTTP_201_CREATED)


class EventDetailView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(responses=EventSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _event_response(user=request.user, pk=pk)

    @extend_schema(request=EventUpdateInput, responses=EventSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        event = event_get(user=request.user, pk=pk)
        _must_plan(request.user)
        serializer = EventUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        event_update(event=event, by=request.user, changes=serializer.changes())
        return _event_response(user=request.user, pk=event.pk)


class EventTransitionsAvailableView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(responses=EventTransitionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        event = event_get(user=request.user, pk=pk)
        available = event_transitions_available(event=event, by=request.user)
        return Response(EventTransitionSerializer(available, many=True).data)


class EventTransitionView(APIView):
    """POST /events/{id}/transitions/{name}/: one endpoint per transition a person takes (``STAFF_TRANSITIONS``;
    ``event_transition_view`` makes them, with their bodies in the schema). This one answers every other name,
    the system's ``fill`` and ``free`` included: 404."""

    permission_classes = [IsStaffMember]
    transition: EventTransition | None = None

    @extend_schema(exclude=True)
    def post(self, request: Request, pk: int, name: str | None = None) -> Response:
        if self.transition is None:
            raise NotFound()
        name = self.transition.name
        event = event_get(user=request.user, pk=pk)
        if not TRANSITIONS[name].who(request.user, None):
            raise NotAllowed(_("Dazu fehlt Ihnen die Berechtigung."))
        body = (CancelTransitionInput if name == "cancel" else EventTransitionInput)(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        kwargs = {"reason": values["reason"]} if name == "cancel" else {"comment": values["comment"].strip()}
        EVENT_SERVICES[name](event=event, by=request.user, expected_state=values["expected_state"], **kwargs)
        return _event_response(user=request.user, pk=event.pk)


def event_transition_view(entry: EventTransition) -> type[EventTransitionView]:
    def post(self: EventTransitionView, request: Request, pk: int) -> Response:
        return EventTransitionView.post(self, request, pk)

    post = extend_schema(
        operation_id=f"v1_events_transitions_{entry.name}_create",
        summary=str(entry.label),
        description=f"{entry.name}: {', '.join(entry.sources)} -> {entry.target}. {entry.help}".strip(),
        request=CancelTransitionInput if entry.name == "cancel" else EventTransitionInput,
        responses=EventSerializer,
    )(post)
    name = "".join(part.title() for part in entry.name.split("_"))
    return type(f"Event{name}View", (EventTransitionView,), {"transition": entry, "post": post})


TRANSITION_VIEWS = {name: event_transition_view(TRANSITIONS[name]) for name in STAFF_TRANSITIONS}


class EventLogView(APIView):
    """Oldest first, paginated like every list; partner staff do not see other partners' municipalities."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses=EventLogSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        event = event_get(user=request.user, pk=pk)
        return _paginated(request, self, event_log_visible_to(event=event, user=request.user), EventLogSerializer)


class EventInvitationsView(APIView):
    """GET: the invitations (partner staff: their partner's cases' only). POST: a coordinator invites the
    contacts of enquiries; an address invited before, or an anonymised one, is skipped with its reason."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses=InvitationSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        event = event_get(user=request.user, pk=pk)
        invitations = event_invitations_visible_to(event=event, user=request.user)
        return _paginated(request, self, invitations, InvitationSerializer)

    @extend_schema(request=InviteInput, responses={200: InvitationsSentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        event = event_get(user=request.user, pk=pk)
        _must_plan(request.user)
        serializer = InviteInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = invitations_send(event=event, enquiries=serializer.validated_data["enquiries"], by=request.user)
        invited = Invitation.objects.filter(pk__in=[i.pk for i in result.invited]).select_related("municipality")
        body = {
            "invited": InvitationSerializer(invited.order_by("id"), many=True).data,
            "skipped": [{"enquiry": enquiry.pk, "reason": str(reason)} for enquiry, reason in result.skipped],
        }
        return Response(body)


class EventCandidatesView(APIView):
    """The enquiries a coordinator may invite: the event's own group first, then others on its topics."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses=CandidateSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        event = event_get(user=request.user, pk=pk)
        _must_plan(request.user)
        own = set(event.enquiries.values_list("pk", flat=True))
        return _paginated(request, self, invitation_candidates(event=event), CandidateSerializer, own=own)


class EventAttendanceView(APIView):
    """After the event: the invitations that came (every other registered one did not)."""

    permission_classes = [IsStaffMember]

    @extend_schema(request=AttendanceInput, responses=AttendanceRecordedSerializer)
    def post(self, request: Request, pk: int) -> Response:
        event = event_get(user=request.user, pk=pk)
        _must_plan(request.user)
        serializer = AttendanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        came = attendance_record(event=event, attended=serializer.validated_data["attended"], by=request.user)
        return Response({"attended": came})


class EventResolveCasesView(APIView):
    """Resolve the cases of attending municipalities with the outcome ``exchange_held``, through the resolve
    service and its rights (the assigned partner's staff). Without ``invitations``: every case the caller
    sees; an invitation the caller does not see is skipped as not found."""

    permission_classes = [IsStaffMember]

    @extend_schema(request=ResolveCasesInput, responses=CasesResolvedSerializer)
    def post(self, request: Request, pk: int) -> Response:
        event = event_get(user=request.user, pk=pk)
        serializer = ResolveCasesInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible = set(event_invitations_visible_to(event=event, user=request.user).values_list("pk", flat=True))
        asked = serializer.validated_data["invitations"]
        chosen = visible if asked is None else {i for i in asked if i in visible}
        unseen = [] if asked is None else sorted({i for i in asked if i not in visible})
        result = event_resolve_cases(event=event, by=request.user, invitation_ids=chosen)
        skipped = [{"invitation": i.pk, "reason": str(reason)} for i, reason in result.skipped]
        skipped += [{"invitation": i, "reason": _("Einladung nicht gefunden.")} for i in unseen]
        return Response({"resolved": [i.pk for i in result.resolved], "skipped": skipped})


# --- the municipality's registration by its personal link -------------------------------------------------------


def public_registration(invitation: Invitation) -> dict[str, Any]:
    """What the invited municipality sees: the event (its access link only once registered), its answer, and
    whether (or why not) it can answer now."""
    event = invitation.event
    refusal = registration_refusal(invitation=invitation)
    presenters = event.presenters.filter(state=Presenter.State.ACCEPTED).select_related("model_project")
    data = {
        "event": {
            "title": event.title,
            "kind": event.kind,
            "description": event.description,
            "topics": [t.name for t in event.topics.all()],
            "format": event.format,
            "place": event.place,
            "online_url": access_link_shown(invitation=invitation),
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "registration_deadline": event.registration_deadline,
            "state": event.state,
            "presenters": [p.model_project.name for p in presenters],
        },
        "municipality": invitation.municipality.name,
        "name": invitation.name,
        "state": invitation.state,
        "state_label": invitation.get_state_display(),
        "answered_at": invitation.answered_at,
        "can_answer": refusal is None,
        "refusal": str(refusal.message) if refusal is not None else None,
    }
    return PublicRegistrationSerializer(data).data


class PublicRegistrationView(APIView):
    """GET: the invitation by its token. POST ``{"register": true|false, "note"}``: register (a seat or the
    waiting list) or decline/withdraw. Answered already: 409; cancelled, past or after the deadline: 400;
    unknown token: 404. Nothing is stored twice."""

    # no session or token authentication: a logged-in browser must not change what the token holder may do
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PublicTokenRateThrottle]

    @extend_schema(responses=PublicRegistrationSerializer, auth=[])
    def get(self, request: Request, token: str) -> Response:
        return Response(public_registration(invitation_get_by_token(token=token)))

    @extend_schema(request=RegistrationInput, responses=PublicRegistrationSerializer, auth=[])
    def post(self, request: Request, token: str) -> Response:
        invitation_get_by_token(token=token)  # an unknown token is a 404 before the body is read
        serializer = RegistrationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registration_answer(token=token, register=data["register"], note=data["note"])
        return Response(public_registration(invitation_get_by_token(token=token)))

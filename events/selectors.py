"""Reading events: the lists of the workspace and the API, one event with its people, the enquiries a
coordinator may invite, and who holds a seat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CloseReason, Enquiry, State
from core.errors import NotVisible
from core.roles import is_coordinator, is_manager, is_partner_staff, partner_of
from events.models import ACTIVE_EVENT_STATES, Event, EventLog, Invitation

CANDIDATE_WINDOW = timedelta(days=365)


def events_visible_to(*, user: Any) -> QuerySet[Event]:
    """Coordinators and managers see every event; partner staff the events their partner's cases were invited
    to (to resolve those cases afterwards); nobody else any."""
    events = Event.objects.all()
    if is_coordinator(user) or is_manager(user):
        return events
    if is_partner_staff(user):
        partner = partner_of(user)
        if partner is None:
            return events.none()
        return events.filter(invitations__enquiry__assigned_partner=partner).distinct()
    return events.none()


def event_counts() -> dict[str, Count]:
    """The counts every list of events shows (workspace, API, admin): seats taken, waiting, invited, came."""
    return {
        "registered_count": Count("invitations", filter=Q(invitations__state=Invitation.State.REGISTERED)),
        "waitlisted_count": Count("invitations", filter=Q(invitations__state=Invitation.State.WAITLISTED)),
        "invited_count": Count("invitations"),
        "attended_count": Count("invitations", filter=Q(invitations__attended=True)),
    }


def events_list(*, user: Any, state: str | None = None) -> QuerySet[Event]:
    """With the counts of the list (``event_counts``)."""
    events = events_visible_to(user=user).prefetch_related("topics")
    if state:
        events = events.filter(state=state)
    return events.annotate(**event_counts()).order_by("-starts_at", "-id")


def event_get(*, user: Any, pk: Any) -> Event:
    try:
        return events_list(user=user).get(pk=int(pk))
    except (Event.DoesNotExist, TypeError, ValueError) as exc:
        raise NotVisible(_("Veranstaltung nicht gefunden.")) from exc


def event_invitations(*, event: Event) -> QuerySet[Invitation]:
    return event.invitations.select_related("municipality", "enquiry", "enquiry__assigned_partner").order_by(
        "municipality__name", "id"
    )


def event_invitations_visible_to(*, event: Event, user: Any) -> QuerySet[Invitation]:
    """Coordinators and managers see every invitation of the event; partner staff those of their partner's
    cases (the cases they resolve afterwards), not the other municipalities'."""
    invitations = event_invitations(event=event)
    if is_coordinator(user) or is_manager(user):
        return invitations
    partner = partner_of(user) if is_partner_staff(user) else None
    if partner is None:
        return invitations.none()
    return invitations.filter(enquiry__assigned_partner=partner)


def event_log(*, event: Event) -> QuerySet[EventLog]:
    return event.log.select_related("by", "invitation__municipality", "presenter__model_project").order_by("at", "id")


def event_log_visible_to(*, event: Event, user: Any) -> QuerySet[EventLog]:
    """The log; partner staff do not read the answers (and notes) of other partners' municipalities."""
    log = event_log(event=event)
    if is_coordinator(user) or is_manager(user):
        return log
    visible = event_invitations_visible_to(event=event, user=user).values("pk")
    return log.filter(Q(invitation=None) | Q(invitation__in=visible))


def invitation_candidates(*, event: Event, limit: int = 200) -> QuerySet[Enquiry]:
    """The enquiries a coordinator may invite: the event's own (the radar group) first, then others of the
    last year on one of its fields of action, with a contact address, not spam or a duplicate, whose address
    is not invited yet."""
    invited = event.invitations.values("email")
    since = timezone.now() - CANDIDATE_WINDOW
    topic_ids = list(event.topics.values_list("pk", flat=True))
    own = Q(events=event)
    on_topic = Q(topics__in=topic_ids, created_at__gte=since)
    return (
        Enquiry.objects.filter(own | on_topic)
        .exclude(contact_email="")
        .exclude(contact_email__in=invited)
        .exclude(state=State.CLOSED, close_reason__in=[CloseReason.SPAM, CloseReason.DUPLICATE])
        .select_related("municipality")
        .distinct()
        # the group's own first, as the docstring promises (the page pre-checks them)
        .annotate(own=Exists(Event.enquiries.through.objects.filter(event_id=event.pk, enquiry_id=OuterRef("pk"))))
        .order_by("-own", "-created_at", "-id")[:limit]
    )


def seats_taken(*, event: Event) -> int:
    return event.invitations.filter(state=Invitation.State.REGISTERED).count()


def events_upcoming(*, user: Any, limit: int = 5, now: Any = None) -> list[Event]:
    """The next events the user may see that have not started and are not cancelled, soonest first, each
    with ``registered_count`` (seats taken): one query."""
    now = now or timezone.now()
    return list(
        events_visible_to(user=user)
        .filter(state__in=ACTIVE_EVENT_STATES, starts_at__gt=now)
        .annotate(registered_count=Count("invitations", filter=Q(invitations__state=Invitation.State.REGISTERED)))
        .order_by("starts_at", "id")[:limit]
    )

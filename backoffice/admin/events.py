"""Admin for the events: read here, changed only through ``events.services`` (the workspace pages and the API),
which write the EventLog in the same transaction. So the admin has no edit forms: the state is a protected FSM
field, and an edit here would leave no log row and send no e-mail. Coordinators and managers read; partner
staff see their partner's events in the workspace, not here. The tokens (the municipalities' and projects'
credentials) are never shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.roles import is_coordinator, is_manager
from events.models import Event, EventLog, Invitation, Presenter


class _ReadOnlyRights:
    # roles are groups, not Django model permissions: the check reads the role, as the matching admin does
    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or is_coordinator(user) or is_manager(user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PresenterInline(_ReadOnlyRights, admin.TabularInline):
    model = Presenter
    fields = ["model_project", "state", "asked_at", "answered_at", "answer_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class InvitationInline(_ReadOnlyRights, admin.TabularInline):
    model = Invitation
    fields = [
        "municipality",
        "enquiry",
        "name",
        "email",
        "state",
        "invited_at",
        "answered_at",
        "attended",
        "resolved_at",
    ]
    readonly_fields = fields
    ordering = ["municipality__name", "id"]
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("municipality", "enquiry")


@admin.register(Event)
class EventAdmin(_ReadOnlyRights, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "state",
        "starts_at",
        "registration_deadline",
        "capacity",
        "registered",
        "waitlisted",
        "invited",
        "attended",
    ]
    list_filter = ["state", "kind", "format", "topics"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at", "-id"]
    fields = [
        "title",
        "kind",
        "state",
        "description",
        "topics",
        "format",
        "place",
        "online_url",
        "starts_at",
        "ends_at",
        "registration_deadline",
        "capacity",
        "radar_key",
        "created_by",
        "created_at",
        "held_at",
        "cancelled_at",
        "cancel_reason",
        "reminded_at",
    ]
    readonly_fields = fields
    inlines = [PresenterInline, InvitationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # the counts of the list in the list's one query
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered_n=Count("invitations", filter=Q(invitations__state=Invitation.State.REGISTERED)),
                waitlisted_n=Count("invitations", filter=Q(invitations__state=Invitation.State.WAITLISTED)),
                invited_n=Count("invitations"),
                attended_n=Count("invitations", filter=Q(invitations__attended=True)),
            )
        )

    @admin.display(description=_("angemeldet"), ordering="registered_n")
    def registered(self, event: Event) -> int:
        return event.registered_n

    @admin.display(description=_("Warteliste"), ordering="waitlisted_n")
    def waitlisted(self, event: Event) -> int:
        return event.waitlisted_n

    @admin.display(description=_("eingeladen"), ordering="invited_n")
    def invited(self, event: Event) -> int:
        return event.invited_n

    @admin.display(description=_("teilgenommen"), ordering="attended_n")
    def attended(self, event: Event) -> int:
        return event.attended_n


@admin.register(EventLog)
class EventLogAdmin(_ReadOnlyRights, admin.ModelAdmin):
    list_display = ["at", "event", "action", "from_state", "to_state", "by", "actor"]
    list_filter = ["action", "actor"]
    search_fields = ["event__title", "comment"]
    list_select_related = ["event", "by"]
    date_hierarchy = "at"
    fields = ["at", "event", "action", "from_state", "to_state", "by", "actor", "invitation", "presenter", "comment"]
    readonly_fields = fields

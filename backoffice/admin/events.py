"""Admin for the events: read here, changed only through ``events.services`` (the workspace pages and the API),
which write the EventLog in the same transaction. So the admin has no edit forms: the state is a protected FSM
field, and an edit here would leave no log row and send no e-mail. Coordinators and managers read; partner
staff see their partner's events in the workspace, not here. The tokens (the municipalities' and projects'
credentials) are never shown."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from backoffice.admin.rights import CoordinatorsRead
from events.models import Event, EventLog, Invitation, Presenter
from events.selectors import event_counts


class PresenterInline(CoordinatorsRead, admin.TabularInline):
    model = Presenter
    fields = ["model_project", "state", "asked_at", "answered_at", "answer_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class InvitationInline(CoordinatorsRead, admin.TabularInline):
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
class EventAdmin(CoordinatorsRead, admin.ModelAdmin):
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
        # the counts of the list in the list's one query, as the workspace and the API count them
        return super().get_queryset(request).annotate(**event_counts())

    @admin.display(description=_("angemeldet"), ordering="registered_count")
    def registered(self, event: Event) -> int:
        return event.registered_count

    @admin.display(description=_("Warteliste"), ordering="waitlisted_count")
    def waitlisted(self, event: Event) -> int:
        return event.waitlisted_count

    @admin.display(description=_("eingeladen"), ordering="invited_count")
    def invited(self, event: Event) -> int:
        return event.invited_count

    @admin.display(description=_("teilgenommen"), ordering="attended_count")
    def attended(self, event: Event) -> int:
        return event.attended_count


@admin.register(EventLog)
class EventLogAdmin(CoordinatorsRead, admin.ModelAdmin):
    list_display = ["at", "event", "action", "from_state", "to_state", "by", "actor"]
    list_filter = ["action", "actor"]
    search_fields = ["event__title", "comment"]
    list_select_related = ["event", "by"]
    date_hierarchy = "at"
    fields = ["at", "event", "action", "from_state", "to_state", "by", "actor", "invitation", "presenter", "comment"]
    readonly_fields = fields

"""Admin for enquiries: a read-only record of each case (fields, outcome, timeline, transition log) with a
link to its page in the workspace.

The admin is the back office (catalogue, partners, memberships, users, templates, outbox); cases are worked
in the workspace under /intern/, where every change goes through the services of ``cases.services``. So
nothing of a case is edited here and the admin has no transition actions: a change of topics or priority
without triage, or a follow-up marked done without its timeline entry, would pass the services by.

Rights follow the roles, not Django model permissions: accounts made by create_staff have none. Every role
sees the cases ``enquiries_visible_to`` gives it (partner staff: their partner's cases only); a case outside
that scope is a 404; nobody but a superuser deletes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backoffice.admin.catalogue import RoleRightsMixin
from cases.models import Activity, Enquiry, Outcome, TransitionLog
from cases.selectors import enquiries_visible_to
from core.roles import is_coordinator, is_manager, is_partner_staff, partner_of


def enquiry_visible_in_admin(*, user: Any, enquiry: Enquiry | None) -> bool:
    """The scope of ``enquiries_visible_to`` for one case already loaded, without another query."""
    if enquiry is None or user.is_superuser or is_coordinator(user) or is_manager(user):
        return True
    partner = partner_of(user) if is_partner_staff(user) else None
    return partner is not None and enquiry.assigned_partner_id == partner.pk


class CaseRightsMixin(RoleRightsMixin):
    """Every role reads (scoped to its cases); nobody changes; only superusers add or delete."""

    def _may_edit(self, request: HttpRequest) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


class _ReadOnlyInline(CaseRightsMixin):
    """The parent case decides who sees the inline; its rows are never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActivityInline(_ReadOnlyInline, admin.TabularInline):
    model = Activity
    fields = ["at", "kind", "transition", "actor", "public", "text"]
    readonly_fields = fields
    ordering = ["at", "id"]
    verbose_name_plural = _("Verlauf")


class TransitionLogInline(_ReadOnlyInline, admin.TabularInline):
    model = TransitionLog
    fields = ["at", "transition", "from_state", "to_state", "by", "comment"]
    readonly_fields = fields
    ordering = ["at", "id"]


class OutcomeInline(_ReadOnlyInline, admin.StackedInline):
    # recorded by the resolve transition only
    model = Outcome
    fields = ["category", "notes", "recorded_by", "recorded_at"]
    readonly_fields = fields


@admin.register(Enquiry)
class EnquiryAdmin(CaseRightsMixin, admin.ModelAdmin):
    list_display = ["reference", "subject", "municipality", "state", "assigned_partner", "priority", "created_at"]
    list_filter = ["state", "support_type", "channel", "funded", "priority", "assigned_partner", "topics"]
    search_fields = ["reference", "subject", "contact_name", "contact_email", "municipality__name", "municipality__ags"]
    date_hierarchy = "created_at"
    list_select_related = ["municipality", "assigned_partner"]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["municipality", "duplicate_of"]
    fields = [
        "reference",
        "state",
        "close_reason",
        "municipality",
        "funded",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_role",
        "subject",
        "message",
        "topics",
        "topics_auto",
        "support_type",
        "channel",
        "priority",
        "assigned_partner",
        "assigned_user",
        "duplicate_of",
        "consent_at",
        "created_at",
        "updated_at",
        "first_response_at",
        "assigned_at",
        "resolved_at",
        "closed_at",
        "first_response_due",
        "assignment_due",
        "resolution_due",
        "escalated_at",
    ]
    readonly_fields = ["workspace_link", *fields]
    inlines = [OutcomeInline, ActivityInline, TransitionLogInline]
    actions = None

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["workspace_link", *self.fields]

    @admin.display(description=_("Bearbeiten"))
    def workspace_link(self, enquiry: Enquiry) -> str:
        url = reverse("web:case-detail", kwargs={"pk": enquiry.pk})
        return format_html('<a href="{}">{}</a>', url, _("Im Arbeitsbereich öffnen"))

    def get_view_on_site_url(self, obj: Any = None) -> str | None:
        return reverse("web:case-detail", kwargs={"pk": obj.pk}) if obj is not None else None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enquiry]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=enquiries_visible_to(user=request.user).values("pk"))

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Enquiry:
        # A case outside the user's scope answers exactly like one that does not exist: 404, no redirect
        # with a message that could be told apart.
        enquiry = super().get_object(request, object_id, from_field)
        if enquiry is None:
            raise Http404(_("Anfrage nicht gefunden."))
        return enquiry

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and enquiry_visible_in_admin(user=request.user, enquiry=obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and enquiry_visible_in_admin(user=request.user, enquiry=obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # new enquiries come through the intake service (form, API), which numbers, tags and logs them
        return False

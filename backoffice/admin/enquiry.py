"""Admin for enquiries: the timeline inline (read-only), the state read-only, and actions for transitions that
call the same workflow services as the API (errors are shown as admin messages).

Rights follow the roles, not Django model permissions: accounts made by create_staff have none, so the
default checks answered 403 to every real coordinator. Every role sees the cases ``enquiries_visible_to``
gives it (partner staff: their partner's cases only); coordinators may correct the editable fields; nobody
but a superuser adds or deletes. Whether an action's transition is allowed is the service's decision.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from backoffice.admin.catalogue import RoleRightsMixin
from cases.events import enquiry_changed_send
from cases.models import Activity, Enquiry, Outcome, TransitionLog
from cases.selectors import enquiries_visible_to
from cases.services import enquiry_transition
from cases.transitions import TRANSITIONS
from core.errors import DomainError
from core.roles import is_coordinator, is_manager, is_partner_staff, partner_of


def enquiry_visible_in_admin(*, user: Any, enquiry: Enquiry | None) -> bool:
    """The scope of ``enquiries_visible_to`` for one case already loaded, without another query."""
    if enquiry is None or user.is_superuser or is_coordinator(user) or is_manager(user):
        return True
    partner = partner_of(user) if is_partner_staff(user) else None
    return partner is not None and enquiry.assigned_partner_id == partner.pk


class CaseRightsMixin(RoleRightsMixin):
    """Every role reads (scoped to its cases); coordinators change; only superusers add or delete."""

    def _may_edit(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or is_coordinator(user))

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


def _transition_action(name: str, label: Any, payload: dict | None = None):
    """An admin action taking one transition with a fixed body, through the shared door (parse, then service)."""

    def action(modeladmin: EnquiryAdmin, request: HttpRequest, queryset: QuerySet[Enquiry]) -> None:
        done = 0
        for enquiry in queryset:
            try:
                enquiry_transition(enquiry=enquiry, name=name, by=request.user, payload=dict(payload or {}))
                done += 1
            except DomainError as exc:
                modeladmin.message_user(request, f"{enquiry.reference}: {exc.message}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request, _("%(n)d Anfrage(n): %(label)s ausgeführt.") % {"n": done, "label": label}, messages.SUCCESS
            )

    action.__name__ = f"transition_{name}_{'_'.join(str(v) for v in (payload or {}).values())}".rstrip("_")
    action.short_description = label  # type: ignore[attr-defined]
    return action


def transition_actions() -> list:
    """The admin's actions, read from the table: one per transition whose body needs nothing, and one per choice
    for a body that needs only a choice (close: one per reason); the others need a form (the staff pages)."""
    actions = []
    for entry in TRANSITIONS.values():
        required = {name: field for name, field in entry.input().fields.items() if field.required}
        if not required:
            actions.append(_transition_action(entry.name, entry.label))
            continue
        if len(required) == 1:
            [(field_name, field)] = required.items()
            for value, text in getattr(field, "choices", None) or []:
                label = format_lazy("{}: {}", entry.label, text)
                actions.append(_transition_action(entry.name, label, {field_name: value}))
    return actions


# what a coordinator may correct by hand; everything else is set by the services (the state only by transitions)
EDITABLE_FIELDS = {
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_role",
    "subject",
    "message",
    "topics",
    "support_type",
    "priority",
}


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
    readonly_fields = [name for name in fields if name not in EDITABLE_FIELDS]
    filter_horizontal = ["topics"]
    inlines = [OutcomeInline, ActivityInline, TransitionLogInline]
    actions = transition_actions()

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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # a correction (topics among them) reaches the statistics like any other change of the case
        enquiry_changed_send(enquiry_ids=[form.instance.pk], what="corrected")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # new enquiries come through the intake service (form, API), which numbers, tags and logs them
        return False

"""Admin for the case work: the audit log is read-only; outcomes are recorded by resolve.

Rights follow the roles like the enquiry admin (``CaseRightsMixin``): every role reads the rows of the cases
it may see (partner staff: their partner's cases), nothing is edited here (follow-ups are created and marked
done on the case page in the workspace, which writes their timeline entry), and nobody but a superuser deletes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from backoffice.admin.enquiry import CaseRightsMixin, enquiry_visible_in_admin
from cases.models import Activity, FollowUp, Outcome, SurveyResponse, TransitionLog
from cases.selectors import enquiries_visible_to


class _CaseScoped(CaseRightsMixin, admin.ModelAdmin):
    """Rows of the cases the user may see; a row of another case is not found (404), as for the case."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(enquiry_id__in=enquiries_visible_to(user=request.user).values("pk"))

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404(_("Eintrag nicht gefunden."))
        return found

    def _visible(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or enquiry_visible_in_admin(user=request.user, enquiry=obj.enquiry)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._visible(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._visible(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


class _ReadOnly(_CaseScoped):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(_ReadOnly):
    list_display = ["at", "enquiry", "transition", "from_state", "to_state", "by"]
    list_filter = ["transition", "to_state"]
    search_fields = ["enquiry__reference", "by", "comment"]
    list_select_related = ["enquiry"]
    date_hierarchy = "at"


@admin.register(Activity)
class ActivityAdmin(_ReadOnly):
    list_display = ["at", "enquiry", "kind", "transition", "actor", "public"]
    list_filter = ["kind", "public", "transition"]
    search_fields = ["enquiry__reference", "text", "actor"]
    list_select_related = ["enquiry"]
    date_hierarchy = "at"


@admin.register(Outcome)
class OutcomeAdmin(_ReadOnly):
    list_display = ["enquiry", "category", "recorded_by", "recorded_at"]
    list_filter = ["category"]
    search_fields = ["enquiry__reference", "notes"]
    list_select_related = ["enquiry", "recorded_by"]


@admin.register(FollowUp)
class FollowUpAdmin(_ReadOnly):
    list_display = ["due_at", "enquiry", "kind", "assignee", "done_at"]
    list_filter = ["kind", "done_at"]
    search_fields = ["enquiry__reference", "note"]
    list_select_related = ["enquiry", "assignee"]
    raw_id_fields = ["enquiry", "assignee", "created_by"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(_ReadOnly):
    list_display = ["enquiry", "kind", "sent_at", "answered_at", "score", "useful", "adopted"]
    list_filter = ["kind", "adopted", "useful"]
    search_fields = ["enquiry__reference", "comment"]
    list_select_related = ["enquiry"]

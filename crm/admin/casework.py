"""Admin for the case work: the audit log is read-only; outcomes are recorded by resolve."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from crm.models import Activity, FollowUp, Outcome, SurveyResponse, TransitionLog


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
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
class FollowUpAdmin(admin.ModelAdmin):
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

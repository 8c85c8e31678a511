"""Admin for matching: proposals, introductions and success rates are read here; they change only through
the services (matching), so the admin offers no edit forms, only the decision actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from backoffice.admin.rights import CoordinatorsRead
from core.errors import DomainError
from matching.models import Introduction, Match, ProjectTopicSuccess


class _ReadOnly(CoordinatorsRead, admin.ModelAdmin):
    """Proposals and introductions are not scoped to a partner here, so partner staff do not see them."""


def _decide(request: HttpRequest, queryset, decision: str) -> None:
    """Decide each selected proposal through the service and report every row: what the decision did
    (assigned, introduction requested, only stored) or why it was not taken."""
    from matching.proposals import match_decide

    for match in queryset.select_related("enquiry", "model_project", "partner"):
        row = f"{match.enquiry.reference} {match}"
        try:
            outcome = match_decide(match=match, decision=decision, by=request.user)
        except DomainError as exc:
            messages.error(request, f"{row}: {exc.message}")
        else:
            messages.success(request, f"{row}: {outcome.text}")


@admin.register(Match)
class MatchAdmin(_ReadOnly):
    list_display = ["enquiry", "kind", "rank", "target_name", "score", "decision", "decided_by_name", "decided_at"]
    list_filter = ["kind", "decision"]
    search_fields = ["enquiry__reference", "model_project__name", "partner__name"]
    list_select_related = ["enquiry", "model_project", "partner", "decided_by"]
    readonly_fields = ["explanation_table"]
    actions = ["accept", "reject"]

    @admin.display(description=_("Ziel"))
    def target_name(self, match: Match) -> str:
        target = match.target
        return target.name if target is not None else "–"

    # the model field has no verbose name, so the column header was the English "DECIDED BY"
    @admin.display(description=_("entschieden von"), ordering="decided_by__username")
    def decided_by_name(self, match: Match) -> str:
        return match.decided_by.get_username() if match.decided_by_id else "–"

    @admin.display(description=_("Begründung"))
    def explanation_table(self, match: Match) -> str:
        return format_html_join(
            "",
            "<div><strong>{}</strong>: {}</div>",
            ((e.get("label") or e.get("signal"), e.get("text")) for e in match.explanation or []),
        )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["explanation_table"]

    @admin.action(description=_("Ausgewählte Vorschläge annehmen"))
    def accept(self, request: HttpRequest, queryset) -> None:
        _decide(request, queryset, Match.Decision.ACCEPTED)

    @admin.action(description=_("Ausgewählte Vorschläge ablehnen"))
    def reject(self, request: HttpRequest, queryset) -> None:
        _decide(request, queryset, Match.Decision.REJECTED)


@admin.register(Introduction)
class IntroductionAdmin(_ReadOnly):
    list_display = ["enquiry", "model_project", "state", "created_at", "requested_at", "answered_at", "completed_at"]
    list_filter = ["state"]
    search_fields = ["enquiry__reference", "model_project__name"]
    list_select_related = ["enquiry", "model_project"]
    exclude = ["token"]  # the link is the model project's credential; staff never need to see it


@admin.register(ProjectTopicSuccess)
class ProjectTopicSuccessAdmin(_ReadOnly):
    list_display = ["model_project", "topic", "successes", "trials", "updated_at"]
    list_select_related = ["model_project", "topic"]
    search_fields = ["model_project__name"]

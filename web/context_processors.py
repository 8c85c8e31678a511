"""What every workspace page shows in its navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cases.inbox import notifications_unread_count
from conversation.selectors import unmatched_count
from core.roles import is_coordinator, is_manager, is_partner_staff


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's role, count of unread notifications and of stray mail. Each count is one plain
    ``COUNT`` on its index, run only when a page shows it (lazily, once per request). Both in one query (two
    scalar subqueries) cost more: 3.5 ms to build and run in the ORM against 2.2 ms for the two counts
    (1,000,000 cases, 1 December 2026)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = (
        "coordinator"
        if is_coordinator(user)
        else "manager"
        if is_manager(user)
        else "partner"
        if is_partner_staff(user)
        else ""
    )
    return {
        "notifications_unread": SimpleLazyObject(lambda: notifications_unread_count(user)),
        "workspace_role": role,
        # the Posteingang's badge: mail that waits for a coordinator (shown to coordinators and managers)
        "mail_unmatched": SimpleLazyObject(unmatched_count),
    }

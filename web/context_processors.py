"""What every workspace page shows in its navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.roles import is_coordinator, is_manager, is_partner_staff


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The count of unread notifications of the signed-in user (filled in by the notifications work)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = (
        "coordinator" if is_coordinator(user) else "manager" if is_manager(user) else "partner" if is_partner_staff(user) else ""
    )
    return {"notifications_unread": 0, "workspace_role": role}

"""What every workspace page shows in its navigation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cases.inbox import notifications_unread
from conversation.selectors import mails_unmatched
from core.roles import is_coordinator, is_manager, is_partner_staff


def _count(rows: QuerySet) -> Subquery:
    """``SELECT COUNT(*)`` of ``rows`` as a scalar subquery (no GROUP BY: one row, 0 when none)."""
    counted = rows.order_by().annotate(counted=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Subquery(counted.values("counted"), output_field=IntegerField())


def _badges(user: Any, *, mail: bool) -> dict[str, int]:
    """The navigation's counts in one query: the user's unread notifications and, for ``mail``, the stray mail;
    read as two scalar subqueries beside the user's own row."""
    counts = {"badge_notifications": _count(notifications_unread(user))}
    if mail:
        counts["badge_mail"] = _count(mails_unmatched())
    found = get_user_model().objects.filter(pk=user.pk).values(**counts).first()
    return found or dict.fromkeys(counts, 0)


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's role, count of unread notifications and of stray mail. The counts are one query,
    run only when a page shows them (lazily, once per request)."""
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
    # the Posteingang's badge: mail that waits for a coordinator (shown to coordinators and managers)
    badges = SimpleLazyObject(lambda: _badges(user, mail=role in {"coordinator", "manager"}))
    return {
        "notifications_unread": SimpleLazyObject(lambda: badges["badge_notifications"]),
        "workspace_role": role,
        "mail_unmatched": SimpleLazyObject(lambda: badges.get("badge_mail", 0)),
    }

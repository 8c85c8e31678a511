"""The back office's read-only pages: roles are groups, not Django model permissions, so the admin's default
permission check would hide them from every coordinator. Coordinators and managers read, nobody adds, changes or
deletes here: those rows change only through their services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.roles import is_coordinator, is_manager


class CoordinatorsRead:
    """A mixin for a ModelAdmin or an inline."""

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

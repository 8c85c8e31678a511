"""Admin for the reply templates (Textbausteine): coordinators keep them here as on /intern/textbausteine/,
through the same check of the placeholders (cases.replies) and the same service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from cases.models import ReplyTemplate
from cases.replies import reply_template_body_problem, reply_template_save
from core.roles import is_coordinator


class ReplyTemplateAdminForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["title", "body", "use", "active"]

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body", "")
        problem = reply_template_body_problem(body)
        if problem is not None:
            raise forms.ValidationError(problem)
        return body


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    form = ReplyTemplateAdminForm
    list_display = ["title", "use", "active", "updated_at"]
    list_filter = ["use", "active"]
    search_fields = ["title", "body"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def _coordinator(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or is_coordinator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._coordinator(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._coordinator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._coordinator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._coordinator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._coordinator(request)

    def save_model(self, request: HttpRequest, obj: ReplyTemplate, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        if not is_coordinator(request.user):
            # a superuser without the coordinator role: the form checked the body as the service does
            obj.save()
            return
        data = form.cleaned_data
        # the service saves ``obj`` itself (new or changed), so the admin goes on with its primary key
        reply_template_save(
            by=request.user,
            template=obj,
            title=data["title"],
            body=data["body"],
            use=data["use"],
            active=data["active"],
        )

"""Admin for the catalogue: fields of action, municipalities, model projects with their measures, measures,
consortium partners and memberships. Also the German titles of the admin site.

Rights follow the roles (core.roles) rather than per-model permissions, so that a new staff account made
with create_staff can work at once: coordinators and managers maintain the catalogue, partner staff read
it. The directory itself comes from the official file (import_municipalities) and is read-only here, except
for the funded flag's source, the model projects.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from catalogue.models import ConsortiumPartner, Measure, ModelProject, Municipality, PartnerMembership, Topic
from core.roles import PARTNER, is_coordinator, is_manager, is_staff_member

admin.site.site_header = _("Transferstelle Smart Cities – Verwaltung")
admin.site.site_title = _("Transferstelle CRM")
admin.site.index_title = _("Übersicht")


class RoleRightsMixin:
    """Coordinators and managers (and superusers) change the catalogue; every role may read it."""

    def _may_edit(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or is_coordinator(user) or is_manager(user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and (request.user.is_superuser or is_staff_member(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(Topic)
class TopicAdmin(RoleRightsMixin, admin.ModelAdmin):
    list_display = ["name_de", "name_en", "slug", "parent", "keyword_count"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["slug", "name_de", "name_en", "description"]
    ordering = ["name_de"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]

    @admin.display(description=_("Schlagwörter"))
    def keyword_count(self, topic: Topic) -> int:
        return len(topic.keywords or [])


class LevelFilter(admin.SimpleListFilter):
    title = _("Ebene")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Municipality.Level.choices

    def queryset(self, request, queryset):
        return queryset.filter(level=self.value()) if self.value() else queryset


@admin.register(Municipality)
class MunicipalityAdmin(RoleRightsMixin, admin.ModelAdmin):
    list_display = ["short_name", "ags", "level", "kind", "bundesland", "district_name", "population", "funded"]
    list_filter = [LevelFilter, "bundesland", "funded", "size_class", "kind", "urbanisation"]
    search_fields = ["=ags", "ags", "short_name", "search_name", "name", "district_name", "postal_code"]
    ordering = ["ags"]
    list_per_page = 100
    show_full_result_count = False
    readonly_fields = [field.name for field in Municipality._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the official directory is loaded with import_municipalities

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


_FROM_FILES = _(
    "Beschreibung, Status, Quellen und Themen laut Quelle kommen aus den Katalogdateien (import_model_projects); "
    "ein erneuter Import überschreibt hier geänderte Werte."
)


def source_links(urls: list[str]) -> str:
    """The source URLs as links that open in a new tab; only web addresses become links."""
    web = [url for url in urls if url.startswith(("https://", "http://"))]
    if not web:
        return "–"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "", '<li><a href="{}" target="_blank" rel="noopener noreferrer">{}</a></li>', ((u, u) for u in web)
        ),
    )


class MeasureInline(RoleRightsMixin, admin.StackedInline):
    model = Measure
    extra = 0
    fields = [
        "title", "status", "topics", "source_topic", "description", "transferability_note", "open_source_url",
        "source_url", "source_links",
    ]  # fmt: skip
    readonly_fields = ["source_topic", "source_links"]
    filter_horizontal = ["topics"]
    show_change_link = True

    @admin.display(description=_("Quellen (Links)"))
    def source_links(self, measure: Measure) -> str:
        return source_links(measure.source_urls)


@admin.register(ModelProject)
class ModelProjectAdmin(RoleRightsMixin, admin.ModelAdmin):
    list_display = ["name", "cohort", "category", "kind", "bundeslaender", "phase", "measure_count", "contact_is_demo"]
    list_filter = [
        "cohort",
        "kind",
        "category",
        "phase",
        "contact_is_demo",
        ("topics", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "name", "slug", "municipalities__short_name", "municipalities__ags", "source_topics", "description",
    ]  # fmt: skip
    autocomplete_fields = ["lead_municipality", "municipalities"]
    filter_horizontal = ["topics"]
    inlines = [MeasureInline]
    readonly_fields = ["slug", "source_topics", "topics_source", "source_url", "description_source_links"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "cohort", "category", "kind", "phase", "bundeslaender", "population"]}),
        (_("Kommunen"), {"fields": ["lead_municipality", "municipalities", "lat", "lon"]}),
        (
            _("Beschreibung und Themen"),
            {
                "fields": ["description", "description_source_links", "topics", "source_topics", "topics_source"],
                "description": _FROM_FILES,
            },
        ),
        (_("Vermittlung"), {"fields": ["capacity", "contact_name", "contact_email", "contact_is_demo"]}),
        (_("Quellen"), {"fields": ["website", "source_url", "note"]}),
    ]

    @admin.display(description=_("Quellen der Beschreibung"))
    def description_source_links(self, project: ModelProject) -> str:
        return source_links(project.description_sources)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_measures=Count("measures", distinct=True))

    @admin.display(description=_("Maßnahmen"), ordering="_measures")
    def measure_count(self, project: ModelProject) -> int:
        return project._measures


@admin.register(Measure)
class MeasureAdmin(RoleRightsMixin, admin.ModelAdmin):
    list_display = ["title", "model_project", "status", "source_topic"]
    list_filter = ["status", ("topics", admin.RelatedOnlyFieldListFilter), "model_project__cohort"]
    search_fields = ["title", "description", "model_project__name", "source_topic"]
    autocomplete_fields = ["model_project"]
    filter_horizontal = ["topics"]
    list_select_related = ["model_project"]
    readonly_fields = ["source_topic", "source_links"]
    fieldsets = [
        (None, {"fields": ["model_project", "title", "status"]}),
        (
            _("Beschreibung und Themen"),
            {"fields": ["description", "topics", "source_topic"], "description": _FROM_FILES},
        ),
        (_("Quellen"), {"fields": ["source_url", "source_links"]}),
        (_("Weitergabe"), {"fields": ["transferability_note", "open_source_url"]}),
    ]

    @admin.display(description=_("Quellen (Links)"))
    def source_links(self, measure: Measure) -> str:
        return source_links(measure.source_urls)


class CoordinationOnlyMixin(RoleRightsMixin):
    """Who works for which partner (user names) is for coordinators and managers; partner staff read the
    catalogue, but not every partner's staff list."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_edit(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request)


class MembershipForm(forms.ModelForm):
    """A membership names an account of the partner group, and never the account of the one who edits it."""

    acting_user: Any = None  # set per request by MembershipRightsMixin

    class Meta:
        model = PartnerMembership
        fields = ["user", "partner"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.has_changed():
            return cleaned
        chosen = cleaned.get("user")
        acting = self.acting_user
        if acting is not None and (
            (chosen is not None and chosen.pk == acting.pk) or self.instance.user_id == acting.pk
        ):
            raise ValidationError(_("Die eigene Partnerzugehörigkeit kann niemand selbst ändern."))
        if chosen is not None and not chosen.groups.filter(name=PARTNER).exists():
            raise ValidationError(_("Nur Konten der Gruppe „partner“ können einem Partner angehören."))
        return cleaned


class MembershipFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        acting = getattr(self.form, "acting_user", None)
        for form in self.forms:
            if acting is not None and self._should_delete_form(form) and form.instance.user_id == acting.pk:
                raise ValidationError(_("Die eigene Partnerzugehörigkeit kann niemand selbst ändern."))


class MembershipRightsMixin(CoordinationOnlyMixin):
    """Managers read who works for which partner; only coordinators (and superusers) add, change or remove a
    membership, and nobody his own (a manager made himself partner staff this way)."""

    form = MembershipForm

    def _may_manage(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or is_coordinator(user))

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        return isinstance(obj, PartnerMembership) and obj.user_id == request.user.pk

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request) and not self._own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request) and not self._own(request, obj)


class MembershipInline(MembershipRightsMixin, admin.TabularInline):
    # A plain select for the user: autocomplete would need the view right on the user admin, which
    # coordinators do not have; staff accounts are few.
    model = PartnerMembership
    formset = MembershipFormSet
    extra = 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.acting_user = request.user
        return formset


@admin.register(ConsortiumPartner)
class ConsortiumPartnerAdmin(RoleRightsMixin, admin.ModelAdmin):
    list_display = ["short_name", "name", "active", "capacity", "regions_display", "is_demo"]
    list_filter = ["active", "is_demo", ("expertise", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["short_name", "name", "email"]
    filter_horizontal = ["expertise"]
    inlines = [MembershipInline]

    @admin.display(description=_("Regionen"))
    def regions_display(self, partner: ConsortiumPartner) -> str:
        return ", ".join(partner.regions or []) or str(_("bundesweit"))


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(MembershipRightsMixin, admin.ModelAdmin):
    list_display = ["user", "partner"]
    list_filter = ["partner"]
    search_fields = ["user__username", "user__email", "partner__short_name", "partner__name"]
    autocomplete_fields = ["partner"]
    list_select_related = ["user", "partner"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user
        return form

"""/statistik/: the managers' dashboard (German, session login). Managers and coordinators see everything,
partner staff their own partner's figures. The figures come from stats.selectors; this view only turns
the filter form into StatsFilters and hands the results to the template and its charts."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cases.models import Channel, OutcomeCategory, State
from catalogue.models import ConsortiumPartner, ModelProject, Municipality, Topic
from core.errors import DomainError, GuardFailed, NotAllowed
from events.selectors import events_upcoming
from stats.facts import stats_rows_version
from stats.filters import (
    BUNDESLAENDER,
    PARAMETERS,
    size_class_labels,
    stats_access_check,
    stats_filters_parse,
    stats_filters_scoped,
    stats_own_partner,
)
from stats.selectors import enquiries_for_stats, stats_breakdown, stats_summary

# the breakdowns charted on the page, with their headings
CHARTED = {
    "topic": gettext_lazy("Handlungsfelder"),
    "bundesland": gettext_lazy("Bundesländer"),
    "size_class": gettext_lazy("Größenklassen"),
    "partner": gettext_lazy("Konsortialpartner"),
    "channel": gettext_lazy("Eingangskanäle"),
}
POINTS_CACHE_KEY = "stats:municipality-points:v1"
POINTS_CACHE_SECONDS = 6 * 3600
DASHBOARD_CACHE_SECONDS = 60


class DashboardFilterForm(forms.Form):
    """Only renders the choices; stats.filters validates the values (one set of rules for API and page)."""

    from_ = forms.DateField(label=gettext_lazy("von"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    to = forms.DateField(label=gettext_lazy("bis"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.ChoiceField(label=gettext_lazy("Handlungsfeld"), required=False)
    bundesland = forms.ChoiceField(label=gettext_lazy("Bundesland"), required=False)
    size_class = forms.ChoiceField(label=gettext_lazy("Größenklasse"), required=False)
    partner = forms.ChoiceField(label=gettext_lazy("Konsortialpartner"), required=False)
    model_project = forms.ChoiceField(label=gettext_lazy("Modellprojekt"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Eingangskanal"), required=False)
    funded = forms.ChoiceField(label=gettext_lazy("gefördert"), required=False)

    def __init__(self, *args, own_partner: ConsortiumPartner | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_"].widget.attrs["name"] = "from"
        every = [("", _("alle"))]
        self.fields["topic"].choices = every + [(t.slug, t.name) for t in Topic.objects.order_by("name_de")]
        self.fields["bundesland"].choices = every + sorted(BUNDESLAENDER.items(), key=lambda item: item[1])
        self.fields["size_class"].choices = every + list(size_class_labels().items())
        if own_partner is not None:
            self.fields["partner"].choices = [(str(own_partner.pk), own_partner.short_name)]
            self.fields["partner"].disabled = True
        else:
            partners = ConsortiumPartner.objects.order_by("short_name").values_list("pk", "short_name")
            self.fields["partner"].choices = every + [(str(pk), name) for pk, name in partners]
        projects = ModelProject.objects.order_by("name").values_list("pk", "name")
        self.fields["model_project"].choices = every + [(str(pk), name) for pk, name in projects]
        self.fields["channel"].choices = every + list(Channel.choices)
        self.fields["funded"].choices = [*every, ("true", _("ja")), ("false", _("nein"))]

    def add_prefix(self, field_name: str) -> str:
        # the query parameter is "from" (a Python keyword, hence the field name from_)
        return "from" if field_name == "from_" else super().add_prefix(field_name)


def _asked_points(filters) -> list[list[Any]]:
    """[lat, lon, enquiries, name] of each municipality that asked (districts have no coordinates)."""
    rows = (
        enquiries_for_stats(filters=filters)
        .filter(municipality__lat__isnull=False)
        .values("municipality__lat", "municipality__lon", "municipality__short_name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [
        [round(r["municipality__lat"], 3), round(r["municipality__lon"], 3), r["n"], r["municipality__short_name"]]
        for r in rows
    ]


def _figures(filters) -> dict[str, Any]:
    """Everything the page shows for these filters; kept a minute, since with a million enquiries the
    page costs seconds of database time and managers reload it (the API always computes afresh). The key
    holds the version of the statistics rows, which changes once a change of a case has refreshed them: after
    a transition the page computes afresh and shows what the API shows."""
    params = hashlib.sha256(urlencode(sorted(filters.as_params().items())).encode()).hexdigest()
    key = f"stats:dashboard:{stats_rows_version()}:{params}"

    def compute() -> dict[str, Any]:
        return {
            "summary": stats_summary(filters=filters),
            "breakdowns": {dimension: stats_breakdown(filters=filters, dimension=dimension) for dimension in CHARTED},
            "trend": stats_breakdown(filters=filters, dimension="month"),
            "asked": _asked_points(filters),
        }

    return cache.get_or_set(key, compute, DASHBOARD_CACHE_SECONDS)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        stats_access_check(user=request.user)
    except NotAllowed as exc:
        return render(request, "web/dashboard/forbidden.html", {"message": exc.message}, status=403)
    own_partner = stats_own_partner(user=request.user)
    params = {key: request.GET.get(key, "") for key in PARAMETERS}
    if own_partner is not None:
        params["partner"] = str(own_partner.pk)
    form = DashboardFilterForm(data=params, own_partner=own_partner)
    context: dict[str, Any] = {"form": form, "own_partner": own_partner}
    try:
        filters = stats_filters_scoped(user=request.user, filters=stats_filters_parse(params=params))
    except GuardFailed as exc:
        form.is_valid()
        form.add_error("from_" if exc.field == "from" else exc.field, str(exc.message))
        return render(request, "web/dashboard/dashboard.html", context, status=400)
    except DomainError as exc:
        return render(request, "web/dashboard/forbidden.html", {"message": exc.message}, status=exc.status)

    figures = _figures(filters)
    summary, breakdowns, trend = figures["summary"], figures["breakdowns"], figures["trend"]
    query = urlencode(filters.as_params())
    category_labels = dict(OutcomeCategory.choices)
    state_labels = dict(State.choices)
    context.update(
        {
            "filters": filters,
            "summary": summary,
            "query": query,
            "breakdowns": [
                {"dimension": dimension, "title": str(title), "rows": breakdowns[dimension]}
                for dimension, title in CHARTED.items()
            ],
            "trend": trend,
            "model_projects": summary["model_projects"],
            # the events' figures are in the cached summary; the next events are read afresh (one query)
            "events": summary["events"],
            "upcoming_events": events_upcoming(user=request.user),
            "funnel": _funnel(summary),
            "outcomes": [(category_labels[key], count) for key, count in summary["outcomes"]["by_category"].items()],
            "backlog_states": [(state_labels[key], count) for key, count in summary["backlog"]["by_state"].items()],
            "chart_data": {
                "trend": [
                    {
                        "label": r["label"],
                        "received": r["received"],
                        "resolved": r["resolved"],
                        "successful": r["successful"],
                    }
                    for r in trend
                ],
                "breakdowns": {
                    d: [{"label": r["label"], "received": r["received"], "successful": r["successful"]} for r in rows]
                    for d, rows in breakdowns.items()
                },
                "asked": figures["asked"],
            },
            "export_dimensions": [
                ("topic", _("Handlungsfelder")),
                ("bundesland", _("Bundesländer")),
                ("size_class", _("Größenklassen")),
                ("partner", _("Partner")),
                ("model_project", _("Modellprojekte")),
                ("channel", _("Kanäle")),
                ("month", _("Monate")),
            ],
        }
    )
    return render(request, "web/dashboard/dashboard.html", context)


def _funnel(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """From received to successful transfer; each step with its share of the received enquiries."""
    received = summary["volume"]["received"]
    steps = [
        (_("eingegangen"), received),
        (_("zugewiesen"), summary["speed"]["assignment"]["count"]),
        (_("vom Partner angenommen"), summary["speed"]["first_response"]["count"]),
        (_("mit Ergebnis erledigt"), summary["outcomes"]["resolved"]),
        (_("erfolgreicher Transfer"), summary["outcomes"]["successful"]),
    ]
    return [
        {"label": label, "count": count, "percent": round(100 * count / received) if received else 0}
        for label, count in steps
    ]


@login_required
@require_GET
def municipality_points(request: HttpRequest) -> HttpResponse:
    """Every municipality of the directory with coordinates, as [lat, lon] pairs (cached; the directory
    changes once a year)."""
    try:
        stats_access_check(user=request.user)
    except NotAllowed:
        return JsonResponse({"detail": _("Kein Zugriff.")}, status=403)
    points = cache.get(POINTS_CACHE_KEY)
    if points is None:
        points = [
            [round(lat, 3), round(lon, 3)]
            for lat, lon in Municipality.objects.filter(lat__isnull=False, lon__isnull=False)
            .order_by()
            .values_list("lat", "lon")
            .iterator(chunk_size=5000)
        ]
        cache.set(POINTS_CACHE_KEY, points, POINTS_CACHE_SECONDS)
    response = JsonResponse({"points": points})
    response["Cache-Control"] = "private, max-age=3600"
    return response

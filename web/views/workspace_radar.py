"""/intern/radar/: the demand radar (issue 15) for coordinators and managers; other roles get the 403 page.

Filters as a GET form (Zeitraum, Handlungsfeld, Bundesland, Mindestgröße), parsed by ``matching.radar`` like the
API's; a bad one re-renders the form with the message at the field (400). Each group links its cases and
"Veranstaltung planen" (``/intern/veranstaltungen/neu/?gruppe=<key>``, the events' page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from catalogue.models import Topic
from core.errors import GuardFailed
from core.geo import BUNDESLAENDER
from core.roles import is_coordinator, is_manager
from matching.radar import radar_filters_parse, radar_groups, radar_references

# what a group shows before "und N weitere"
PLACES_SHOWN = 5
CASES_SHOWN = 8
GROUPS_SHOWN = 30


def _rows(groups: list, references: dict[int, str]) -> list[dict[str, Any]]:
    rows = []
    for group in groups:
        newest = list(reversed(group.enquiry_ids))[:CASES_SHOWN]
        rows.append(
            {
                "group": group,
                "places": group.municipalities[:PLACES_SHOWN],
                "places_more": max(0, len(group.municipalities) - PLACES_SHOWN),
                "laender": [(code, BUNDESLAENDER.get(code, code), n) for code, n in group.laender.items()],
                "cases": [(pk, references.get(pk, f"#{pk}")) for pk in newest],
                "cases_more": max(0, group.size - len(newest)),
                "event_url": f"{reverse('web:event-create')}?{urlencode({'gruppe': group.key})}",
            }
        )
    return rows


@login_required
@require_GET
def radar(request: HttpRequest) -> HttpResponse:
    if not (is_coordinator(request.user) or is_manager(request.user)):
        raise PermissionDenied
    values = {name: request.GET.get(name, "") for name in ("from", "to", "topic", "bundesland", "min_size")}
    context: dict[str, Any] = {
        "topics": Topic.objects.order_by("name_de"),
        "laender": sorted(BUNDESLAENDER.items(), key=lambda item: item[1]),
        "error": None,
        "rows": [],
    }
    try:
        filters = radar_filters_parse(params=request.GET)
    except GuardFailed as exc:
        context |= {"values": values, "error": {"field": exc.field, "message": str(exc.message)}}
        return render(request, "web/workspace/radar.html", context, status=400)
    groups = radar_groups(
        since=filters.since,
        until=filters.until,
        topic=filters.topic,
        bundesland=filters.bundesland,
        min_size=filters.min_size,
        limit=GROUPS_SHOWN,
    )
    references = radar_references(groups=groups, per_group=CASES_SHOWN)
    context |= {"values": values | filters.as_params(), "filters": filters, "rows": _rows(groups, references)}
    return render(request, "web/workspace/radar.html", context)

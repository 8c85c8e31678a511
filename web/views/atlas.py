"""The Projektatlas: the public catalogue of the model projects and their measures (no login).

Thin doors: ``AtlasFilterForm`` parses the query string (a bad value is reported and that filter ignored,
never a 500), ``matching.search.catalogue_search`` finds the projects, the page renders them.
"""

from __future__ import annotations

from collections import Counter

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from catalogue.models import Measure, ModelProject
from core.geo import BUNDESLAENDER
from matching.search import catalogue_search
from web.forms import AtlasFilterForm
from web.views.atlas_map import HEIGHT, WIDTH, outline_path, project_points

PAGE_SIZE = 20


def category_labels() -> dict[str, str]:
    """The competition categories as the announcements name them."""
    return {
        "grossstadt": _("Großstädte"),
        "mittelstadt": _("Mittlere Städte"),
        "kleinstadt_landgemeinde": _("Kleinstädte und Landgemeinden"),
        "interkommunal_landkreis": _("Interkommunale Kooperationen und Landkreise"),
    }


def status_explanations() -> dict[str, str]:
    """What each measure status means, in words (keyed by the stored value; "" is unknown)."""
    return {
        "operational": _("Laut Quelle umgesetzt und im Einsatz."),
        "implementing": _("Laut Quelle im Aufbau oder in der Erprobung."),
        "planned": _("Laut Quelle vorgesehen, aber noch nicht umgesetzt."),
        "": _("Die Quelle nennt keinen Stand."),
    }


def _land_names(bundeslaender: str) -> list[str]:
    return [BUNDESLAENDER.get(code, code) for code in bundeslaender.split(";") if code]


def _describe(project: ModelProject) -> dict:
    return {
        "lands": _land_names(project.bundeslaender),
        "category": category_labels().get(project.category, project.category),
    }


def atlas_list(request: HttpRequest) -> HttpResponse:
    form = AtlasFilterForm(request.GET)
    filters = form.filters()
    result = catalogue_search(**filters)
    page = Paginator(result.hits, PAGE_SIZE).get_page(request.GET.get("page"))
    for hit in page.object_list:
        hit.info = _describe(hit.project)
    query = request.GET.copy()
    query.pop("page", None)
    query_no_land = query.copy()
    query_no_land.pop("land", None)
    hit_ids = {hit.project.pk for hit in result.hits}
    points, unplaced = project_points(hit_ids=hit_ids)
    by_land: Counter[str] = Counter()
    for hit in result.hits:
        by_land.update(code for code in hit.project.bundeslaender.split(";") if code)
    context = {
        "form": form,
        "result": result,
        "page": page,
        "query": query.urlencode(),
        "query_no_land": query_no_land.urlencode(),
        "filtered": any(v for v in filters.values()),
        "map": {
            "width": WIDTH,
            "height": HEIGHT,
            "outline": outline_path(),
            "points": points,
            "unplaced": unplaced,
            "lands": sorted(
                ((code, BUNDESLAENDER[code], n) for code, n in by_land.items() if code in BUNDESLAENDER),
                key=lambda row: row[1],
            ),
        },
    }
    return render(request, "web/atlas/list.html", context)


def atlas_project(request: HttpRequest, slug: str) -> HttpResponse:
    project = (
        ModelProject.objects.select_related("lead_municipality")
        .prefetch_related(
            "topics",
            "municipalities",
            Prefetch("measures", queryset=Measure.objects.prefetch_related("topics").order_by("title")),
        )
        .filter(slug=slug)
        .first()
    )
    if project is None:
        raise Http404(_("Dieses Modellprojekt gibt es nicht."))
    members = sorted(project.municipalities.all(), key=lambda m: (m.pk != project.lead_municipality_id, m.name))
    context = {
        "project": project,
        "info": _describe(project),
        "members": members,
        "measures": list(project.measures.all()),
    }
    return render(request, "web/atlas/project.html", context)


def atlas_measure(request: HttpRequest, slug: str, measure_id: int) -> HttpResponse:
    # the project's slug is part of the address: a measure under another project's address is not found
    measure = (
        Measure.objects.select_related("model_project")
        .prefetch_related("topics")
        .filter(pk=measure_id, model_project__slug=slug)
        .first()
    )
    if measure is None:
        raise Http404(_("Diese Maßnahme gibt es nicht."))
    others = list(
        Measure.objects.filter(model_project=measure.model_project_id).exclude(pk=measure.pk).order_by("title")
    )
    context = {
        "measure": measure,
        "project": measure.model_project,
        "status_text": status_explanations().get(measure.status, ""),
        "others": others,
    }
    return render(request, "web/atlas/measure.html", context)

"""Catalogue queries. Each returns a queryset that already fetches what its list shows, so that a page
costs the same number of queries whatever its size."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from catalogue.models import ConsortiumPartner, Measure, ModelProject, Municipality, Topic
from core.errors import GuardFailed
from core.text import fold


def topic_param(params: Mapping[str, Any], name: str = "topic") -> Topic | None:
    """The field of action a filter asks for by its slug, None when none; GuardFailed on the field for an
    unknown slug."""
    slug = (params.get(name) or "").strip()
    if not slug:
        return None
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise GuardFailed(_("Unbekanntes Handlungsfeld."), field=name)
    return topic


def topics_list() -> QuerySet[Topic]:
    return Topic.objects.select_related("parent").order_by("name_de")


def _collapsed(text: str) -> str:
    """A second, looser form: umlauts written out are folded back to the bare vowel, so that "munchen"
    (typed without umlaut and without the e) finds "muenchen"."""
    return text.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def _collapsed_column(name: str):
    expression = name
    for written, bare in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        expression = Replace(expression, Value(written), Value(bare))
    return expression


def municipalities_search(*, q: str = "") -> QuerySet[Municipality]:
    """Municipalities by name or key.

    Digits: every row whose AGS starts with them (a 5-digit Kreis key yields the Kreis and all its Gemeinden).
    Text: case-, accent- and umlaut-insensitive ("München", "Muenchen", "munchen", "MÜNCHEN"); exact names
    first, then names that start with the term, then the rest, larger places first within each.
    """
    q = (q or "").strip()
    queryset = Municipality.objects.all()
    if not q:
        return queryset.order_by("ags")
    if q.isascii() and q.isdigit():
        return queryset.filter(ags__startswith=q).order_by("ags")
    term = fold(q)
    loose = _collapsed(term)
    queryset = queryset.annotate(collapsed_name=_collapsed_column("search_name")).filter(
        Q(search_name__contains=term) | Q(collapsed_name__contains=loose)
    )
    rank = Case(
        When(Q(search_name=term) | Q(collapsed_name=loose), then=Value(0)),
        When(Q(search_name__startswith=term) | Q(collapsed_name__startswith=loose), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    # Gemeinde before the Kreis row of the same kreisfreie Stadt.
    level_rank = Case(When(level=Municipality.Level.GEMEINDE, then=Value(0)), default=Value(1))
    return queryset.annotate(rank=rank, level_rank=level_rank).order_by("rank", "level_rank", "-population", "ags")


def model_projects_list() -> QuerySet[ModelProject]:
    measures = Measure.objects.prefetch_related("topics").order_by("title")
    return (
        ModelProject.objects.select_related("lead_municipality")
        .prefetch_related("municipalities", "topics", Prefetch("measures", queryset=measures))
        .order_by("name", "id")
    )


def measures_list() -> QuerySet[Measure]:
    """Measures with their project (joined) and fields of action (prefetched), by project and title."""
    return (
        Measure.objects.select_related("model_project")
        .prefetch_related("topics")
        .order_by("model_project__name", "title", "id")
    )


def partners_list() -> QuerySet[ConsortiumPartner]:
    return ConsortiumPartner.objects.prefetch_related("expertise").order_by("name", "id")

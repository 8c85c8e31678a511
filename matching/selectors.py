"""Reading proposals: one query shape for every door that lists them (API, staff page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from cases.models import Enquiry
from catalogue.models import Measure
from core.errors import NotVisible
from matching.models import Match


def matches_of(*, enquiry: Enquiry) -> QuerySet[Match]:
    """Model projects first, then partners, each best first; three queries whatever the number of rows."""
    return (
        Match.objects.filter(enquiry=enquiry)
        .select_related("model_project", "partner")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("title", "pk")))
        .order_by("kind", "rank", "pk")
    )


def match_get(*, enquiry: Enquiry, match_id: Any) -> Match:
    try:
        match_id = int(match_id)
    except (TypeError, ValueError) as exc:
        raise NotVisible(_("Vorschlag nicht gefunden.")) from exc
    match = Match.objects.filter(enquiry=enquiry, pk=match_id).select_related("model_project", "partner").first()
    if match is None:
        raise NotVisible(_("Vorschlag nicht gefunden."))
    match.enquiry = enquiry  # the case as the caller was allowed to see it, without reading it again
    return match

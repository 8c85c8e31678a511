"""Reading proposals: one query shape for every door that lists them (API, staff page)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from crm.models import Enquiry, Match, Measure


def matches_of(*, enquiry: Enquiry) -> QuerySet[Match]:
    """Model projects first, then partners, each best first; three queries whatever the number of rows."""
    return (
        Match.objects.filter(enquiry=enquiry)
        .select_related("model_project", "partner")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("title", "pk")))
        .order_by("kind", "rank", "pk")
    )

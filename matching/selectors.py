"""Reading proposals: one query shape for every door that lists them (API, staff page); and what the
municipality reads of its case's handling (``enquiry_public_status``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Enquiry, Outcome, State
from catalogue.models import Measure
from core.errors import NotVisible
from matching.models import PROPOSALS_JOB, Introduction, Match
from ops.jobs import job_run_now


def matches_of(*, enquiry: Enquiry) -> QuerySet[Match]:
    """Model projects first, then partners, each best first; three queries whatever the number of rows. The
    proposals of a new enquiry are computed after its submission's answer: if that has not happened yet, the
    first reader computes them here (``ops.jobs.job_run_now``)."""
    job_run_now(PROPOSALS_JOB, enquiry.pk)
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


# An introduction's state as the municipality reads it on its status page, after the model project's name
PUBLIC_INTRODUCTION_TEXTS = {
    Introduction.State.PROPOSED: gettext_lazy("wird angefragt"),
    Introduction.State.REQUESTED: gettext_lazy("angefragt, die Antwort steht noch aus"),
    Introduction.State.ACCEPTED: gettext_lazy("hat zugesagt, Sie erhalten die Kontaktdaten per E-Mail"),
    Introduction.State.DECLINED: gettext_lazy("hat abgesagt"),
    Introduction.State.COMPLETED: gettext_lazy("Kontakt hergestellt"),
}


def enquiry_public_status(*, enquiry: Enquiry) -> dict[str, Any]:
    """What the municipality reads of its case besides state and timeline (the status page and GET
    /api/v1/public/enquiries/{token}/ show the same): the outcome once resolved (only that of the current
    resolution: a reopened case has none until it is resolved again), the handling partner once assigned,
    and the introductions to model projects with their state in words. Two queries at most."""
    outcome = None
    if enquiry.state in (State.RESOLVED, State.CLOSED) and enquiry.resolved_at is not None:
        found = Outcome.objects.filter(enquiry=enquiry).first()
        if found is not None:
            outcome = {"category": found.category, "label": str(found.get_category_display())}
    partner = None
    if enquiry.assigned_partner_id is not None:
        partner = {"name": enquiry.assigned_partner.name}
    introductions = [
        {
            "model_project": introduction.model_project.name,
            "state": introduction.state,
            "state_label": str(PUBLIC_INTRODUCTION_TEXTS.get(introduction.state, introduction.get_state_display())),
        }
        for introduction in Introduction.objects.filter(enquiry=enquiry)
        .select_related("model_project")
        .order_by("created_at", "id")
    ]
    return {"outcome": outcome, "partner": partner, "introductions": introductions}

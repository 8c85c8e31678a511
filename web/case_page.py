"""What the case page shows (``case_page_context``): the case with its deadlines, municipality and contact, the
timeline, the steps this user may take now, notes, follow-ups, proposals and introductions. A fixed number of
queries whatever the size of the case (the test counts them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import may_work_on
from cases.models import Enquiry, FollowUp, State
from cases.selectors import enquiry_transitions_available
from cases.transitions import TRANSITIONS
from catalogue.models import Measure
from core.roles import is_coordinator
from matching.introductions import introductions_of
from matching.models import Match
from matching.selectors import matches_of
from web.case_forms import FollowUpForm, NoteForm, StepForm
from web.timeline import case_timeline

KIND_LABELS = {
    "markt": _("Markt"),
    "kreisfreie_stadt": _("kreisfreie Stadt"),
    "stadtkreis": _("Stadtkreis"),
    "stadt": _("Stadt"),
    "gemeinde": _("Gemeinde"),
    "grosse_kreisstadt": _("Große Kreisstadt"),
    "kreis": _("Kreis"),
    "landkreis": _("Landkreis"),
}


@dataclass(frozen=True)
class Deadline:
    label: Any
    due: datetime
    met: bool
    paused: bool
    overdue: bool


def deadlines_of(enquiry: Enquiry, *, now: datetime) -> list[Deadline]:
    """The three deadlines of SPEC section 3 that the case has: met, paused while awaiting the municipality,
    or overdue (red)."""
    paused = enquiry.state == State.AWAITING_REPLY or enquiry.paused_at is not None
    rows = [
        (_("Erste Reaktion"), enquiry.first_response_due, enquiry.first_response_at),
        (_("Zuweisung"), enquiry.assignment_due, enquiry.assigned_at),
        (_("Erledigung"), enquiry.resolution_due, enquiry.resolved_at),
    ]
    deadlines = []
    for label, due, done in rows:
        if due is None:
            continue
        met = done is not None or not enquiry.is_open
        deadlines.append(
            Deadline(
                label=label, due=due, met=met, paused=paused and not met, overdue=not met and not paused and due < now
            )
        )
    return deadlines


def case_page_context(
    *,
    request: HttpRequest,
    enquiry: Enquiry,
    step: str | None = None,
    step_form: StepForm | None = None,
    note_form: NoteForm | None = None,
    followup_form: FollowUpForm | None = None,
    conflict: bool = False,
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    may_work = may_work_on(user, enquiry)
    matches = list(matches_of(enquiry=enquiry))
    follow_ups = list(FollowUp.objects.filter(enquiry=enquiry).select_related("assignee").order_by("due_at", "id"))
    municipality = enquiry.municipality
    return {
        "enquiry": enquiry,
        "municipality": municipality,
        "municipality_kind": KIND_LABELS.get(municipality.kind, municipality.kind),
        "topics": list(enquiry.topics.all()),
        "measure": Measure.objects.select_related("model_project").filter(pk=enquiry.measure_id).first()
        if enquiry.measure_id
        else None,
        "deadlines": deadlines_of(enquiry, now=now),
        "timeline": case_timeline(enquiry=enquiry),
        "transitions": enquiry_transitions_available(enquiry=enquiry, user=user),
        "step": step,
        "step_form": step_form,
        "conflict": conflict,
        "may_work": may_work,
        "note_form": note_form or NoteForm(),
        "followup_form": followup_form or (FollowUpForm(enquiry=enquiry, me=user) if may_work else None),
        "follow_ups": follow_ups,
        "now": now,
        "projects": [m for m in matches if m.kind == Match.Kind.MODEL_PROJECT],
        "partners": [m for m in matches if m.kind == Match.Kind.PARTNER],
        "introductions": list(introductions_of(enquiry=enquiry)),
        # accepting a partner proposal assigns the case: the coordinators' step
        "may_accept_partner": may_work and is_coordinator(user),
        "step_label": TRANSITIONS[step].label if step else "",
        # where the proposal buttons come back to
        "here": reverse("web:case-detail", kwargs={"pk": enquiry.pk}),
    }

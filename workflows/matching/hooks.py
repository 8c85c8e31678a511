"""Matching's effects of a transition, called by workflows.hooks inside the transition's transaction.

submit: proposals; triage: recomputed proposals (topics may have changed) and the optional auto-assign;
assign: the partner's last assignment time (fair ties); resolve: the projects' success rates.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from crm.models import Enquiry


def matching_after_transition(
    *,
    enquiry: Enquiry,
    transition: str,
    from_state: str,
    to_state: str,
    by_user: Any,
    actor: str,
    payload: dict[str, Any],
) -> None:
    from workflows.matching.learning import project_success_refresh
    from workflows.matching.proposals import proposals_compute
    from workflows.matching.routing import auto_assign_schedule, partner_mark_assigned

    if transition in ("submit", "triage"):
        proposals_compute(enquiry=enquiry)
    if transition == "triage":
        auto_assign_schedule(enquiry=enquiry, by=by_user)
    elif transition == "assign":
        partner_mark_assigned(partner_id=enquiry.assigned_partner_id, at=enquiry.assigned_at or timezone.now())
    elif transition == "resolve":
        project_success_refresh(enquiry=enquiry)

"""Partner routing: which consortium partner should take a case, and the optional automatic assignment."""

from __future__ import annotations

import logging
from datetime import datetime

from cases.models import Enquiry, State
from catalogue.models import ConsortiumPartner
from core.errors import DomainError
from matching.engine import Proposal, partners_rank, query_for_enquiry, ranking_state_changed

logger = logging.getLogger(__name__)


def partner_propose(*, enquiry: Enquiry) -> Proposal | None:
    """The best partner by expertise, region and free capacity; equal scores go to who waited longest."""
    ranked = partners_rank(query=query_for_enquiry(enquiry=enquiry), limit=1)
    return ranked[0] if ranked else None


def partner_mark_assigned(*, partner_id: int | None, at: datetime) -> None:
    """Remember when a partner last got a case: the tie-break of the next routing."""
    if partner_id is not None:
        ConsortiumPartner.objects.filter(pk=partner_id).update(last_assigned_at=at)
        ranking_state_changed()


def enquiry_auto_assign(*, enquiry_id: int, by_id: int) -> Enquiry | None:
    """The task's service: assign the proposed partner if the case is still triaged. Returns quietly (None)
    when the case or the coordinator is gone, the case has moved on, no partner fits, or a coordinator was
    faster; a database error propagates for the task's retry."""
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    from cases.services import enquiry_transition

    enquiry = Enquiry.objects.filter(pk=enquiry_id, state=State.TRIAGED).select_related("municipality").first()
    by = get_user_model().objects.filter(pk=by_id, is_active=True).first()
    if enquiry is None or by is None:
        return None
    best = partner_propose(enquiry=enquiry)
    if best is None:
        return None
    try:
        return enquiry_transition(
            enquiry=enquiry,
            name="assign",
            by=by,
            payload={"partner": best.target_id, "comment": _("Automatisch zugewiesen (Routing-Vorschlag).")},
        )
    except DomainError as exc:
        # a coordinator was faster, or the partner went inactive: the case simply stays triaged
        logger.info("auto-assign of enquiry %s skipped: %s", enquiry_id, exc)
        return None

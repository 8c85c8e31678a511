"""Matching's receivers of the casework's events (connected in ``MatchingConfig.ready``), run inside the
transaction of the transition or survey answer that sent them.

submit: proposals, deferred (``PROPOSALS_JOB``: the submission's answer does not wait for the ranking); triage: recomputed proposals (topics may have changed) and the optional auto-assign;
assign: the partner's last assignment time (fair ties); resolve (and close from resolved): the projects'
success rates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.models import OPEN_STATES, Enquiry
from matching.models import PROPOSALS_JOB
from ops.jobs import job_defer

logger = logging.getLogger(__name__)


def _best_effort(what: str, enquiry: Enquiry, effect: Callable[[], Any]) -> None:
    """Proposals and success rates can be recomputed later; a failure there must not undo the submission or
    the transition it rides on, so it runs in a savepoint and is logged."""
    try:
        with transaction.atomic():
            effect()
    except Exception:
        logger.exception("matching: %s failed for enquiry %s", what, enquiry.pk)


def matching_after_transition(
    *,
    enquiry: Enquiry,
    transition: str,
    from_state: str,
    to_state: str,
    by_user: Any,
    actor: str,
    payload: dict[str, Any],
    **kwargs: Any,
) -> None:
    from matching.learning import project_success_refresh
    from matching.proposals import proposals_compute
    from matching.routing import partner_mark_assigned
    from matching.tasks import auto_assign_schedule

    if transition == "submit":
        # after the answer (ops.jobs): a worker computes them, or the first reader of the proposals
        job_defer(PROPOSALS_JOB, [enquiry.pk])
    elif transition == "triage":
        _best_effort("proposals", enquiry, lambda: proposals_compute(enquiry=enquiry))
    if transition == "triage":
        auto_assign_schedule(enquiry=enquiry, by=by_user)
    elif transition == "assign":
        partner_mark_assigned(partner_id=enquiry.assigned_partner_id, at=enquiry.assigned_at or timezone.now())
    elif transition in ("resolve", "reopen") or (transition == "close" and from_state == "resolved"):
        # closing after the satisfaction survey: the rebuild is idempotent, so answers since resolve count;
        # reopening takes the old outcome's verdict back until the case is resolved again
        _best_effort("learning", enquiry, lambda: project_success_refresh(enquiry=enquiry))


def proposals_job(keys: list[str]) -> None:
    """The deferred job (ops.jobs): the proposals of new enquiries, with one ranking state for the batch. A
    case closed or withdrawn meanwhile gets none; a triage meanwhile computed them already (again is harmless:
    decisions stay)."""
    from matching.engine import ranking_state_cached
    from matching.proposals import proposals_compute

    state = ranking_state_cached()
    enquiries = Enquiry.objects.filter(pk__in=[int(key) for key in keys], state__in=OPEN_STATES)
    for enquiry in enquiries.select_related("municipality").order_by("pk"):
        proposals_compute(enquiry=enquiry, state=state)


def ranking_state_after_transition(*, transition: str, **kwargs: Any) -> None:
    """A submission or a triage changes no count of the ranking state (no partner, no introduction yet);
    every other step may change a partner's open cases."""
    if transition not in ("submit", "triage"):
        from matching.engine import ranking_state_changed

        ranking_state_changed()


def matching_after_survey_answer(*, survey: Any, **kwargs: Any) -> None:
    """An adoption answer ("yes"/"planned") is a success signal for the projects of this case."""
    from matching.learning import project_success_refresh

    project_success_refresh(enquiry=survey.enquiry)


def catalogue_changed(**kwargs: Any) -> None:
    # The matching engine keeps the catalogue in memory; it only needs to hear that something changed.
    from matching.index import catalogue_index_invalidate

    catalogue_index_invalidate()

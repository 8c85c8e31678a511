"""Matching's Celery task: the optional automatic assignment after a triage (KTS_AUTO_ASSIGN), queued after
the triage committed (``auto_assign_schedule``). Thin: it takes ids, the service re-fetches
and returns quietly when the case is gone or no longer triaged, so a task run twice assigns once."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction

from cases.models import Enquiry
from core.kick import task_kick
from core.retry import RETRY
from matching.routing import enquiry_auto_assign


@shared_task(name="matching.auto_assign", **RETRY)
def auto_assign(enquiry_id: int, by_id: int) -> int | None:
    """Assign the proposed partner to the triaged case ``enquiry_id``, acting for the coordinator ``by_id``
    who triaged it; the id of the assigned partner, or None when nothing was done."""
    enquiry = enquiry_auto_assign(enquiry_id=enquiry_id, by_id=by_id)
    return enquiry.assigned_partner_id if enquiry is not None else None


def auto_assign_schedule(*, enquiry: Enquiry, by: Any) -> None:
    """With KTS_AUTO_ASSIGN, queue the task ``matching.auto_assign`` once the triage has committed.

    The assignment is its own transition (its own transaction, log and notification) through the same
    service a coordinator uses; it acts for the coordinator who triaged, since only coordinators may assign.
    A lost kick (broker down) leaves the case triaged for a coordinator to assign, as without auto-assign.
    """
    if not settings.KTS_AUTO_ASSIGN or by is None:
        return
    enquiry_id, by_id = enquiry.pk, by.pk
    transaction.on_commit(lambda: _auto_assign_kick(enquiry_id=enquiry_id, by_id=by_id))


def _auto_assign_kick(*, enquiry_id: int, by_id: int) -> None:
    task_kick(
        auto_assign,
        args=[enquiry_id, by_id],
        failure=f"auto-assign: could not queue enquiry {enquiry_id}; it stays triaged",
    )

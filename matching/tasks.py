"""Matching's Celery task: the optional automatic assignment after a triage (KTS_AUTO_ASSIGN), queued after
the triage committed (``matching.routing.auto_assign_schedule``). Thin: it takes ids, the service re-fetches
and returns quietly when the case is gone or no longer triaged, so a task run twice assigns once."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY


@shared_task(name="matching.auto_assign", **RETRY)
def auto_assign(enquiry_id: int, by_id: int) -> int | None:
    """Assign the proposed partner to the triaged case ``enquiry_id``, acting for the coordinator ``by_id``
    who triaged it; the id of the assigned partner, or None when nothing was done."""
    from matching.routing import enquiry_auto_assign

    enquiry = enquiry_auto_assign(enquiry_id=enquiry_id, by_id=by_id)
    return enquiry.assigned_partner_id if enquiry is not None else None

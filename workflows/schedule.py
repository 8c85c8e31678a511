"""The one periodic schedule (Celery beat). Each entry expires just under its period: a run that waited in
the queue longer than that is dropped, since the next one is already due and would do the same work."""

from __future__ import annotations

MINUTE = 60.0


def _every(seconds: float, task: str) -> dict:
    return {"task": task, "schedule": seconds, "options": {"expires": seconds - 5}}


BEAT_SCHEDULE = {
    "outbox-sweep": _every(1 * MINUTE, "workflows.sweep_outbox"),
    "heartbeat": _every(1 * MINUTE, "workflows.heartbeat"),
    "followup-reminders": _every(5 * MINUTE, "workflows.remind_followups"),
    "deadline-escalation": _every(15 * MINUTE, "workflows.escalate_deadlines"),
    "awaiting-reply": _every(60 * MINUTE, "workflows.process_awaiting_reply"),
    "surveys": _every(60 * MINUTE, "workflows.process_surveys"),
    "anonymise-expired": _every(24 * 60 * MINUTE, "workflows.anonymise_expired"),
}

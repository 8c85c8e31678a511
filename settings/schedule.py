"""The one periodic schedule (Celery beat). Each entry expires just under its period: a run that waited in
the queue longer than that is dropped, since the next one is already due and would do the same work."""

from __future__ import annotations

MINUTE = 60.0


def _every(seconds: float, task: str) -> dict:
    return {"task": task, "schedule": seconds, "options": {"expires": seconds - 5}}


BEAT_SCHEDULE = {
    "outbox-sweep": _every(1 * MINUTE, "outbox.sweep_outbox"),
    "heartbeat": _every(1 * MINUTE, "ops.heartbeat"),
    # deferred work of changes (ops.jobs) whose after-commit kick was lost
    "deferred-jobs": _every(1 * MINUTE, "ops.run_jobs"),
    # inbound mail from the mailbox of INBOUND_IMAP_URL (does nothing when it is empty)
    "imap-poll": _every(1 * MINUTE, "conversation.poll_imap"),
    "followup-reminders": _every(5 * MINUTE, "cases.remind_followups"),
    "deadline-escalation": _every(15 * MINUTE, "cases.escalate_deadlines"),
    "awaiting-reply": _every(60 * MINUTE, "cases.process_awaiting_reply"),
    "surveys": _every(60 * MINUTE, "cases.process_surveys"),
    # the day before an event: reminders to everyone registered (events.registrations.events_send_reminders)
    "event-reminders": _every(15 * MINUTE, "events.send_reminders"),
    # catch-all: each change refreshes its case's statistics rows after commit; this picks up a lost one
    "stats-rows": _every(10 * MINUTE, "stats.refresh_rows"),
    "anonymise-expired": _every(24 * 60 * MINUTE, "privacy.anonymise_expired"),
}

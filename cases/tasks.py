"""The casework's periodic Celery tasks. Each is thin: it calls a service that re-fetches and claims its rows,
and returns quietly when the row is gone or already handled, so that a task run twice (a retry, two workers,
beat and a manual run) does everything once. Services are imported inside the tasks to keep worker start-up
light."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY


@shared_task(name="cases.remind_followups", **RETRY)
def remind_followups() -> int:
    from cases.reminders import followups_remind_due

    return followups_remind_due()


@shared_task(name="cases.escalate_deadlines", **RETRY)
def escalate_deadlines() -> int:
    from cases.deadlines import deadlines_escalate_all

    return deadlines_escalate_all()


@shared_task(name="cases.process_awaiting_reply", **RETRY)
def process_awaiting_reply() -> list[int]:
    from cases.reminders import awaiting_process

    return list(awaiting_process())


@shared_task(name="cases.process_surveys", **RETRY)
def process_surveys() -> list[int]:
    from cases.surveys import surveys_close_unanswered, surveys_send_due

    return [surveys_send_due(), surveys_close_unanswered()]

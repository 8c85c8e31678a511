"""Deadlines in working days of the Bundesland, paused while awaiting_reply, escalated once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from cases.calendar import add_working_days, is_working_day
from cases.deadlines import deadlines_escalate_all
from cases.models import Activity, Enquiry, Priority
from cases.tasks import escalate_deadlines
from outbox.services import outbox_sweep
from tests.cases.conftest import sent_to

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Berlin")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_epiphany_is_a_holiday_in_bavaria_but_a_working_day_in_berlin():
    assert not is_working_day(at(2026, 1, 6).date(), bundesland="BY")
    assert is_working_day(at(2026, 1, 6).date(), bundesland="BE")


def test_working_days_skip_weekends_and_the_holidays_of_the_state():
    # Monday 5 January 2026 + 2 working days: Bavaria skips Epiphany (Tue 6) -> Thursday; Berlin -> Wednesday
    assert add_working_days(at(2026, 1, 5, 10), 2, bundesland="BY") == at(2026, 1, 8, 10)
    assert add_working_days(at(2026, 1, 5, 10), 2, bundesland="BE") == at(2026, 1, 7, 10)
    # Friday + 1 is Monday; Saturday + 2 is Tuesday
    assert add_working_days(at(2026, 11, 27, 9), 1, bundesland="BE") == at(2026, 11, 30, 9)
    assert add_working_days(at(2026, 11, 28, 9), 2, bundesland="BE") == at(2026, 12, 1, 9)
    # Reformation Day (31 October) counts in Saxony, not in Bavaria (2025: a Friday)
    assert add_working_days(at(2025, 10, 30, 9), 1, bundesland="SN") == at(2025, 11, 3, 9)
    assert add_working_days(at(2025, 10, 30, 9), 1, bundesland="BY") == at(2025, 10, 31, 9)


def test_submission_sets_the_three_deadlines_in_working_days_of_the_enquirers_state(submit, berlin):
    """GIVEN a submission on Monday 5 January 2026 from Munich and one from Berlin
    WHEN the deadlines are set
    THEN Munich's first response is due Thursday (Epiphany), Berlin's Wednesday; assignment 5, resolution 30."""
    with time_machine.travel(at(2026, 1, 5, 10), tick=False):
        munich = submit()
        capital = submit(municipality=berlin, email="senat@berlin.example")
    munich.refresh_from_db()
    capital.refresh_from_db()
    assert munich.first_response_due == at(2026, 1, 8, 10)
    assert capital.first_response_due == at(2026, 1, 7, 10)
    assert munich.assignment_due == at(2026, 1, 13, 10)
    assert capital.assignment_due == at(2026, 1, 12, 10)
    assert capital.resolution_due == add_working_days(at(2026, 1, 5, 10), 30, bundesland="BE")


def test_a_missed_first_response_escalates_once_even_when_the_job_runs_twice(submit, coordinator):
    """GIVEN a new enquiry nobody answered
    WHEN the escalation job runs after the first-response deadline, twice
    THEN escalated_at is set, priority goes one step up, the timeline says so and the coordinators get one
    e-mail; the second run does nothing."""
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):  # Monday
        enquiry = submit()
    mail.outbox.clear()
    with time_machine.travel(at(2026, 11, 25, 8, 59), tick=False):
        assert deadlines_escalate_all() == 0, "not yet due"
    with time_machine.travel(at(2026, 11, 25, 9, 1), tick=False):
        assert escalate_deadlines.delay().get() == 1
        assert escalate_deadlines.delay().get() == 0
        outbox_sweep()
    enquiry.refresh_from_db()
    assert enquiry.first_response_breached_at == at(2026, 11, 25, 9, 1)
    assert enquiry.escalated_at == at(2026, 11, 25, 9, 1)
    assert enquiry.priority == Priority.HIGH
    assert Activity.objects.filter(enquiry=enquiry, kind="system", text__contains="erste Reaktion").count() == 1
    escalations = sent_to(coordinator.email)
    assert len(escalations) == 1
    assert "Eskalation" in escalations[0].subject
    # QA: the link to the case was missing (an empty line where the template prints staff_url)
    assert f"/intern/faelle/{enquiry.pk}/" in escalations[0].body


def test_each_deadline_escalates_once_and_priority_stops_at_urgent(submit):
    """GIVEN an enquiry left in new
    WHEN the job runs after first response (2), assignment (5) and resolution (30 working days)
    THEN three breaches are stamped, priority climbs from normal to urgent and stays there."""
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        enquiry = submit()
    for day, expected in ((at(2026, 11, 26, 9), 1), (at(2026, 12, 2, 9), 1), (at(2027, 1, 20, 9), 1)):
        with time_machine.travel(day, tick=False):
            assert deadlines_escalate_all() == expected
            assert deadlines_escalate_all() == 0
    enquiry.refresh_from_db()
    assert enquiry.first_response_breached_at and enquiry.assignment_breached_at and enquiry.resolution_breached_at
    assert enquiry.priority == Priority.URGENT
    assert enquiry.escalated_at == at(2026, 11, 26, 9), "escalated_at keeps the first escalation"


def test_a_deadline_that_was_met_does_not_escalate(in_progress):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        enquiry = in_progress()
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        assert deadlines_escalate_all() == 0
    enquiry.refresh_from_db()
    assert enquiry.escalated_at is None
    assert enquiry.priority == Priority.NORMAL


def test_deadlines_pause_while_awaiting_reply_and_shift_by_the_waiting_time(submit, move, coordinator):
    """GIVEN a triaged enquiry waiting 10 days for the municipality (over its assignment deadline)
    WHEN the escalation job runs while it waits
    THEN nothing escalates; and when the reply comes in, the deadlines move on by the 10 days waited."""
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        enquiry = submit()
        enquiry = move(enquiry, "triage", coordinator)
        enquiry = move(enquiry, "request_info", coordinator, message="Welche Einwohnerzahl?")
    enquiry.refresh_from_db()
    assert enquiry.paused_at == at(2026, 11, 23, 9)
    before = enquiry.assignment_due
    with time_machine.travel(at(2026, 12, 3, 9), tick=False):
        assert deadlines_escalate_all() == 0, "paused"
        enquiry = move(enquiry, "receive_reply", coordinator, message="12.000")
    enquiry.refresh_from_db()
    assert enquiry.paused_at is None
    assert enquiry.waiting_seconds == 10 * 24 * 3600
    assert enquiry.assignment_due == before + timedelta(days=10)
    with time_machine.travel(enquiry.assignment_due - timedelta(minutes=1), tick=False):
        assert Enquiry.objects.get(pk=enquiry.pk).assignment_breached_at is None
        deadlines_escalate_all()
        assert Enquiry.objects.get(pk=enquiry.pk).assignment_breached_at is None
    with time_machine.travel(enquiry.assignment_due + timedelta(minutes=1), tick=False):
        deadlines_escalate_all()
        assert Enquiry.objects.get(pk=enquiry.pk).assignment_breached_at is not None


def test_a_reopened_case_gets_fresh_assignment_and_resolution_deadlines(in_progress, move, partner_user, coordinator):
    """GIVEN a case resolved on day 3 and reopened on day 20 (assignment deadline long past)
    WHEN the escalation job runs right after reopening and again after 5 more working days
    THEN nothing escalates at first; the fresh assignment deadline escalates once later."""
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        enquiry = in_progress()
    with time_machine.travel(at(2026, 11, 26, 9), tick=False):
        enquiry = move(enquiry, "resolve", partner_user, category="information_provided", notes="Leitfaden")
    with time_machine.travel(at(2026, 12, 14, 9), tick=False):  # Monday
        enquiry = move(enquiry, "reopen", coordinator)
        assert deadlines_escalate_all() == 0
    enquiry.refresh_from_db()
    assert enquiry.assignment_due == at(2026, 12, 21, 9)
    with time_machine.travel(at(2026, 12, 21, 9, 1), tick=False):
        assert deadlines_escalate_all() == 1
        assert deadlines_escalate_all() == 0
    assert Enquiry.objects.get(pk=enquiry.pk).assignment_breached_at == at(2026, 12, 21, 9, 1)

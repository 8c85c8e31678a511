"""seed_demo: marked demo data, made through the workflow services, idempotent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cases.models import Enquiry, ReplyTemplate, State, TransitionLog
from catalogue.loaders import model_projects_import, topics_sync
from catalogue.models import ConsortiumPartner, ModelProject

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DATA = Path(settings.SHARED_DATA_DIR)


@pytest.fixture
def catalogue(directory):
    topics_sync()
    model_projects_import(path=DATA / "model_projects.csv", measures_path=DATA / "model_project_measures.csv")


def test_seed_demo_makes_marked_demo_data_over_many_states_and_a_second_run_makes_nothing(catalogue):
    """GIVEN the real catalogue
    WHEN seed_demo runs twice
    THEN demo partners, logins, model-project contacts and about 30 enquiries exist once, all marked as demo,
    the enquiries spread over the workflow states and past months, each with its transition log."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = (
        ConsortiumPartner.objects.count(),
        get_user_model().objects.count(),
        Enquiry.objects.count(),
        TransitionLog.objects.count(),
        ReplyTemplate.objects.count(),
    )

    call_command("seed_demo", stdout=io.StringIO())

    assert (
        ConsortiumPartner.objects.count(),
        get_user_model().objects.count(),
        Enquiry.objects.count(),
        TransitionLog.objects.count(),
        ReplyTemplate.objects.count(),
    ) == counts
    assert "koordination" in out.getvalue() and "Demo-Passwort-2026" in out.getvalue()
    assert ConsortiumPartner.objects.filter(is_demo=False).count() == 0
    assert ModelProject.objects.filter(contact_is_demo=False).count() == 0
    assert all(p.contact_email.endswith(".demo.invalid") for p in ModelProject.objects.all())
    assert Enquiry.objects.count() >= 28
    states = set(Enquiry.objects.values_list("state", flat=True))
    assert states == {s.value for s in State}
    oldest = Enquiry.objects.order_by("created_at").first()
    assert (Enquiry.objects.order_by("-created_at").first().created_at - oldest.created_at).days > 120
    assert all(e.contact_email.endswith(".demo.invalid") for e in Enquiry.objects.all())
    assert get_user_model().objects.get(username="difu").check_password("Demo-Passwort-2026")
    assert set(ReplyTemplate.objects.values_list("use", flat=True)) == {"request_info", "note"}


def test_the_demo_history_holds_its_escalations_and_leaves_nothing_for_the_first_job_runs(catalogue):
    """Issue 13, item 16: GIVEN seed_demo WHEN the escalation job runs at start and 15 minutes later THEN it finds
    nothing (the breaches of the demo's past were escalated in that past, with their timeline entries), and no
    mail of the past waits in the outbox to be sent at start (the first `make run` sent 28 escalations)."""
    from datetime import timedelta

    from django.utils import timezone

    from cases.deadlines import deadlines_escalate_all
    from cases.models import Activity
    from outbox.models import OutboxMessage

    call_command("seed_demo", stdout=io.StringIO())
    now = timezone.now()

    escalated = Enquiry.objects.filter(escalated_at__isnull=False)
    assert escalated.exists() and all(e.escalated_at < now for e in escalated)
    assert Activity.objects.filter(kind="system", text__contains="eskaliert", at__lt=now).count() >= escalated.count()
    # the history's mails count as sent; only the steps the demo takes "now" (clamped to the seeding time) wait
    assert not OutboxMessage.objects.filter(status="pending", template="escalation").exists()
    assert OutboxMessage.objects.filter(status="pending").count() <= 5 < OutboxMessage.objects.count()
    assert deadlines_escalate_all(now=now) == 0
    assert deadlines_escalate_all(now=now + timedelta(minutes=15)) <= 1


def test_no_reminder_survey_or_automatic_close_is_due_when_the_demo_is_made(catalogue):
    """The demo's cases awaiting a reply asked their question less than a week ago, its resolved cases were
    resolved less than two weeks ago: the hourly jobs have nothing to send or close at start (they sent two
    reminders and four surveys for cases of three to five months ago before)."""
    from django.utils import timezone

    from cases.reminders import awaiting_process, followups_remind_due
    from cases.surveys import surveys_close_unanswered, surveys_send_due

    call_command("seed_demo", stdout=io.StringIO())
    now = timezone.now()

    assert awaiting_process(now=now) == (0, 0)
    assert surveys_send_due(now=now) == 0
    assert surveys_close_unanswered(now=now) == 0
    assert followups_remind_due(now=now) == 0
    assert set(Enquiry.objects.values_list("state", flat=True)) >= {"awaiting_reply", "resolved"}

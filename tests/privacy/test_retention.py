"""Contact data of closed cases is anonymised after KTS_RETENTION_DAYS (730); statistics fields survive."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cases.models import Activity, Enquiry, FollowUp, Outcome, SurveyResponse, TransitionLog
from matching.models import Introduction
from outbox.models import OutboxMessage
from privacy.services import enquiries_anonymise_expired
from privacy.tasks import anonymise_expired
from settings.schedule import BEAT_SCHEDULE
from tests.privacy.conftest import SECRET_NOTE

pytestmark = pytest.mark.django_db

PLACEHOLDER = "[anonymisiert]"


def all_stored_text(enquiry: Enquiry) -> str:
    """Every free text stored for the case, in one string, to search for the contact's data."""
    enquiry.refresh_from_db()
    parts = [enquiry.contact_name, enquiry.contact_email, enquiry.contact_phone, enquiry.contact_role]
    parts += [enquiry.subject, enquiry.message]
    parts += list(Activity.objects.filter(enquiry=enquiry).values_list("text", flat=True))
    parts += list(TransitionLog.objects.filter(enquiry=enquiry).values_list("comment", flat=True))
    parts += list(Outcome.objects.filter(enquiry=enquiry).values_list("notes", flat=True))
    parts += list(FollowUp.objects.filter(enquiry=enquiry).values_list("note", flat=True))
    parts += list(SurveyResponse.objects.filter(enquiry=enquiry).values_list("comment", flat=True))
    parts += list(Introduction.objects.filter(enquiry=enquiry).values_list("answer_note", flat=True))
    for message in OutboxMessage.objects.filter(enquiry=enquiry):
        parts += [*message.recipients, message.subject, message.text, message.html]
    return "\n".join(parts)


def test_a_case_closed_729_days_ago_keeps_its_contact_data(closed_case):
    """GIVEN a case closed 729 days ago WHEN the retention job runs THEN nothing is anonymised."""
    enquiry = closed_case(729)
    assert enquiries_anonymise_expired() == 0
    enquiry.refresh_from_db()
    assert enquiry.anonymised_at is None
    assert enquiry.contact_name == "Erika Muster"
    assert SECRET_NOTE in all_stored_text(enquiry)


def test_a_case_closed_731_days_ago_loses_every_trace_of_its_contact(closed_case):
    """GIVEN a case closed 731 days ago with a reply, notes, an outcome, a survey comment, an introduction
    answer and e-mails WHEN the retention job runs THEN no name, address, phone or free text of it is left."""
    enquiry = closed_case(731)
    assert "0171 5550123" in all_stored_text(enquiry)
    assert enquiries_anonymise_expired() == 1
    text = all_stored_text(enquiry)
    for trace in ("Erika", "Muster", "0171", "089 1234567", "gemeinde.example", "Amtsleiterin", "Rufbus"):
        assert trace not in text, trace
    enquiry.refresh_from_db()
    assert enquiry.anonymised_at is not None
    assert (enquiry.contact_name, enquiry.contact_email, enquiry.subject) == (PLACEHOLDER, "", PLACEHOLDER)
    assert Outcome.objects.get(enquiry=enquiry).notes == PLACEHOLDER


def test_the_timeline_keeps_its_structure_and_says_it_was_anonymised(closed_case):
    """GIVEN an expired case WHEN it is anonymised THEN every entry keeps kind, transition and time, the two
    message transitions show their fixed texts, and one entry "anonymisiert" by the system is added."""
    enquiry = closed_case(800)
    before = list(Activity.objects.filter(enquiry=enquiry).values_list("kind", "transition", "at", "public"))
    enquiries_anonymise_expired()
    after = list(Activity.objects.filter(enquiry=enquiry).values_list("kind", "transition", "at", "public"))
    assert after[: len(before)] == before
    last = Activity.objects.filter(enquiry=enquiry).last()
    assert (last.kind, last.actor) == ("system", "system")
    assert "anonymisiert" in last.text and "730" in last.text
    texts = dict(Activity.objects.filter(enquiry=enquiry, kind="transition").values_list("transition", "text"))
    assert texts["request_info"] == "Wir haben eine Rückfrage an Sie."
    assert texts["receive_reply"] == "Ihre Antwort ist eingegangen."
    assert texts["submit"] == "Ihre Anfrage ist eingegangen."


def test_statistics_fields_survive_anonymisation(closed_case):
    """GIVEN an expired case WHEN it is anonymised THEN everything the statistics read is unchanged."""
    enquiry = closed_case(731)
    fields = [
        "municipality_id", "funded", "support_type", "channel", "state", "close_reason", "priority",
        "assigned_partner_id", "created_at", "first_response_at", "assigned_at", "resolved_at", "closed_at",
        "consent_at", "waiting_seconds", "first_response_due", "assignment_due", "resolution_due", "escalated_at",
    ]  # fmt: skip
    before = Enquiry.objects.filter(pk=enquiry.pk).values(*fields).get()
    topics = set(enquiry.topics.values_list("slug", flat=True))
    survey_before = (
        SurveyResponse.objects.filter(enquiry=enquiry).values("kind", "score", "useful", "answered_at").get()
    )
    logs_before = list(
        TransitionLog.objects.filter(enquiry=enquiry).values_list("transition", "from_state", "to_state", "by", "at")
    )

    enquiries_anonymise_expired()

    assert Enquiry.objects.filter(pk=enquiry.pk).values(*fields).get() == before
    assert set(enquiry.topics.values_list("slug", flat=True)) == topics
    assert (
        SurveyResponse.objects.filter(enquiry=enquiry).values("kind", "score", "useful", "answered_at").get()
        == survey_before
    )
    assert Outcome.objects.get(enquiry=enquiry).category == "exchange_held"
    assert (
        list(
            TransitionLog.objects.filter(enquiry=enquiry).values_list(
                "transition", "from_state", "to_state", "by", "at"
            )
        )
        == logs_before
    )
    assert Introduction.objects.filter(enquiry=enquiry, model_project__name="Smarte Region Musterland").exists()


def test_running_twice_anonymises_once(closed_case):
    """GIVEN an expired case WHEN the job runs twice THEN the second run finds nothing and writes nothing."""
    enquiry = closed_case(731)
    assert enquiries_anonymise_expired() == 1
    stamp = Enquiry.objects.get(pk=enquiry.pk).anonymised_at
    entries = Activity.objects.filter(enquiry=enquiry).count()
    assert enquiries_anonymise_expired() == 0
    assert Enquiry.objects.get(pk=enquiry.pk).anonymised_at == stamp
    assert Activity.objects.filter(enquiry=enquiry).count() == entries


def test_open_and_resolved_cases_are_never_anonymised_by_age(submit, move, coordinator):
    """GIVEN a case submitted three years ago and never closed WHEN the job runs THEN it stays as it is."""
    from datetime import timedelta

    from django.utils import timezone

    enquiry = submit(at=timezone.now() - timedelta(days=3 * 365))
    assert enquiries_anonymise_expired() == 0
    enquiry.refresh_from_db()
    assert enquiry.anonymised_at is None and enquiry.contact_name == "Erika Muster"


def test_the_status_link_of_an_anonymised_case_stops_working(closed_case, client):
    """GIVEN an expired case whose contact still has the status link WHEN it is anonymised THEN the link
    answers 404, and no e-mail can be queued for the case any more."""
    from outbox.services import outbox_enqueue

    enquiry = closed_case(731)
    old_token = enquiry.public_token
    assert client.get(f"/api/v1/public/enquiries/{old_token}/").status_code == 200
    enquiries_anonymise_expired()
    enquiry.refresh_from_db()
    assert enquiry.public_token != old_token and len(enquiry.public_token) >= 22
    assert client.get(f"/api/v1/public/enquiries/{old_token}/").status_code == 404
    assert outbox_enqueue(to=enquiry.contact_email, template="withdrawn", context={"enquiry": enquiry}) is None


def test_the_retention_period_is_a_setting(closed_case, settings):
    """GIVEN a retention of 90 days WHEN a case closed 100 days ago is checked THEN it is anonymised."""
    settings.KTS_RETENTION_DAYS = 90
    closed_case(100)
    closed_case(80, email="andere@gemeinde.example")
    assert enquiries_anonymise_expired() == 1


def test_the_daily_task_runs_the_job_and_is_scheduled_once_a_day(closed_case):
    closed_case(731)
    assert anonymise_expired.delay().get() == 1
    entry = BEAT_SCHEDULE["anonymise-expired"]
    assert entry["task"] == "privacy.anonymise_expired"
    assert entry["schedule"] == 24 * 60 * 60 and 86_390 <= entry["options"]["expires"] < 86_400


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_anonymise_each_case_once(closed_case):
    """GIVEN three expired cases WHEN two workers run the job at the same moment THEN together they
    anonymise three cases and each case has exactly one "anonymisiert" entry."""
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL")
    cases = [closed_case(731 + n, email=f"kontakt{n}@gemeinde.example") for n in range(3)]
    barrier = threading.Barrier(2)
    results: list[int] = []

    def worker() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(enquiries_anonymise_expired())
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 3
    for enquiry in cases:
        assert Activity.objects.filter(enquiry=enquiry, kind="system", text__contains="anonymisiert").count() == 1


def test_a_capped_run_takes_the_longest_closed_first_and_the_next_run_goes_on(closed_case):
    """GIVEN two expired cases WHEN the job runs capped at one THEN the older one goes first, the next run
    takes the other."""
    newer = closed_case(740)
    older = closed_case(900, email="frueher@gemeinde.example")
    assert enquiries_anonymise_expired(limit=1) == 1
    assert Enquiry.objects.get(pk=older.pk).anonymised_at is not None
    assert Enquiry.objects.get(pk=newer.pk).anonymised_at is None
    assert enquiries_anonymise_expired(limit=1) == 1
    assert Enquiry.objects.get(pk=newer.pk).anonymised_at is not None

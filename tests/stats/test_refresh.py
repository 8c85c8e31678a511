"""The statistics rows follow the cases: each change refreshes its case's rows after commit (stats.hooks), a
periodic sweep catches what such a refresh missed, and reading the figures writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Enquiry
from cases.surveys import survey_send
from settings.schedule import BEAT_SCHEDULE
from stats.models import EnquiryStats, EnquiryTopicStats
from stats.tasks import refresh_rows
from tests.stats.conftest import at

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-01-01&to=2026-04-30"


def row(enquiry) -> EnquiryStats:
    return EnquiryStats.objects.get(pk=enquiry.pk)


def test_reading_the_figures_writes_nothing_and_does_not_refresh(history, manager_client):
    """GIVEN the rows are computed and E7 changed behind the services' back
    WHEN the summary and a breakdown are read THEN no statistics row is written and E7's row is as before."""
    Enquiry.objects.filter(pk=history.e7.pk).update(channel="phone")
    with CaptureQueriesContext(connection) as queries:
        assert manager_client.get(f"/api/v1/stats/summary/?{PERIOD}").status_code == 200
        assert manager_client.get(f"/api/v1/stats/by/channel/?{PERIOD}").status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert not [sql for sql in writes if "stats" in sql.lower()], writes
    assert row(history.e7).channel == "web"


def test_a_transition_refreshes_its_cases_row_after_commit(history, coordinator, django_capture_on_commit_callbacks):
    """GIVEN E7 (new) WHEN a coordinator triages it THEN its row still says "new" until the commit, "triaged"
    after it; its topic rows follow."""
    from cases.services import enquiry_transition

    with django_capture_on_commit_callbacks(execute=True):
        enquiry_transition(enquiry=Enquiry.objects.get(pk=history.e7.pk), name="triage", by=coordinator)
        assert row(history.e7).state == "new"
    assert row(history.e7).state == "triaged"
    assert set(EnquiryTopicStats.objects.filter(enquiry=history.e7).values_list("state", flat=True)) == {"triaged"}


def test_an_escalation_refreshes_the_row_after_commit(history, django_capture_on_commit_callbacks):
    """GIVEN E7 (new, not escalated) WHEN the escalation job finds its deadlines missed THEN its row counts
    it as escalated after the commit."""
    from cases.deadlines import deadlines_escalate_all

    assert row(history.e7).escalated is False
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_escalate_all(now=at(4, 30, 12))
    assert row(history.e7).escalated is True


def test_the_sweep_catches_a_change_whose_refresh_after_commit_was_lost(history):
    """GIVEN E3's adoption survey is sent and the after-commit refresh never runs (a crash after commit)
    WHEN the periodic sweep runs THEN E3's row counts the survey, since the change marked the case."""
    survey_send(enquiry_id=history.e3.pk, kind="adoption", now=dt.datetime(2026, 4, 12, 9, 0, tzinfo=dt.UTC))
    assert row(history.e3).adoption_sent is False
    refresh_rows()
    assert row(history.e3).adoption_sent is True


def test_the_sweep_is_on_the_beat_schedule():
    assert BEAT_SCHEDULE["stats-rows"]["task"] == "stats.refresh_rows"


def test_a_triage_that_changes_the_topics_refreshes_the_topic_rows_after_commit(
    history, coordinator, django_capture_on_commit_callbacks
):
    """GIVEN E7 under mobility WHEN a coordinator triages it under energy (the one door for topics since the
    admin no longer edits cases) THEN its topic rows follow after the commit."""
    from cases.services import enquiry_transition

    with django_capture_on_commit_callbacks(execute=True):
        enquiry_transition(
            enquiry=Enquiry.objects.get(pk=history.e7.pk),
            name="triage",
            by=coordinator,
            payload={"topics": ["energie"]},
        )
    topics = set(EnquiryTopicStats.objects.filter(enquiry=history.e7).values_list("topic__slug", flat=True))
    assert topics == {"energie"}


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_cases_refresh_waits_only_for_a_refresh_of_the_same_case(history):
    """GIVEN another connection is inside the refresh of E1's rows (its transaction still open)
    WHEN E7's rows are refreshed THEN that runs at once; a refresh of E1 itself waits (here: times out)."""
    import threading

    from django.db import OperationalError, transaction

    from stats.facts import stats_rows_refresh

    if connection.vendor != "postgresql":
        pytest.skip("advisory locks need PostgreSQL (DATABASE_URL=postgres://...)")
    inside, release = threading.Event(), threading.Event()

    def hold_e1() -> None:
        try:
            with transaction.atomic():
                stats_rows_refresh(enquiry_ids=[history.e1.pk])
                inside.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_e1)
    holder.start()
    try:
        assert inside.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            stats_rows_refresh(enquiry_ids=[history.e7.pk])
        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            stats_rows_refresh(enquiry_ids=[history.e1.pk])
    finally:
        release.set()
        holder.join(timeout=30)
    assert row(history.e7).pk == history.e7.pk

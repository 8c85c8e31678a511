"""Surveys: satisfaction 14 days after resolve (closing the case when answered or 30 days later), adoption
six months after resolve; token pages without account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from cases.models import CloseReason, State, SurveyResponse, TransitionLog
from cases.surveys import survey_answer, surveys_close_unanswered, surveys_send_due
from cases.tasks import process_surveys
from core.errors import Conflict, GuardFailed, NotVisible
from tests.cases.conftest import sent_to

pytestmark = pytest.mark.django_db

# UTC: adding days to an aware Berlin time would count wall-clock days across the summer-time switch
START = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture
def resolved(in_progress, move, partner_user):
    def _make():
        with time_machine.travel(START, tick=False):
            enquiry = in_progress()
            return move(enquiry, "resolve", partner_user, category="exchange_held", notes="Austausch mit Ulm")

    return _make


def test_the_satisfaction_survey_goes_out_14_days_after_resolve_once(resolved, run_commits):
    """GIVEN an enquiry resolved on 23 November
    WHEN the survey job runs on day 13 and twice on day 14
    THEN one SurveyResponse with a token is created on day 14 and one e-mail with its link is sent."""
    enquiry = resolved()
    resolution_mail = [m for m in sent_to(enquiry.contact_email) if "erledigt" in m.subject]
    assert len(resolution_mail) == 1 and "Umfrage" in resolution_mail[0].body
    mail.outbox.clear()
    with time_machine.travel(START + timedelta(days=13), tick=False):
        assert run_commits(surveys_send_due) == 0
    with time_machine.travel(START + timedelta(days=14, minutes=1), tick=False):
        assert run_commits(process_surveys.delay).get() == [1, 0]
        assert run_commits(process_surveys.delay).get() == [0, 0]
    survey = SurveyResponse.objects.get(enquiry=enquiry)
    assert survey.kind == SurveyResponse.Kind.SATISFACTION
    assert survey.sent_at == START + timedelta(days=14, minutes=1)
    assert len(survey.token) >= 32
    invitations = sent_to(enquiry.contact_email)
    assert len(invitations) == 1
    assert f"http://testserver/umfrage/{survey.token}/" in invitations[0].body


def test_an_answer_closes_the_case_as_completed_and_a_second_answer_is_refused(resolved, run_commits):
    enquiry = resolved()
    with time_machine.travel(START + timedelta(days=15), tick=False):
        run_commits(surveys_send_due)
        survey = SurveyResponse.objects.get(enquiry=enquiry)
        answered = survey_answer(token=survey.token, score=5, useful=True, comment="Sehr hilfreich")
        assert (answered.score, answered.useful, answered.comment) == (5, True, "Sehr hilfreich")
        with pytest.raises(Conflict):
            survey_answer(token=survey.token, score=1, useful=False)
    enquiry.refresh_from_db()
    assert enquiry.state == State.CLOSED
    assert enquiry.close_reason == CloseReason.COMPLETED
    assert SurveyResponse.objects.get(id=survey.id).score == 5
    assert TransitionLog.objects.filter(enquiry=enquiry, transition="close", by="system").count() == 1


def test_an_unanswered_survey_closes_the_case_30_days_after_sending_once(resolved, run_commits):
    enquiry = resolved()
    with time_machine.travel(START + timedelta(days=14, hours=1), tick=False):
        run_commits(surveys_send_due)
    with time_machine.travel(START + timedelta(days=44), tick=False):
        assert run_commits(surveys_close_unanswered) == 0, "29 days after sending"
    with time_machine.travel(START + timedelta(days=44, hours=2), tick=False):
        assert run_commits(surveys_close_unanswered) == 1
        assert run_commits(surveys_close_unanswered) == 0
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.close_reason) == (State.CLOSED, CloseReason.COMPLETED)


def test_an_expired_or_unknown_token_is_refused_and_nothing_is_stored(resolved, run_commits):
    enquiry = resolved()
    with time_machine.travel(START + timedelta(days=14, hours=1), tick=False):
        run_commits(surveys_send_due)
    survey = SurveyResponse.objects.get(enquiry=enquiry)
    with pytest.raises(NotVisible):
        survey_answer(token="unbekannt-" + "x" * 30, score=4)
    with time_machine.travel(START + timedelta(days=45), tick=False), pytest.raises(GuardFailed):
        survey_answer(token=survey.token, score=4, useful=True)
    survey.refresh_from_db()
    assert survey.answered_at is None and survey.score is None


def test_the_adoption_survey_goes_out_six_months_after_resolve_once(resolved, run_commits):
    """GIVEN a case resolved, surveyed and closed as completed
    WHEN the survey job runs just before and twice just after 182 days
    THEN one adoption survey is sent, and its answer (planned) is stored."""
    enquiry = resolved()
    with time_machine.travel(START + timedelta(days=14, hours=1), tick=False):
        run_commits(surveys_send_due)
    with time_machine.travel(START + timedelta(days=50), tick=False):
        run_commits(surveys_close_unanswered)
    mail.outbox.clear()
    with time_machine.travel(START + timedelta(days=181), tick=False):
        assert run_commits(surveys_send_due) == 0
    with time_machine.travel(START + timedelta(days=182, minutes=1), tick=False):
        assert run_commits(surveys_send_due) == 1
        assert run_commits(surveys_send_due) == 0
        adoption = SurveyResponse.objects.get(enquiry=enquiry, kind=SurveyResponse.Kind.ADOPTION)
        survey_answer(token=adoption.token, adopted="planned", comment="Rufbus startet 2027")
    assert len(sent_to(enquiry.contact_email)) == 1
    adoption.refresh_from_db()
    assert adoption.adopted == "planned" and adoption.answered_at is not None


# --- the pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def open_survey(resolved, run_commits):
    enquiry = resolved()
    with time_machine.travel(START + timedelta(days=14, hours=1), tick=False):
        run_commits(surveys_send_due)
    return SurveyResponse.objects.get(enquiry=enquiry)


def test_the_survey_page_asks_in_german_and_stores_the_answer(open_survey):
    client = Client()
    url = f"/umfrage/{open_survey.token}/"
    with time_machine.travel(START + timedelta(days=15), tick=False):
        page = client.get(url)
        assert page.status_code == 200
        assert "Wie zufrieden waren Sie" in page.content.decode()
        answer = client.post(url, {"score": "4", "useful": "yes", "comment": "Danke"})
        assert answer.status_code == 200
        assert "Vielen Dank" in answer.content.decode()
        again = client.post(url, {"score": "1", "useful": "no"})
    assert again.status_code == 409
    assert "bereits beantwortet" in again.content.decode()
    open_survey.refresh_from_db()
    assert (open_survey.score, open_survey.useful, open_survey.comment) == (4, True, "Danke")


def test_the_survey_page_shows_field_errors_and_stores_nothing_for_bad_input(open_survey):
    with time_machine.travel(START + timedelta(days=15), tick=False):
        answer = Client().post(f"/umfrage/{open_survey.token}/", {"score": "9"})
    assert answer.status_code == 400
    open_survey.refresh_from_db()
    assert open_survey.answered_at is None


def test_an_unknown_or_expired_token_gets_a_clear_german_page(open_survey):
    unknown = Client().get("/umfrage/" + "y" * 32 + "/")
    assert unknown.status_code == 404
    assert "Diesen Umfrage-Link kennen wir nicht" in unknown.content.decode()
    with time_machine.travel(START + timedelta(days=60), tick=False):
        expired = Client().post(f"/umfrage/{open_survey.token}/", {"score": "5", "useful": "yes"})
    assert expired.status_code == 400
    assert "abgelaufen" in expired.content.decode()
    open_survey.refresh_from_db()
    assert open_survey.answered_at is None

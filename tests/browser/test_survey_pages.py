"""The survey page in a real browser: a municipality answers once; the second time it is told so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import SurveyResponse
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _survey(kind: str) -> SurveyResponse:
    enquiry = f.EnquiryFactory(subject="Rufbus im ländlichen Raum")
    now = timezone.now()
    return SurveyResponse.objects.create(enquiry=enquiry, kind=kind, sent_at=now, expires_at=now + timedelta(days=30))


def test_a_municipality_answers_the_satisfaction_survey_once(live_server, page, artifacts_dir, assert_accessible):
    """GIVEN a satisfaction survey link
    WHEN the municipality opens it, picks 4 and "ja", writes a comment and sends, then opens the link again
    THEN it sees the thank-you page, the answer is stored, and the second visit says it was already answered."""
    survey = _survey(SurveyResponse.Kind.SATISFACTION)
    url = f"{live_server.url}/umfrage/{survey.token}/"
    page.goto(url)
    assert "Wie zufrieden waren Sie?" in page.inner_text("h1")
    page.screenshot(path=str(artifacts_dir / "survey_satisfaction_form.png"), full_page=True)
    assert_accessible(page)
    page.check("#field-score input[value='4']")
    page.check("#field-useful input[value='yes']")
    page.fill("textarea[name='comment']", "Der Kontakt nach Ulm war Gold wert.")
    page.click("button[type='submit']")
    page.wait_for_selector("text=Vielen Dank für Ihre Antwort!")
    assert_accessible(page)
    survey.refresh_from_db()
    assert (survey.score, survey.useful) == (4, True)
    assert survey.comment == "Der Kontakt nach Ulm war Gold wert."

    page.goto(url)
    assert "bereits beantwortet" in page.inner_text(".survey-refused")
    page.screenshot(path=str(artifacts_dir / "survey_already_answered.png"), full_page=True)
    assert_accessible(page)


def test_a_missing_choice_is_shown_at_the_field_and_nothing_is_stored(live_server, page, assert_accessible):
    survey = _survey(SurveyResponse.Kind.ADOPTION)
    page.goto(f"{live_server.url}/umfrage/{survey.token}/")
    assert "Was ist aus Ihrem Vorhaben geworden?" in page.inner_text("h1")
    page.click("button[type='submit']")
    assert page.locator("#field-adopted .errorlist").is_visible()
    assert_accessible(page)
    survey.refresh_from_db()
    assert survey.answered_at is None
    page.check("#field-adopted input[value='planned']")
    page.fill("textarea[name='comment']", "Ausschreibung läuft")
    page.click("button[type='submit']")
    page.wait_for_selector("text=Vielen Dank für Ihre Antwort!")
    survey.refresh_from_db()
    assert survey.adopted == "planned"


def test_an_unknown_link_shows_a_clear_german_page(live_server, page, assert_accessible):
    response = page.goto(f"{live_server.url}/umfrage/{'z' * 32}/")
    assert response.status == 404
    assert "Diesen Umfrage-Link kennen wir nicht" in page.inner_text(".survey-refused")
    assert_accessible(page)

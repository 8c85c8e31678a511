"""The model project's contact answers an introduction in a real browser, without an account."""

from __future__ import annotations

import pytest

from cases.intake import enquiry_submit
from cases.services import enquiry_transition
from matching.models import Introduction, Match
from matching.proposals import match_decide
from outbox.models import OutboxMessage
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _requested_introduction() -> Introduction:
    mobility = f.TopicFactory(slug="mobility", name_de="Mobilität", keywords=["bus"])
    home = f.MunicipalityFactory(ags="14521710", short_name="Zwönitz", kind="stadt", bundesland="SN", population=11_700)
    project = f.ModelProjectFactory(name="Zwönitz", lead_municipality=home, topics=[mobility])
    f.MeasureFactory(model_project=project, title="Erzmobil (Mobilität on Demand)", topics=[mobility])
    f.MunicipalityFactory(ags="14522180", short_name="Freiberg", kind="stadt", bundesland="SN", population=40_000)
    partner = f.PartnerFactory(short_name="DIFU", expertise=[mobility])
    coordinator = f.UserFactory(username="koordination", role="coordinator")
    staff = f.UserFactory(username="difu", role="partner", partner=partner)
    enquiry = enquiry_submit(
        municipality_ags="14522180",
        contact_name="Paula Beispiel",
        contact_email="paula@freiberg.example",
        subject="Rufbus für die Ortsteile",
        message="Wie habt ihr den Bus auf Bestellung organisiert?",
        topic_slugs=["mobility"],
        support_type="contact",
        consent=True,
    )
    enquiry = enquiry_transition(enquiry=enquiry, name="triage", by=coordinator)
    enquiry = enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": partner.pk})
    enquiry_transition(enquiry=enquiry, name="accept", by=staff)
    match_decide(match=Match.objects.get(model_project=project), decision="accepted", by=staff)
    return Introduction.objects.get()


def test_the_project_contact_accepts_on_the_token_page(page, live_server, artifacts_dir, assert_accessible):
    """GIVEN an introduction requested by e-mail
    WHEN the project's contact opens the link, writes a note and clicks "Zusagen"
    THEN the page thanks them, both sides get the contact details, and the link cannot be used again."""
    introduction = _requested_introduction()
    link = f"{live_server.url}/vermittlung/{introduction.token}/"
    assert f"/vermittlung/{introduction.token}/" in OutboxMessage.objects.get(template="introduction_request").text

    page.goto(link)
    assert page.locator("h1").inner_text() == "Kontaktvermittlung"
    assert "Freiberg" in page.content()
    assert "Rufbus für die Ortsteile" in page.content()
    assert "paula@freiberg.example" not in page.content()
    page.screenshot(path=str(artifacts_dir / "introduction-answer.png"), full_page=True)
    assert_accessible(page)
    page.fill("textarea[name=note]", "Gern, rufen Sie uns an.")
    page.click("button:has-text('Zusagen')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Vielen Dank für Ihre Antwort"
    assert "Sie haben zugesagt" in page.content()
    assert_accessible(page)

    introduction.refresh_from_db()
    assert introduction.state == "accepted"
    assert introduction.answer_note == "Gern, rufen Sie uns an."
    assert OutboxMessage.objects.filter(template="introduction_accepted").count() == 2

    page.goto(link)
    assert page.locator("h1").inner_text() == "Dieser Link wurde bereits verwendet"
    page.screenshot(path=str(artifacts_dir / "introduction-used.png"), full_page=True)
    assert_accessible(page)


def test_an_unknown_link_shows_a_clear_german_page(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/vermittlung/gibt-es-nicht-0123456789/")
    assert page.locator("h1").inner_text() == "Link ungültig"
    assert_accessible(page)

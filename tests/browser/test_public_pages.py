"""A new user in a real browser: the enquiry form with the municipality search, then the status page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.intake import enquiry_submit
from cases.models import Enquiry
from cases.services import enquiry_transition
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_municipality_submits_the_form_and_reads_its_status_page(page, live_server, artifacts_dir, assert_accessible):
    """GIVEN the directory holds Bamberg and a mobility topic exists
    WHEN a person searches "bamb" in the form, picks Bamberg, fills the form, consents and submits
    THEN the thank-you page shows the reference and a status link, and the status page shows the state in
    plain German and the withdraw button."""
    f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", kind="kreisfreie_stadt")
    f.MunicipalityFactory(ags="09471000", name="Bamberg, Landkreis", short_name="Bamberg", level="kreis")
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])

    page.goto(f"{live_server.url}/anfrage/")
    assert page.locator("h1").inner_text() == "Ihre Anfrage an die Transferstelle"
    assert_accessible(page)
    page.fill("#id_municipality_search", "bamb")
    option = page.locator("#municipality-results li", has_text="09461000")
    option.wait_for(timeout=10_000)
    assert_accessible(page)  # with the suggestions open
    option.click()
    assert page.input_value("#id_municipality") == "09461000"
    page.fill("#id_contact_name", "Erika Muster")
    page.fill("#id_contact_email", "erika@bamberg.example")
    page.fill("#id_subject", "Radverkehr <b>in</b> der Altstadt")
    page.fill("#id_message", "Wie habt ihr das Radnetz geplant?")
    page.check("input[name=topics][value=mobilitaet]")
    page.select_option("#id_support_type", "contact")
    page.check("#id_consent")
    assert page.locator("a[href='/datenschutz/']").count() >= 1
    page.click("button[type=submit]")

    page.wait_for_url(re.compile(r"/anfrage/danke/$"))
    enquiry = Enquiry.objects.get()
    assert page.locator("#reference").inner_text() == enquiry.reference
    page.screenshot(path=str(artifacts_dir / "public-thanks.png"), full_page=True)
    assert_accessible(page)

    page.click("#status-link")
    page.wait_for_url(re.compile(r"/status/"))
    assert page.locator("#state").inner_text() == "neu"
    assert "eingegangen" in page.locator("#status-text").inner_text()
    assert page.locator("h1").inner_text().endswith(enquiry.reference)
    assert "<b>in</b>" in page.locator("p.muted").first.inner_text()  # shown as text, not markup
    assert page.locator("button", has_text="Anfrage zurückziehen").is_visible()
    page.screenshot(path=str(artifacts_dir / "public-status.png"), full_page=True)
    assert_accessible(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Anfrage zurückziehen')")
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "abgeschlossen"
    assert Enquiry.objects.get().close_reason == "withdrawn"
    assert_accessible(page)


def test_the_form_with_its_errors_is_accessible(page, live_server, assert_accessible):
    """GIVEN the enquiry form WHEN it is sent empty THEN each error is said at its field and the page passes
    axe-core (WCAG 2.1 AA)."""
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    page.goto(f"{live_server.url}/anfrage/")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() >= 1
    assert_accessible(page)


def test_the_status_page_with_a_question_and_the_reply_form_is_accessible(page, live_server, assert_accessible):
    """GIVEN a case whose partner asked the municipality a question
    WHEN the municipality opens its status page and answers
    THEN the page with the question and the form, and then with the answer, passes axe-core (WCAG 2.1 AA)."""
    f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", kind="kreisfreie_stadt")
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    partner = f.PartnerFactory(short_name="DIFU")
    coordinator = f.UserFactory(username="koordination", role="coordinator")
    staff = f.UserFactory(username="difu", role="partner", partner=partner)
    enquiry = enquiry_submit(
        municipality_ags="09461000",
        contact_name="Erika Muster",
        contact_email="erika@bamberg.example",
        subject="Radverkehr in der Altstadt",
        message="Wie haben Sie das Radnetz geplant?",
        topic_slugs=["mobilitaet"],
        support_type="contact",
        consent=True,
    )
    enquiry = enquiry_transition(enquiry=enquiry, name="triage", by=coordinator)
    enquiry = enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": partner.pk})
    enquiry = enquiry_transition(enquiry=enquiry, name="accept", by=staff)
    enquiry_transition(
        enquiry=enquiry, name="request_info", by=staff, payload={"message": "Wie groß ist die Altstadt?"}
    )

    page.goto(f"{live_server.url}/status/{enquiry.public_token}/")
    assert "Wie groß ist die Altstadt?" in page.inner_text(".timeline")
    assert_accessible(page)
    page.fill("#id_message", "Etwa zwei Quadratkilometer.")
    page.click("button:has-text('Antwort senden')")
    page.wait_for_load_state()
    assert "Etwa zwei Quadratkilometer." in page.inner_text(".timeline")
    assert_accessible(page)


def test_the_status_page_shows_partner_introductions_and_takes_a_message(
    page, live_server, artifacts_dir, assert_accessible, coordinator, partner, partner_user
):
    """GIVEN a case in progress at a partner with two introductions to model projects
    WHEN the municipality opens its status page and sends a message without being asked
    THEN the page names the partner and the introductions in words, shows the message in the timeline, the
    state stays, and axe-core finds no WCAG 2.1 AA violation; a resolved case shows its outcome likewise."""
    from matching.models import Introduction
    from tests import builders as b

    f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", kind="kreisfreie_stadt")
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    enquiry = b.enquiry_submitted(municipality="09461000", subject="Radverkehr in der Altstadt")
    enquiry = b.enquiry_brought_to(enquiry, "in_progress", coordinator=coordinator, staff=partner_user, partner=partner)
    for name, state in [("Amt Dorfland", "requested"), ("Stadt Ulm", "accepted")]:
        project = f.ModelProjectFactory(name=name)
        Introduction.objects.create(enquiry=enquiry, model_project=project, state=state, created_at=enquiry.created_at)

    page.goto(f"{live_server.url}/status/{enquiry.public_token}/")
    assert page.locator("#status-partner").inner_text() == partner.name
    introductions = page.locator("#status-introductions li").all_inner_texts()
    assert introductions == [
        "Amt Dorfland: angefragt, die Antwort steht noch aus",
        "Stadt Ulm: hat zugesagt, Sie erhalten die Kontaktdaten per E-Mail",
    ]
    assert_accessible(page)
    page.get_by_label("Ihre Nachricht").fill("Wir möchten auch den ländlichen Raum einbeziehen.")
    page.get_by_role("button", name="Nachricht senden").click()
    page.wait_for_load_state()
    assert "Ihre Nachricht ist eingegangen" in page.locator("#messages").inner_text()
    assert "ländlichen Raum" in page.locator(".timeline").inner_text()
    assert page.locator("#state").inner_text() == "in Bearbeitung"
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "public-status-message.png"), full_page=True)

    resolved = b.enquiry_submitted(
        municipality="09461000", subject="Ladesäulen im Quartier", contact_email="x@y.example"
    )
    resolved = b.enquiry_brought_to(resolved, "resolved", coordinator=coordinator, staff=partner_user, partner=partner)
    page.goto(f"{live_server.url}/status/{resolved.public_token}/")
    assert page.locator("#status-outcome").inner_text() == "Information bereitgestellt"
    assert_accessible(page)

    page.goto(f"{live_server.url}/status/{'x' * 32}/")
    assert page.locator("h1").inner_text() == "Dieser Link ist ungültig oder abgelaufen"
    assert_accessible(page)


def test_the_municipality_search_tells_a_kreis_from_its_city_and_says_when_it_finds_nothing(
    page, live_server, assert_accessible
):
    """GIVEN the directory holds Bamberg as a city (Gemeinde), as the city's district-level key, and the
    Landkreis Bamberg WHEN a person searches "Bamberg" THEN the three suggestions differ by kind and level and
    the live region says how many were found; WHEN the search finds nothing THEN the live region says so."""
    f.MunicipalityFactory(ags="09461000", name="Bamberg", short_name="Bamberg", kind="kreisfreie_stadt")
    f.MunicipalityFactory(ags="09461", name="Bamberg", short_name="Bamberg", kind="kreisfreie_stadt", level="kreis")
    f.MunicipalityFactory(ags="09471", name="Bamberg", short_name="Bamberg", kind="landkreis", level="kreis")

    page.goto(f"{live_server.url}/anfrage/")
    page.fill("#id_municipality_search", "Bamberg")
    options = page.locator("#municipality-results li")
    options.nth(2).wait_for(timeout=10_000)
    texts = sorted(options.all_inner_texts())
    assert texts == [
        "Bamberg – Landkreis, BY – 09471",
        "Bamberg – kreisfreie Stadt (Gemeinde), BY – 09461000",
        "Bamberg – kreisfreie Stadt (Kreisebene), BY – 09461",
    ]
    status = page.locator("#municipality-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text().startswith("3 Kommunen gefunden")

    page.fill("#id_municipality_search", "Xyzzyhausen")
    # (not wait_for_function: it eval()s its string in the page, which the Content-Security-Policy forbids)
    expect(status).to_have_text(re.compile(r"^Keine"))
    assert status.inner_text().startswith("Keine Kommune gefunden.")
    assert page.locator("#municipality-results").is_hidden()
    assert_accessible(page)

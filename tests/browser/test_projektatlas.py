"""The Projektatlas in a real browser, on the real catalogue: search, filter, open a measure, ask about it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from cases.models import Enquiry
from catalogue.models import Measure
from matching.models import Match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(directory):
    call_command("import_model_projects", verbosity=0)


def test_a_municipality_finds_a_measure_in_the_atlas_asks_about_it_and_its_project_leads_the_proposals(
    page, live_server, artifacts_dir, assert_accessible, catalogue
):
    """GIVEN the real catalogue (73 projects, 319 measures) and the municipality directory
    WHEN a clerk of Ebermannstadt (Bavaria) opens /projekte/, searches a word of a measure description
    ("Beteiligungsplattformen"), filters by Land Niedersachsen, opens Hildesheim's "Beteiligungstoolbox",
    clicks „Zu dieser Maßnahme anfragen“, fills the form and submits
    THEN every page passes axe-core (WCAG 2.1 AA), the form names the measure, the enquiry stores it, and the
    first model-project proposal is Hildesheim, although Bamberg, which built the same toolbox, is nearer."""
    measure = Measure.objects.select_related("model_project").get(
        model_project__name="Hildesheim", title__startswith="Beteiligungstoolbox"
    )
    project = measure.model_project

    page.goto(f"{live_server.url}/")
    page.click("header nav >> text=Projektatlas")
    page.wait_for_url(re.compile(r"/projekte/$"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text().startswith("Projektatlas")
    assert page.locator("#result-count").inner_text().startswith("73 Modellprojekte")
    assert page.locator("svg.atlas-svg circle").count() >= 70
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "atlas-list.png"), full_page=True)

    # search with the keyboard: type, Enter submits the search form
    page.fill("#id_q", "Beteiligungsplattformen")
    page.press("#id_q", "Enter")
    page.wait_for_url(re.compile(r"q=Beteiligungsplattformen"))
    found = page.locator("article.project h3").all_inner_texts()
    assert {"Bamberg", "Hildesheim", "Kiel", "Hansestadt Lübeck"} & set(found)
    assert "Hildesheim" in found

    page.select_option("#id_land", "NI")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"land=NI"))
    assert page.input_value("#id_q") == "Beteiligungsplattformen"
    in_lower_saxony = page.locator("article.project h3").all_inner_texts()
    # the best hit first: the compound also finds "Beteiligung" and "Plattform" in other Lower Saxon projects
    assert in_lower_saxony[0] == "Hildesheim"
    assert "Bamberg" not in in_lower_saxony
    assert all("Niedersachsen" in meta for meta in page.locator("article.project .meta").all_inner_texts())
    assert page.locator("#result-count").inner_text().startswith(f"{len(in_lower_saxony)} Modellprojekte")
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "atlas-search-filtered.png"), full_page=True)

    page.click(f"article.project a:has-text('{measure.title}')")
    page.wait_for_url(re.compile(rf"/projekte/{project.slug}/massnahmen/{measure.pk}/$"))
    assert page.locator("h1").inner_text() == measure.title
    assert "in Umsetzung" in page.locator("#measure-status").inner_text()
    assert page.locator("text=Quelle: Modellprojekte Smart Cities des Bundes").count() == 1
    assert page.locator(".sources a").count() >= 1
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "atlas-measure.png"), full_page=True)

    page.click("text=Zu dieser Maßnahme anfragen")
    page.wait_for_url(re.compile(rf"/anfrage/\?massnahme={measure.pk}$"))
    named = page.locator("#measure-named").inner_text()
    assert f"Ihre Anfrage bezieht sich auf die Maßnahme „{measure.title}“ des Modellprojekts Hildesheim" in named
    assert page.input_value("input[name=measure]") == str(measure.pk)
    assert_accessible(page)

    page.fill("#id_municipality_search", "Ebermann")
    option = page.locator("#municipality-results li", has_text="09474121")
    option.wait_for(timeout=10_000)
    option.click()
    assert page.input_value("#id_municipality") == "09474121"
    page.fill("#id_contact_name", "Erika Muster")
    page.fill("#id_contact_email", "erika.muster@ebermannstadt.example")
    page.fill("#id_subject", "Online-Beteiligung bündeln")
    page.fill(
        "#id_message",
        "Wir haben mehrere Online-Portale, auf denen Bürgerinnen und Bürger mitreden können. "
        "Wie habt ihr die verschiedenen Plattformen zur Bürgerbeteiligung zusammengeführt?",
    )
    page.select_option("#id_support_type", "contact")
    page.check("#id_consent")
    page.screenshot(path=str(artifacts_dir / "atlas-enquiry-form.png"), full_page=True)
    page.click("#enquiry-form button[type=submit]")
    page.wait_for_url(re.compile(r"/anfrage/danke/$"))

    enquiry = Enquiry.objects.get()
    assert enquiry.measure_id == measure.pk
    first = Match.objects.filter(enquiry=enquiry, kind=Match.Kind.MODEL_PROJECT).order_by("rank").first()
    assert first is not None and first.rank == 1
    assert first.model_project_id == project.pk, f"first proposal is {first.model_project}, not {project}"

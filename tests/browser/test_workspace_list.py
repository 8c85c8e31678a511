"""The workspace landing and case list in a real browser: a coordinator lands on the queues, follows "Neu" and
finds a case by a word of its message; partner staff see their partner's cases only. WCAG 2.1 AA checked."""

from __future__ import annotations

import re

import pytest

from tests import builders as b
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cases():
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    town = f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")
    difu = f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik")
    ccc = f.PartnerFactory(short_name="CCC", name="Creative Climate Cities")
    coordinator = f.UserFactory(username="koordination", role="coordinator")
    difu_staff = f.UserFactory(username="difu-mitarbeiterin", role="partner", partner=difu)
    ccc_staff = f.UserFactory(username="ccc-mitarbeiter", role="partner", partner=ccc)
    bins = b.enquiry_submitted(
        municipality=town,
        subject="Abfallwirtschaft",
        message="Wir möchten smarte Papierkörbe mit Füllstandssensor aufstellen.",
        contact_email="a@bamberg.example",
    )
    b.enquiry_submitted(
        municipality=town, subject="Radnetz", message="Wie plant man ein Radnetz?", contact_email="b@x.example"
    )
    ours = b.enquiry_brought_to(
        b.enquiry_submitted(municipality=town, subject="Parkraum", contact_email="c@x.example"),
        "in_progress",
        coordinator=coordinator,
        staff=difu_staff,
        partner=difu,
    )
    theirs = b.enquiry_brought_to(
        b.enquiry_submitted(municipality=town, subject="Schwammstadt", contact_email="d@x.example"),
        "assigned",
        coordinator=coordinator,
        staff=ccc_staff,
        partner=ccc,
    )
    return bins, ours, theirs, coordinator, difu_staff


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", "geheim-123")
    page.click("button[type='submit']")
    page.wait_for_url(f"{live_server.url}/intern/")


def test_a_coordinator_lands_on_the_queues_and_finds_a_case_by_a_word_of_its_message(
    page, live_server, artifacts_dir, assert_accessible
):
    """GIVEN two new cases, one in progress and one assigned WHEN the coordinator logs in THEN the landing shows
    the queues with their counts; following "Neu" lists the two new cases; searching "Papierkorb" finds the
    case whose message speaks of "Papierkörbe", and its reference links to the case page."""
    bins, _ours, _theirs, coordinator, _staff = _cases()
    _log_in(page, live_server, coordinator.username)
    assert page.locator("h1").inner_text() == "Übersicht"
    assert page.locator("[data-queue='new']").inner_text() == "2"
    assert page.locator("[data-queue='to_route']").inner_text() == "0"
    page.screenshot(path=str(artifacts_dir / "workspace-landing-coordinator.png"), full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Neu \d+$")).click()
    page.wait_for_url("**/intern/faelle/?queue=new")
    assert page.locator("tr.case-row").count() == 2
    assert_accessible(page)

    page.get_by_label("Suche").fill("Papierkorb")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url(re.compile(r".*q=Papierkorb.*"))
    rows = page.locator("tr.case-row")
    assert rows.count() == 1
    link = rows.first.get_by_role("link", name=bins.reference)
    assert link.get_attribute("href") == f"/intern/faelle/{bins.pk}/"
    assert "noch" in rows.first.locator(".time-left").inner_text()
    page.screenshot(path=str(artifacts_dir / "workspace-list-search.png"), full_page=True)
    assert_accessible(page)


def test_a_bad_filter_is_explained_next_to_its_field_in_the_browser(page, live_server, assert_accessible):
    _bins, _ours, _theirs, coordinator, _staff = _cases()
    _log_in(page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/intern/faelle/?state=verloren")
    assert page.locator("#id_state-error").is_visible()
    assert page.get_by_label("Status").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_partner_staff_see_only_their_partners_cases(page, live_server, artifacts_dir, assert_accessible):
    _bins, ours, theirs, _coordinator, difu_staff = _cases()
    _log_in(page, live_server, difu_staff.username)
    assert page.locator("[data-queue='in_progress']").inner_text() == "1"
    assert page.locator("[data-queue='assigned']").inner_text() == "0"
    page.screenshot(path=str(artifacts_dir / "workspace-landing-partner.png"), full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Fälle", exact=True).click()
    page.wait_for_url("**/intern/faelle/")
    references = page.locator("tr.case-row td:first-child").all_inner_texts()
    assert references == [ours.reference]
    assert theirs.reference not in page.content()
    page.screenshot(path=str(artifacts_dir / "workspace-list-partner.png"), full_page=True)
    assert_accessible(page)

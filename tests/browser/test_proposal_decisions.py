"""A coordinator decides proposals on the staff page in a real browser: accepting a partner assigns the case."""

from __future__ import annotations

import pytest

from cases.intake import enquiry_submit
from cases.models import Enquiry
from cases.services import enquiry_transition
from matching.models import Match
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _triaged_case_with_a_partner_proposal():
    mobility = f.TopicFactory(slug="mobility", name_de="Mobilität", keywords=["bus"])
    home = f.MunicipalityFactory(ags="14521710", short_name="Zwönitz", kind="stadt", bundesland="SN", population=11_700)
    project = f.ModelProjectFactory(name="Zwönitz", lead_municipality=home, topics=[mobility])
    f.MeasureFactory(model_project=project, title="Erzmobil (Mobilität on Demand)", topics=[mobility])
    f.MunicipalityFactory(ags="14522180", short_name="Freiberg", kind="stadt", bundesland="SN", population=40_000)
    partner = f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik", expertise=[mobility])
    coordinator = f.UserFactory(username="koordination", role="coordinator")
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
    # the decision is under test, not the ranking: make sure the partner is among the proposals
    Match.objects.get_or_create(
        enquiry=enquiry,
        kind="partner",
        partner=partner,
        defaults={"score": 0.5, "rank": 1, "computed_at": enquiry.created_at},
    )
    return enquiry, partner, coordinator


def test_a_coordinator_accepts_a_partner_proposal_and_sees_the_case_assigned(
    page, live_server, artifacts_dir, assert_accessible
):
    """GIVEN a triaged case with the partner DIFU among its proposals
    WHEN the coordinator logs in, opens the case's proposals and clicks "Annehmen" for DIFU
    THEN the page says the case is now assigned to DIFU, shows the new state and partner, the proposal is
    accepted, and the page passes the WCAG 2.1 AA checks before and after."""
    enquiry, partner, coordinator = _triaged_case_with_a_partner_proposal()
    path = f"/intern/faelle/{enquiry.pk}/vorschlaege/"
    page.goto(f"{live_server.url}/anmelden/?next={path}")
    page.fill("input[name='username']", coordinator.username)
    page.fill("input[name='password']", "geheim-123")
    page.click("button[type='submit']")
    page.wait_for_url(f"**{path}")
    assert page.locator("h1").inner_text() == f"Vorschläge zu {enquiry.reference}"
    assert page.locator("#case-state").inner_text() == "gesichtet"
    assert_accessible(page)

    page.get_by_role("button", name="Annehmen: Deutsches Institut für Urbanistik").click()
    page.wait_for_load_state()
    message = page.locator(".messages li").first.inner_text()
    assert message == "Vorschlag angenommen: Die Anfrage ist jetzt „Deutsches Institut für Urbanistik“ zugewiesen."
    assert page.locator("#case-state").inner_text() == "zugewiesen"
    assert page.locator("#case-partner").inner_text() == "Deutsches Institut für Urbanistik"
    assert page.get_by_role("button", name="Annehmen: Deutsches Institut für Urbanistik").count() == 0
    page.screenshot(path=str(artifacts_dir / "proposal-accepted.png"), full_page=True)
    assert_accessible(page)

    stored = Enquiry.objects.get(pk=enquiry.pk)
    assert stored.state == "assigned" and stored.assigned_partner == partner
    assert Match.objects.get(enquiry=enquiry, partner=partner).decision == "accepted"


def test_a_refused_acceptance_is_said_plainly_on_the_page(page, live_server, assert_accessible):
    """GIVEN a triaged case WHEN the coordinator accepts a model project (no partner works on the case yet)
    THEN the page says why not and the proposal keeps its buttons."""
    enquiry, _partner, coordinator = _triaged_case_with_a_partner_proposal()
    project = Match.objects.filter(enquiry=enquiry, kind="model_project").select_related("model_project").first()
    path = f"/intern/faelle/{enquiry.pk}/vorschlaege/"
    page.goto(f"{live_server.url}/anmelden/?next={path}")
    page.fill("input[name='username']", coordinator.username)
    page.fill("input[name='password']", "geheim-123")
    page.click("button[type='submit']")
    page.wait_for_url(f"**{path}")
    page.get_by_role("button", name=f"Annehmen: {project.model_project.name}").click()
    page.wait_for_load_state()
    assert "erst möglich, wenn ein Partner die Anfrage übernommen hat" in page.locator(".messages li").inner_text()
    assert page.get_by_role("button", name=f"Annehmen: {project.model_project.name}").count() == 1
    assert_accessible(page)
    project.refresh_from_db()
    assert project.decision == "proposed"

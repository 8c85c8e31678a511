"""The demand radar in a real browser: a coordinator logs in and reads a group of similar enquiries."""

from __future__ import annotations

import pytest

from tests.radar_builders import radar_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_reads_a_group_on_the_radar(live_server, page, artifacts_dir, assert_accessible, coordinator):
    """GIVEN two similar enquiries on parking sensors and an unrelated one
    WHEN the coordinator logs in and opens the Bedarfsradar from the navigation
    THEN the page shows one group with both cases, the fitting project with its reasons and the event link,
    and axe finds no violation."""
    data = radar_data()
    page.goto(f"{live_server.url}/anmelden/?next=/intern/")
    page.fill("input[name='username']", coordinator.username)
    page.fill("input[name='password']", "geheim-123")
    page.click("button[type='submit']")
    page.wait_for_url("**/intern/")
    page.click("nav.workspace-nav >> text=Bedarfsradar")
    page.wait_for_url("**/intern/radar/")

    assert page.inner_text("h1") == "Bedarfsradar"
    groups = page.locator("section.radar-group")
    assert groups.count() == 1
    text = groups.first.inner_text()
    assert "Mobilität: " in text
    assert "Parkstadt" in text
    for enquiry in data.parking:
        assert enquiry.reference in text
    assert data.unrelated.reference not in text
    href = groups.first.locator("a:has-text('Veranstaltung planen')").get_attribute("href")
    assert href.startswith("/intern/veranstaltungen/neu/?gruppe=mobilitaet--")
    page.screenshot(path=str(artifacts_dir / "radar.png"), full_page=True)
    assert_accessible(page)

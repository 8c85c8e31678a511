"""The dashboard's "Veranstaltungen" panel in a real browser: figures, the next events, accessible."""

from __future__ import annotations

import pytest

from tests import builders as b
from tests.stats.conftest import history  # noqa: F401  (the known history of the stats tests)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_sees_the_next_events_on_the_dashboard(
    live_server,
    page,
    artifacts_dir,
    assert_accessible,
    history,  # noqa: F811
    coordinator,
):
    """GIVEN an event ahead WHEN the coordinator opens /statistik/ THEN the panel lists it with its seats and
    links it to its page in the workspace; the page stays accessible."""
    energy = history.e6.topics.get(slug="energie")
    event = b.event_created(by=coordinator, topics=[energy], title="Wärmeplanung kompakt", capacity=12)
    page.goto(f"{live_server.url}/anmelden/?next=/statistik/")
    page.fill("input[name='username']", coordinator.username)
    page.fill("input[name='password']", "geheim-123")
    page.click("button[type='submit']")
    page.wait_for_url("**/statistik/")

    panel = page.locator("#events-panel")
    assert panel.locator("h2").inner_text() == "Veranstaltungen"
    link = panel.get_by_role("link", name="Wärmeplanung kompakt")
    assert link.get_attribute("href") == f"/intern/veranstaltungen/{event.pk}/"
    assert "0 von 12" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(artifacts_dir / "dashboard_events_panel.png"))
    assert_accessible(page)

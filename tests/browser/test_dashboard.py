"""The dashboard in a real browser: a manager logs in, sees figures, charts and the map, applies a filter."""

from __future__ import annotations

import csv

import pytest

from tests.stats.conftest import history  # noqa: F401  (the known history of the stats tests)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kpi(page, name: str) -> str:
    return page.inner_text(f"[data-kpi='{name}'] .kpi-value").strip()


def test_a_manager_reads_the_dashboard_and_filters_by_bundesland(
    live_server,
    page,
    artifacts_dir,
    assert_accessible,
    history,  # noqa: F811
    directory,
    manager,
):
    """GIVEN the known history of seven enquiries and the municipality directory
    WHEN the manager logs in, opens /statistik/ and filters by Bavaria
    THEN the tiles, charts and map show all seven first, then the four Bavarian ones."""
    page.goto(f"{live_server.url}/anmelden/?next=/statistik/")
    page.fill("input[name='username']", manager.username)
    page.fill("input[name='password']", "geheim-123")
    page.click("button[type='submit']")
    page.wait_for_url("**/statistik/")
    assert "Transferstatistik" in page.inner_text("h1")
    assert kpi(page, "received") == "7"
    assert kpi(page, "municipalities") == "3"
    page.wait_for_selector("canvas#map[data-drawn]")
    assert int(page.get_attribute("canvas#map", "data-directory")) > 10_000
    assert page.evaluate("Object.keys(Chart.instances).length") == 6  # trend + five breakdowns
    page.screenshot(path=str(artifacts_dir / "dashboard_all.png"), full_page=True)
    assert_accessible(page)

    page.select_option("select[name='bundesland']", "BY")
    page.click("#stats-filters button[type='submit']")
    page.wait_for_url("**bundesland=BY**")
    assert kpi(page, "received") == "4"
    assert "Bundesland: Bayern" in page.inner_text("#period")
    page.wait_for_selector("canvas#map[data-drawn]")
    page.screenshot(path=str(artifacts_dir / "dashboard_bayern.png"), full_page=True)
    assert_accessible(page)

    with page.expect_download() as download:
        page.click("text=Fallliste: >> a:has-text('CSV')")
    with open(download.value.path(), encoding="utf-8-sig", newline="") as exported:
        table = list(csv.reader(exported, delimiter=";"))
    assert table[0][0].startswith("Fallliste – Zeitraum:") and table[0][0].endswith("Bundesland: Bayern")
    assert len(table) == 2 + 4

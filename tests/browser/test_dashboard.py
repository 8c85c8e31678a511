"""The dashboard in a real browser: a manager logs in, sees figures, charts and the map, applies a filter."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

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
    # the file starts with its header row; the period and the filter are in its name (issue 13, item 17)
    assert download.value.suggested_filename.startswith("transferstatistik-fallliste_")
    assert download.value.suggested_filename.endswith("_bundesland-BY.csv")
    with open(download.value.path(), encoding="utf-8-sig", newline="") as exported:
        table = list(csv.reader(exported, delimiter=";"))
    assert table[0][:2] == ["Aktenzeichen", "Eingang"]
    assert len(table) == 1 + 4

    with page.expect_download() as download:
        page.click("text=Monate: >> a:has-text('XLSX')")
    assert download.value.suggested_filename.endswith("_bundesland-BY.xlsx")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook.sheetnames == ["Monat", "Filter"]
    assert workbook["Monat"]["A1"].value == "Monat" and workbook["Monat"].freeze_panes == "A2"
    assert ("Bundesland", "Bayern") in [tuple(c.value for c in row) for row in workbook["Filter"].iter_rows()]

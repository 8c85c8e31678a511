"""Issue 13, item 6: a cell that begins with =, +, -, @, a tab or a carriage return is written as text in CSV
and XLSX. Before, a catalogue name "=HYPERLINK(...)" became a live formula in the XLSX file."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from catalogue.models import Topic

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-01-01&to=2026-04-30"
EVIL = ['=HYPERLINK("http://evil.example","klick")', "+1+1", "-2+3", "@SUMME(A1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("name", EVIL)
def test_a_topic_name_that_looks_like_a_formula_is_text_in_both_files(history, manager_client, name):
    """GIVEN the topic "Mobilität" renamed to a formula WHEN the breakdown by topic is exported THEN the XLSX
    cell is a string (not a formula) holding the name, and the CSV cell starts with an apostrophe."""
    Topic.objects.filter(slug="mobilitaet").update(name_de=name)

    xlsx = manager_client.get(f"/api/v1/stats/by/topic/?{PERIOD}&format=xlsx")
    raw = manager_client.get(f"/api/v1/stats/by/topic/?{PERIOD}&format=csv")

    cells = [row[0] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(min_row=2)]
    evil_cells = [cell for cell in cells if isinstance(cell.value, str) and cell.value.lstrip("'") == name]
    assert evil_cells, [cell.value for cell in cells]
    assert all(cell.data_type == "s" for cell in evil_cells)
    table = list(csv.reader(io.StringIO(b"".join(raw.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert "'" + name in [row[0] for row in table[1:]]
    assert name not in [row[0] for row in table[1:]]


def test_ordinary_names_and_numbers_are_written_unchanged(history, manager_client):
    raw = manager_client.get(f"/api/v1/stats/by/topic/?{PERIOD}&format=csv")

    table = list(csv.reader(io.StringIO(b"".join(raw.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert {row[0] for row in table[1:]} >= {"Mobilität", "Energie"}
    assert all(not row[0].startswith("'") for row in table[1:])


def test_a_filter_that_looks_like_a_formula_is_text_on_the_filter_sheet(history, manager_client):
    """GIVEN the topic "Mobilität" renamed to a formula WHEN an export filtered by it is made THEN the sheet
    "Filter" holds the name as a string cell, never a formula (issue 13, items 6 and 17)."""
    Topic.objects.filter(slug="mobilitaet").update(name_de=EVIL[0])

    xlsx = manager_client.get(f"/api/v1/stats/by/channel/?{PERIOD}&topic=mobilitaet&format=xlsx")

    sheet = load_workbook(io.BytesIO(xlsx.content))["Filter"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows()}
    assert (cells["Handlungsfeld"].value, cells["Handlungsfeld"].data_type) == (EVIL[0], "s")

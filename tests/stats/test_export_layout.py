"""Issue 13, item 17: exports people can use. The CSV starts with its header row, the period and the filters
name the file; the XLSX has typed cells (dates as dates, counts and durations as numbers, shares as
percentages), a frozen and filtered header row, sensible column widths and a second sheet "Filter"; months
without enquiries appear with zeros. Before, both files began with a title line above the header, the file
name carried only the day of the download, and every date of the case list was text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from tests.stats.conftest import NOW

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-01-01&to=2026-04-30"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('"')
    return disposition.removeprefix('attachment; filename="').removesuffix('"')


def _column(sheet, title: str) -> int:
    """The 1-based index of the column headed ``title``."""
    return [cell.value for cell in sheet[1]].index(title) + 1


def test_the_csv_starts_with_its_header_row_and_its_name_says_period_and_filters(history, manager_client):
    """GIVEN the history WHEN the breakdown by Bundesland of mobility enquiries is exported as CSV
    THEN the first row holds the column titles and the file name the period and the filter."""
    response = manager_client.get(f"/api/v1/stats/by/bundesland/?{PERIOD}&topic=mobilitaet&format=csv")

    table = _csv(response)
    assert table[0][:4] == ["Bundesland", "Anfragen", "Kommunen", "Anteil kleiner Kommunen (< 20.000)"]
    assert not any("Zeitraum" in cell for row in table for cell in row)
    assert _filename(response) == "transferstatistik-bundesland_2026-01-01_2026-04-30_topic-mobilitaet.csv"


def test_every_filter_goes_into_the_file_name_in_plain_ascii(history, manager_client):
    """GIVEN every filter set (a model project whose name has umlauts and spaces) WHEN exported
    THEN each appears as parameter-value in the name, umlauts spelled out, nothing but [A-Za-z0-9._-]."""
    history.project.name = "Modellprojekt Groß-Überlingen / Süd"
    history.project.save(update_fields=["name"])
    query = (
        f"{PERIOD}&topic=mobilitaet&bundesland=BY&size_class=lt5k&partner={history.partner.pk}"
        f"&model_project={history.project.pk}&channel=web&funded=false"
    )
    response = manager_client.get(f"/api/v1/stats/by/size_class/?{query}&format=xlsx")

    name = _filename(response)
    assert name == (
        "transferstatistik-size-class_2026-01-01_2026-04-30_topic-mobilitaet_bundesland-BY_size-class-lt5k"
        f"_partner-{history.partner.short_name.lower()}_model-project-modellprojekt-gross-ueberlingen-sued"
        "_channel-web_funded-false.xlsx"
    )
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name)


def test_partner_staff_get_their_partner_in_the_file_name(history, partner_client):
    response = partner_client.get(f"/api/v1/stats/cases/?{PERIOD}&format=csv")
    assert _filename(response) == (
        f"transferstatistik-fallliste_2026-01-01_2026-04-30_partner-{history.partner.short_name.lower()}.csv"
    )


def test_the_xlsx_breakdown_has_typed_cells_a_frozen_filtered_header_and_sensible_widths(history, manager_client):
    """GIVEN the history WHEN the breakdown by partner is exported as XLSX
    THEN counts are numbers, shares fractions shown as percentages, durations numbers; the header row is
    frozen and filtered over the whole table, bold, and every column is wide enough but not huge."""
    workbook = _workbook(manager_client.get(f"/api/v1/stats/by/partner/?{PERIOD}&format=xlsx"))

    assert workbook.sheetnames == ["Konsortialpartner", "Filter"]
    sheet = workbook["Konsortialpartner"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row}"
    assert sheet.max_row == 1 + 3  # DIFU, the other partner, not assigned
    assert all(cell.font.b for cell in sheet[1])

    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    difu = rows[history.partner.short_name]
    received = difu[_column(sheet, "Anfragen") - 1]
    assert (received.value, received.data_type, received.number_format) == (3, "n", "#,##0")
    rate = difu[_column(sheet, "Transferquote") - 1]
    assert (rate.value, rate.data_type, rate.number_format) == (0.5, "n", "0.0 %")
    small = difu[_column(sheet, "Anteil kleiner Kommunen (< 20.000)") - 1]
    assert small.number_format == "0.0 %" and 0 <= small.value <= 1
    hours = difu[_column(sheet, "Erledigung, Median (Std.)") - 1]
    assert isinstance(hours.value, int | float) and hours.data_type == "n" and hours.number_format == "0.0"
    mean = difu[_column(sheet, "Zufriedenheit (Mittel 1-5)") - 1]
    assert (mean.value, mean.number_format) == (4.0, "0.00")

    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert len(widths) == 18
    assert all(8 <= width <= 60 for width in widths.values()), widths
    assert widths["A"] >= len("Konsortialpartner")


def test_the_xlsx_case_list_holds_moments_as_dates(history, manager_client):
    """GIVEN E1, received 02.03.2026 09:00 UTC (10:00 in Berlin) and resolved WHEN the case list is exported
    THEN its moments are date cells in local time with a date format; an empty moment is an empty cell."""
    workbook = _workbook(manager_client.get(f"/api/v1/stats/cases/?{PERIOD}&format=xlsx"))
    sheet = workbook.active

    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    e1 = rows[history.e1.reference]
    received = e1[_column(sheet, "Eingang") - 1]
    assert received.is_date and received.value == dt.datetime(2026, 3, 2, 10, 0)
    assert received.number_format == "dd.mm.yyyy hh:mm"
    resolved = e1[_column(sheet, "erledigt") - 1]
    assert resolved.is_date and resolved.value == dt.datetime(2026, 3, 10, 10, 0)
    e7 = rows[history.e7.reference]
    assert e7[_column(sheet, "erledigt") - 1].value is None
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:R{1 + 7}"
    assert sheet.column_dimensions["B"].width >= 16  # "02.03.2026 10:00" fits

    # the CSV writes the same moments the German way
    table = _csv(manager_client.get(f"/api/v1/stats/cases/?{PERIOD}&format=csv"))
    by_reference = {row[0]: row for row in table[1:]}
    assert by_reference[history.e1.reference][1] == "02.03.2026 10:00"


def test_the_summary_xlsx_types_each_figure_as_what_it_is(history, manager_client):
    workbook = _workbook(manager_client.get(f"/api/v1/stats/summary/?{PERIOD}&format=xlsx"))
    sheet = workbook["Kennzahlen"]

    figures = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert (figures["Anfragen eingegangen"].value, figures["Anfragen eingegangen"].number_format) == (7, "#,##0")
    assert (figures["Transferquote"].value, figures["Transferquote"].number_format) == (0.3333, "0.0 %")
    assert figures["Rücklaufquote Befragung"].number_format == "0.0 %"
    assert figures["Erledigung, Median (Std.)"].number_format == "0.0"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:B{sheet.max_row}"


def test_the_filter_sheet_says_what_the_file_counts_and_when_it_was_made(history, manager_client):
    """GIVEN a filtered export WHEN opened THEN the sheet "Filter" lists the title, the period as dates,
    one row per filter (label, value) and when the file was made (local time)."""
    query = f"{PERIOD}&topic=mobilitaet&bundesland=BY&funded=false"
    workbook = _workbook(manager_client.get(f"/api/v1/stats/by/channel/?{query}&format=xlsx"))

    sheet = workbook["Filter"]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0] == ("Angabe", "Wert")
    assert rows[1:] == [
        ("Inhalt", "Transferstatistik nach Eingangskanal"),
        ("Zeitraum von", dt.datetime(2026, 1, 1)),
        ("Zeitraum bis", dt.datetime(2026, 4, 30)),
        ("Handlungsfeld", "Mobilität"),
        ("Bundesland", "Bayern"),
        ("gefördert", "nein"),
        ("erstellt am", dt.datetime(2026, 4, 10, 14, 0)),  # NOW, 12:00 UTC, in Berlin
    ]
    assert sheet["B3"].number_format == "dd.mm.yyyy"
    assert sheet["B8"].number_format == "dd.mm.yyyy hh:mm"
    assert sheet.freeze_panes == "A2"


def test_months_without_enquiries_appear_with_zeros_in_the_api_and_both_files(history, manager_client):
    """GIVEN enquiries in January, March and April, none in February WHEN the month breakdown is read
    THEN February is a row with zeros in the JSON, the CSV and the XLSX; the XLSX's month is a date."""
    results = manager_client.get(f"/api/v1/stats/by/month/?{PERIOD}").json()["results"]
    assert [(row["key"], row["received"]) for row in results] == [
        ("2026-01", 1),
        ("2026-02", 0),
        ("2026-03", 4),
        ("2026-04", 2),
    ]
    assert results[1]["label"] == "02/2026" and results[1]["transfer_rate"] is None

    table = _csv(manager_client.get(f"/api/v1/stats/by/month/?{PERIOD}&format=csv"))
    assert table[0][:2] == ["Monat", "Anfragen"]
    assert [(row[0], row[1]) for row in table[1:]] == [
        ("01/2026", "1"),
        ("02/2026", "0"),
        ("03/2026", "4"),
        ("04/2026", "2"),
    ]
    february = dict(zip(table[0], table[2], strict=True))
    assert (february["erfolgreicher Transfer"], february["Transferquote"]) == ("0", "")

    sheet = _workbook(manager_client.get(f"/api/v1/stats/by/month/?{PERIOD}&format=xlsx")).active
    months = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in months] == [dt.datetime(2026, month, 1) for month in (1, 2, 3, 4)]
    assert all(cell.is_date and cell.number_format == "mm/yyyy" for cell in months)
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [1, 0, 4, 2]

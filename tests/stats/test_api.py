"""/api/v1/stats/: who sees what, bad input, exports."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from openpyxl import load_workbook

from tests import factories as f
from tests.conftest import client_for
from tests.stats.conftest import NOW

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-01-01&to=2026-04-30"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_manager_sees_the_summary_of_everything(history, manager_client):
    response = manager_client.get(f"/api/v1/stats/summary/?{PERIOD}")
    assert response.status_code == 200
    body = response.json()
    assert body["volume"]["received"] == 7
    assert body["outcomes"]["transfer_rate"] == 0.3333
    assert body["period"] == {"from": "2026-01-01", "to": "2026-04-30"}


def test_a_coordinator_sees_every_breakdown(history, coordinator_client):
    for dimension in ["topic", "bundesland", "size_class", "partner", "model_project", "channel", "month"]:
        response = coordinator_client.get(f"/api/v1/stats/by/{dimension}/?{PERIOD}")
        assert response.status_code == 200, dimension
        assert response.json()["dimension"] == dimension
        assert response.json()["results"]


def test_partner_staff_see_only_their_own_partners_figures(history, partner_client):
    """GIVEN DIFU handled 3 of the 7 enquiries WHEN DIFU staff read the statistics
    THEN they see those 3 only, in the summary, the breakdowns and the case list."""
    summary = partner_client.get(f"/api/v1/stats/summary/?{PERIOD}").json()
    assert summary["volume"]["received"] == 3
    assert summary["filters"]["partner"] == str(history.partner.pk)
    by_partner = partner_client.get(f"/api/v1/stats/by/partner/?{PERIOD}").json()["results"]
    assert [row["label"] for row in by_partner] == ["DIFU"]
    cases = partner_client.get(f"/api/v1/stats/cases/?{PERIOD}").json()
    assert cases["count"] == 3
    assert {row["reference"] for row in cases["results"]} == {
        history.e1.reference,
        history.e2.reference,
        history.e6.reference,
    }


def test_partner_staff_cannot_ask_for_another_partner(history, partner_client):
    response = partner_client.get(f"/api/v1/stats/summary/?{PERIOD}&partner={history.other_partner.pk}")
    assert response.status_code == 403
    assert response.json()["field"] == "partner"


def test_anonymous_callers_get_401_and_users_without_a_role_403(history, anon_client):
    assert anon_client.get("/api/v1/stats/summary/").status_code == 401
    nobody = client_for(f.UserFactory(username="ohne-rolle"))
    assert nobody.get("/api/v1/stats/summary/").status_code == 403
    assert nobody.get("/api/v1/stats/by/topic/?format=csv").status_code == 403
    assert nobody.get("/api/v1/stats/cases/").status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-05-01&to=2026-04-01", "from"),
        ("from=1926-01-01&to=2026-01-01", "to"),
        ("from=gestern", "from"),
        ("to=2026-13-01", "to"),
        ("topic=gibt-es-nicht", "topic"),
        ("bundesland=XX", "bundesland"),
        ("size_class=riesig", "size_class"),
        ("partner=999999", "partner"),
        ("partner=abc", "partner"),
        ("model_project=999999", "model_project"),
        ("channel=brieftaube", "channel"),
        ("funded=vielleicht", "funded"),
    ],
)
def test_bad_filters_get_a_400_naming_the_parameter(history, manager_client, query, field):
    response = manager_client.get(f"/api/v1/stats/summary/?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert manager_client.get(f"/api/v1/stats/by/month/?{query}").status_code == 400


def test_an_unknown_breakdown_or_format_gets_a_400(history, manager_client):
    response = manager_client.get("/api/v1/stats/by/farbe/")
    assert (response.status_code, response.json()["field"]) == (400, "dimension")
    response = manager_client.get("/api/v1/stats/by/topic/?format=pdf")
    assert (response.status_code, response.json()["field"]) == (400, "format")


def test_an_empty_result_is_an_empty_table(history, manager_client):
    response = manager_client.get("/api/v1/stats/by/topic/?from=2020-01-01&to=2020-12-31")
    assert response.status_code == 200
    assert response.json()["results"] == []
    response = manager_client.get("/api/v1/stats/by/topic/?from=2020-01-01&to=2020-12-31&format=csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1  # the header row alone


def test_breakdown_csv_starts_with_its_german_header_row_and_names_period_and_filters_in_its_file_name(
    history, manager_client
):
    response = manager_client.get(f"/api/v1/stats/by/bundesland/?{PERIOD}&topic=mobilitaet&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="transferstatistik-bundesland_2026-01-01_2026-04-30_topic-mobilitaet.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][:3] == ["Bundesland", "Anfragen", "Kommunen"]
    assert {row[0]: row[1] for row in table[1:]} == {"Bayern": "3", "Nordrhein-Westfalen": "1"}


def test_breakdown_xlsx_opens_with_the_same_figures(history, manager_client):
    response = manager_client.get(f"/api/v1/stats/by/channel/?{PERIOD}&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:2] == ("Eingangskanal", "Anfragen")
    assert {row[0]: row[1] for row in values[1:]} == {"Webformular": 5, "E-Mail": 1, "Telefon": 1}


def test_the_case_list_exports_as_csv_and_xlsx_without_contact_data(history, manager_client):
    response = manager_client.get(f"/api/v1/stats/cases/?{PERIOD}&bundesland=NW&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][0] == "Aktenzeichen"
    assert [row[0] for row in table[1:]] == [history.e7.reference, history.e6.reference, history.e2.reference]
    assert "Erika Muster" not in text and "@gemeinde.example" not in text
    assert (
        'filename="transferstatistik-fallliste_2026-01-01_2026-04-30_bundesland-NW.csv"'
        in (response["Content-Disposition"])
    )
    response = manager_client.get(f"/api/v1/stats/cases/?{PERIOD}&format=xlsx")
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(values) == 1 + 7


def test_the_case_list_runs_the_same_number_of_queries_for_any_page_size(history, manager_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 200):
        with CaptureQueriesContext(connection) as captured:
            response = manager_client.get(f"/api/v1/stats/cases/?{PERIOD}&page_size={size}")
        assert len(response.json()["results"]) == min(size, 7)
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 15


def _csv_table(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_summary_exports_figure_by_figure_as_csv_and_xlsx(history, manager_client):
    response = manager_client.get(f"/api/v1/stats/summary/?{PERIOD}&format=csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    table = _csv_table(response)
    assert table[0] == ["Kennzahl", "Wert"]
    figures = dict(table[1:])
    assert (figures["Anfragen eingegangen"], figures["Kommunen erreicht"]) == ("7", "3")
    assert figures["Transferquote"] == "0,3333"
    assert figures["Zufriedenheit (Mittel 1-5)"] == "4,0"
    assert figures["Modellprojekt Beispielstadt: Vermittlungen angefragt"] == "3"

    response = manager_client.get(f"/api/v1/stats/summary/?{PERIOD}&format=xlsx")
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[0] == ("Kennzahl", "Wert")
    figures = dict(values[1:])
    assert (figures["Anfragen eingegangen"], figures["Transferquote"]) == (7, 0.3333)

    response = manager_client.get(f"/api/v1/stats/summary/?{PERIOD}&format=pdf")
    assert (response.status_code, response.json()["field"]) == (400, "format")


def test_csv_writes_decimals_with_a_comma_and_xlsx_keeps_numbers(history, manager_client):
    table = _csv_table(manager_client.get(f"/api/v1/stats/by/partner/?{PERIOD}&format=csv"))
    rate = table[0].index("Transferquote")
    by_partner = {row[0]: row for row in table[1:]}
    assert by_partner[history.partner.short_name][rate] == "0,5"
    assert by_partner[history.partner.short_name][1] == "3"

    response = manager_client.get(f"/api/v1/stats/by/partner/?{PERIOD}&format=xlsx")
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    by_partner = {row[0]: row for row in values[1:]}
    assert by_partner[history.partner.short_name][rate] == 0.5

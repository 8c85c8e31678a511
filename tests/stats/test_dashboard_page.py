"""/statistik/: who may open it, what it shows, filters as a form."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests import factories as f
from tests.stats.conftest import NOW

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-01-01&to=2026-04-30"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_needs_a_login(history):
    response = Client().get("/statistik/")
    assert response.status_code == 302
    assert "/anmelden/" in response["Location"]


def test_a_manager_sees_tiles_funnel_tables_and_export_links(history, manager):
    response = logged_in(manager).get(f"/statistik/?{PERIOD}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Transferstatistik" in html
    assert 'data-kpi="received"><span class="kpi-value">7<' in html
    assert "erfolgreicher Transfer" in html
    assert "Mobilität" in html and "Bayern" in html
    assert f"/api/v1/stats/by/topic/?{PERIOD.replace('&', '&amp;')}&amp;format=csv" in html
    assert "chart.umd.min.js" in html and 'id="stats-data"' in html


def test_partner_staff_see_their_partner_only(history, partner_user):
    html = logged_in(partner_user).get(f"/statistik/?{PERIOD}").content.decode()
    assert 'data-kpi="received"><span class="kpi-value">3<' in html


def test_users_without_a_role_get_403(history):
    nobody = f.UserFactory(username="ohne-rolle")
    assert logged_in(nobody).get("/statistik/").status_code == 403
    assert logged_in(nobody).get("/statistik/kommunen.json").status_code == 403


def test_a_bad_filter_is_shown_at_its_field(history, manager):
    response = logged_in(manager).get("/statistik/?from=2026-05-01&to=2026-04-01")
    assert response.status_code == 400
    assert "Der Beginn des Zeitraums liegt nach seinem Ende." in response.content.decode()


def test_the_directory_points_come_as_compact_json(history, manager):
    body = logged_in(manager).get("/statistik/kommunen.json").json()
    assert [49.9, 10.9] in body["points"]

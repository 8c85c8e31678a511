"""/intern/radar/: the demand radar's page for coordinators and managers (Django test client)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.radar_builders import radar_data

pytestmark = pytest.mark.django_db

URL = "/intern/radar/"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def data():
    return radar_data()


def test_a_coordinator_sees_the_group_with_its_places_projects_cases_and_the_event_link(coordinator, data):
    response = client_of(coordinator).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Bedarfsradar</h1>" in page
    assert "Mobilität: " in page
    assert "München, Landeshauptstadt" in page and "Köln, Stadt" in page
    assert "Parkstadt" in page and "Sensoren für Parkplätze" in page
    for enquiry in data.parking:
        assert f'href="/intern/faelle/{enquiry.pk}/"' in page
        assert enquiry.reference in page
    assert f'href="/intern/faelle/{data.unrelated.pk}/"' not in page
    key = response.context["rows"][0]["group"].key
    assert f'href="/intern/veranstaltungen/neu/?gruppe={key}"' in page
    assert "Veranstaltung planen" in page


def test_the_navigation_offers_the_radar_to_coordinators_and_managers(coordinator, manager, data):
    for user in (coordinator, manager):
        page = client_of(user).get("/intern/").content.decode()
        assert f'href="{URL}"' in page


def test_partner_staff_get_the_403_page_and_no_link(partner_user, data):
    assert client_of(partner_user).get(URL).status_code == 403
    assert f'href="{URL}"' not in client_of(partner_user).get("/intern/").content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login(data):
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/anmelden/")


def test_the_filters_narrow_the_groups(manager, data):
    page = client_of(manager).get(URL, {"bundesland": "NW", "topic": "mobilitaet"}).content.decode()

    assert "Im Zeitraum bilden keine Anfragen eine Gruppe." in page
    assert '<option value="NW" selected>' in page


def test_a_bad_filter_is_a_400_with_the_message_at_its_field(coordinator, data):
    response = client_of(coordinator).get(URL, {"from": "2026-06-01", "to": "2026-01-01"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Der Beginn des Zeitraums liegt nach seinem Ende." in page
    assert 'id="radar-from" name="from" value="2026-06-01" aria-invalid="true"' in page

"""GET /api/v1/radar/ and /api/v1/radar/{key}/: who may read the demand radar, its pages, bad parameters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.radar_builders import radar_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/radar/"


@pytest.fixture
def data():
    data = radar_data()
    # a second group: two enquiries on street lighting
    for place in data.places[:2]:
        f.EnquiryFactory(
            municipality=place,
            subject="Straßenbeleuchtung dimmen",
            message="Die Straßenbeleuchtung soll nachts gedimmt werden, um Strom zu sparen.",
            topics=[data.mobility],
            created_at=timezone.now() - timedelta(days=3),
        )
    return data


def test_a_coordinator_reads_the_groups_in_pages(coordinator_client, data):
    first = coordinator_client.get(URL, {"page_size": 1})

    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]
    second = coordinator_client.get(body["next"]).json()
    keys = {body["results"][0]["key"], second["results"][0]["key"]}
    assert len(keys) == 2
    assert second["next"] is None


def test_a_group_carries_its_figures_places_and_projects(manager_client, data):
    body = manager_client.get(URL, {"topic": "mobilitaet", "bundesland": "", "min_size": "2"}).json()

    parking = next(g for g in body["results"] if set(g["enquiry_ids"]) == {e.pk for e in data.parking})
    assert parking["size"] == 2
    assert parking["open_count"] == 2
    assert parking["laender"] == {"BY": 1, "NW": 1}
    assert {m["name"] for m in parking["municipalities"]} == {"München, Landeshauptstadt", "Köln, Stadt"}
    assert parking["projects"][0]["name"] == "Parkstadt"
    assert parking["projects"][0]["reasons"]


def test_one_group_is_read_by_its_key(coordinator_client, data):
    key = coordinator_client.get(URL).json()["results"][0]["key"]

    response = coordinator_client.get(f"{URL}{key}/")

    assert response.status_code == 200
    assert response.json()["key"] == key


def test_an_unknown_key_is_a_404(coordinator_client, data):
    assert coordinator_client.get(f"{URL}mobilitaet--gibtsnicht/").status_code == 404
    assert coordinator_client.get(f"{URL}kein-schluessel/").status_code == 404


def test_partner_staff_get_403_and_anonymous_callers_401(partner_client, anon_client, data):
    assert partner_client.get(URL).status_code == 403
    assert anon_client.get(URL).status_code == 401
    assert partner_client.get(f"{URL}mobilitaet--sensor/").status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "1.1.2026"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"from": "2026-06-01", "to": "2026-01-01"}, "from"),
        ({"topic": "gibtsnicht"}, "topic"),
        ({"bundesland": "ZZ"}, "bundesland"),
        ({"min_size": "0"}, "min_size"),
        ({"min_size": "viele"}, "min_size"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(coordinator_client, data, params, field):
    response = coordinator_client.get(URL, params)

    assert response.status_code == 400
    assert field in response.json()


def test_the_schema_describes_the_radar(coordinator_client):
    schema = coordinator_client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/radar/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "topic", "bundesland", "min_size", "page"}
    assert "/api/v1/radar/{key}/" in schema["paths"]

"""A kreisfreie Stadt is in the directory twice, as Gemeinde (8 digits) and as Kreis (5 digits); both are
valid keys for the form, so the search keeps both but tells them apart (QA finding 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

DATA = Path(settings.SHARED_DATA_DIR)


@pytest.mark.parametrize(
    ("term", "ags"), [("Bamberg", "09461"), ("Kiel", "01002"), ("Hof", "09464"), ("München", "09162")]
)
def test_a_kreisfreie_stadt_is_listed_as_gemeinde_first_and_then_as_kreis_with_its_level(
    anon_client, directory, term, ags
):
    """GIVEN the official directory WHEN the form searches a kreisfreie Stadt by name
    THEN the Gemeinde row comes before the Kreis row of the same city, and `level` tells them apart."""
    results = anon_client.get("/api/v1/municipalities/", {"q": term}).json()["results"]

    keys = [item["ags"] for item in results]
    gemeinde = results[keys.index(ags + "000")]
    kreis = results[keys.index(ags)]
    assert keys.index(ags + "000") < keys.index(ags)
    assert (gemeinde["level"], kreis["level"]) == ("gemeinde", "kreis")
    assert gemeinde["name"] == kreis["name"] and gemeinde["kind"] == kreis["kind"] == "kreisfreie_stadt"


def test_among_equally_good_matches_every_gemeinde_comes_before_every_kreis(anon_client, directory):
    results = anon_client.get("/api/v1/municipalities/", {"q": "Hof"}).json()["results"]

    exact = [item["level"] for item in results if item["name"] == "Hof"]
    assert exact == sorted(exact, key=lambda level: level != "gemeinde")
    assert exact.count("gemeinde") == 2 and exact.count("kreis") == 2


def test_the_brief_municipality_of_a_model_project_carries_its_level_too(anon_client, directory):
    from catalogue.loaders import model_projects_import, topics_sync

    topics_sync()
    model_projects_import(path=DATA / "model_projects.csv", measures_path=DATA / "model_project_measures.csv")

    project = anon_client.get("/api/v1/model-projects/", {"page_size": 1}).json()["results"][0]

    assert project["municipalities"] and "level" in project["municipalities"][0]

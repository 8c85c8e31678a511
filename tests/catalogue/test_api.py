"""The catalogue API: public reads, search, filters, pagination and a fixed number of queries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from catalogue.loaders import model_projects_import, topics_sync
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DATA = Path(settings.SHARED_DATA_DIR)


@pytest.fixture
def catalogue(directory):
    topics_sync()
    model_projects_import(path=DATA / "model_projects.csv", measures_path=DATA / "model_project_measures.csv")


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_bamberg_is_found_by_name_with_the_contract_fields(anon_client, catalogue):
    response = anon_client.get("/api/v1/municipalities/", {"q": "Bamberg"})

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert {key: first[key] for key in ("ags", "name", "kind", "state", "population", "funded")} == {
        "ags": "09461000",
        "name": "Bamberg",
        "kind": "kreisfreie_stadt",
        "state": "BY",
        "population": first["population"],
        "funded": True,
    }
    assert isinstance(first["id"], int) and first["population"] > 70_000
    assert {item["ags"] for item in response.json()["results"]} >= {"09461000", "09461", "09471"}


@pytest.mark.parametrize("term", ["München", "Muenchen", "munchen", "MÜNCHEN", "muen"])
def test_munich_is_found_whatever_the_spelling(anon_client, directory, term):
    response = anon_client.get("/api/v1/municipalities/", {"q": term, "level": "gemeinde"})

    assert response.status_code == 200
    assert response.json()["results"][0]["ags"] == "09162000"


def test_every_gemeinde_of_a_landkreis_is_found_by_its_key_prefix(anon_client, directory):
    response = anon_client.get("/api/v1/municipalities/", {"q": "09479", "level": "gemeinde", "page_size": 500})

    results = response.json()["results"]
    assert response.json()["count"] == 17 == len(results)
    assert all(item["ags"].startswith("09479") and len(item["ags"]) == 8 for item in results)
    with_kreis = anon_client.get("/api/v1/municipalities/", {"q": "09479", "page_size": 500}).json()
    assert with_kreis["count"] == 18 and with_kreis["results"][0]["ags"] == "09479"


def test_municipality_filters_combine(anon_client, catalogue):
    funded_kreise = anon_client.get("/api/v1/municipalities/", {"funded": "true", "level": "kreis", "page_size": 500})
    in_sh = anon_client.get("/api/v1/municipalities/", {"state": "SH", "kind": "kreisfreie_stadt"})

    assert "09479" in {item["ags"] for item in funded_kreise.json()["results"]}
    assert all(item["funded"] and item["level"] == "kreis" for item in funded_kreise.json()["results"])
    assert sorted(names(in_sh)) == [
        "Flensburg",
        "Flensburg",
        "Kiel",
        "Kiel",
        "Lübeck",
        "Lübeck",
        "Neumünster",
        "Neumünster",
    ]


def test_a_bad_filter_value_answers_400_naming_the_field(anon_client):
    response = anon_client.get("/api/v1/municipalities/", {"state": "XX"})

    assert response.status_code == 400
    assert "state" in response.json()


def test_pages_hold_up_to_500_catalogue_items(anon_client, directory):
    big = anon_client.get("/api/v1/municipalities/", {"page_size": 1000}).json()
    second = anon_client.get("/api/v1/municipalities/", {"page_size": 500, "page": 2}).json()

    assert big["count"] == 11_152 and len(big["results"]) == 500
    assert set(big) == {"count", "next", "previous", "results"}
    assert "page=2" in big["next"] and second["previous"] is not None
    assert second["results"][0]["ags"] > big["results"][-1]["ags"]


def test_a_page_beyond_the_end_is_404(anon_client, directory):
    assert anon_client.get("/api/v1/municipalities/", {"page": 9999}).status_code == 404


def test_municipality_detail(anon_client, directory):
    from catalogue.models import Municipality

    munich = Municipality.objects.get(ags="09162000")
    response = anon_client.get(f"/api/v1/municipalities/{munich.pk}/")

    assert response.status_code == 200
    assert response.json()["official_name"] == "München, Landeshauptstadt"
    assert anon_client.get("/api/v1/municipalities/999999999/").status_code == 404


def test_model_projects_carry_measures_members_and_topics(anon_client, catalogue):
    response = anon_client.get("/api/v1/model-projects/", {"page_size": 100})

    assert response.status_code == 200 and response.json()["count"] == 73
    solingen = next(item for item in response.json()["results"] if item["slug"] == "mpsc-2019-solingen")
    assert len(solingen["measures"]) == 4 and solingen["municipalities"][0]["ags"] == "05122000"
    assert "urban-data-platform" in solingen["topics"]
    assert "contact_email" not in solingen  # contacts are for staff
    assert sum(len(item["measures"]) for item in response.json()["results"]) == 319


def test_a_model_project_carries_its_description_sources_phase_and_described_measures(anon_client, catalogue):
    from catalogue.models import ModelProject

    suederbrarup = ModelProject.objects.get(slug="mpsc-2019-suederbrarup")
    response = anon_client.get(f"/api/v1/model-projects/{suederbrarup.pk}/")

    assert response.status_code == 200
    project = response.json()
    assert project["description"] == suederbrarup.description and "Süderbrarup" in project["description"]
    assert len(project["description_sources"]) == 4
    assert all(url.startswith("https://") for url in project["description_sources"])
    assert (project["phase"], project["phase_label"]) == ("", "unbekannt")
    assert {"mobility", "education", "digital-infrastructure"} <= set(project["topics"])
    shuttle = next(item for item in project["measures"] if item["title"] == "Smartes Dorfshuttle")
    assert {"id", "title", "description", "status", "source_urls", "topics"} <= set(shuttle)
    assert (shuttle["status"], shuttle["status_label"]) == ("operational", "in Betrieb")
    assert "On-Demand-Shuttle" in shuttle["description"] and shuttle["topics"] == ["mobility"]
    assert shuttle["source_urls"][0] == "https://smart-city-dialog.de/node/12427" and len(shuttle["source_urls"]) == 3
    assert shuttle["source_url"] == "; ".join(shuttle["source_urls"])  # the stored text stays as it was
    hagenow = anon_client.get("/api/v1/model-projects/", {"phase": "completed"}).json()["results"]
    assert [(item["slug"], item["phase"], item["phase_label"]) for item in hagenow] == [
        ("mpsc-2020-hagenow", "completed", "abgeschlossen")
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"cohort": 2019}, 13),
        # Two Landkreis projects became cooperations when their partner municipalities were added
        # (Vorpommern-Greifswald, Schleswig-Flensburg; SOURCES.md section 2).
        ({"kind": "district"}, 9),
        ({"kind": "cooperation"}, 14),
        ({"state": "BY"}, 11),
        # Projects that name a digital twin or digital planning, or have a measure in that field.
        ({"topic": "digital-twin"}, 13),
        ({"cohort": 2021, "kind": "district"}, 4),
        ({"phase": "implementation"}, 46),
        ({"phase": "completed"}, 1),
        ({"phase": "unknown"}, 26),
        ({"phase": "implementation", "cohort": 2019}, 7),
        ({"measure_status": "operational"}, 44),
        ({"q": "Süderbrarup"}, 1),
        ({"q": "on-demand"}, 2),
    ],
)
def test_model_project_filters(anon_client, catalogue, params, expected):
    response = anon_client.get("/api/v1/model-projects/", {**params, "page_size": 100})

    assert response.status_code == 200
    assert response.json()["count"] == expected


def test_staff_see_model_project_contacts(catalogue, coordinator):
    response = client_for(coordinator).get("/api/v1/model-projects/", {"cohort": 2019})

    assert "contact_email" in response.json()["results"][0]


def test_topics_are_public_with_slugs(anon_client):
    topics_sync()

    response = anon_client.get("/api/v1/topics/", {"page_size": 500})

    assert response.status_code == 200
    slugs = {item["slug"] for item in response.json()["results"]}
    assert len(slugs) >= 15 and {"mobility", "energy", "urban-data-platform", "digital-twin"} <= slugs


def test_partners_filter_by_active_and_topic(anon_client):
    energy = f.TopicFactory(slug="energy")
    f.PartnerFactory(short_name="DIFU", expertise=[energy])
    f.PartnerFactory(short_name="ALT", active=False, expertise=[energy])
    f.PartnerFactory(short_name="IESE")

    active = anon_client.get("/api/v1/partners/", {"active": "true", "topic": "energy"}).json()
    everyone = anon_client.get("/api/v1/partners/").json()

    assert [item["short_name"] for item in active["results"]] == ["DIFU"]
    inactive = anon_client.get("/api/v1/partners/", {"active": "false"}).json()
    assert [item["short_name"] for item in inactive["results"]] == ["ALT"]
    assert active["results"][0]["expertise"] == ["energy"]
    assert everyone["count"] == 3 and "email" not in everyone["results"][0]


def _seed_model_projects(count: int) -> None:
    topic = f.TopicFactory(slug="mobility")
    for _ in range(count):
        project = f.ModelProjectFactory(topics=[topic])
        f.MeasureFactory(model_project=project, topics=[topic])
        f.MeasureFactory(model_project=project)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/model-projects/", 6),  # count, page, members, topics, measures, measure topics
        ("/api/v1/measures/", 3),  # count, page (project joined), topics
        ("/api/v1/partners/", 3),  # count, page, expertise
        ("/api/v1/topics/", 2),  # count, page (parent joined)
        ("/api/v1/municipalities/", 2),
        ("/api/v1/municipalities/?q=stadt", 2),
    ],
)
def test_each_catalogue_list_runs_a_fixed_number_of_queries_whatever_the_page_size(
    anon_client, django_assert_num_queries, url, queries
):
    _seed_model_projects(12)
    for n in range(12):
        f.PartnerFactory(expertise=[f.TopicFactory(slug=f"t{n}")])
    separator = "&" if "?" in url else "?"
    for size in (2, 10):
        with django_assert_num_queries(queries):
            response = anon_client.get(f"{url}{separator}page_size={size}")
        assert response.status_code == 200
        assert len(response.json()["results"]) == size


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 319),
        ({"status": "operational"}, 93),
        ({"status": "implementing"}, 55),
        ({"status": "planned"}, 37),
        ({"status": "unknown"}, 134),
        ({"topic": "mobility"}, 38),
        ({"topic": "mobility", "status": "operational"}, 7),
        ({"q": "LoRaWAN"}, 14),
    ],
)
def test_measures_are_listed_and_filtered_by_status_and_topic(anon_client, catalogue, params, expected):
    response = anon_client.get("/api/v1/measures/", {**params, "page_size": 500})

    assert response.status_code == 200
    assert response.json()["count"] == expected


def test_a_measure_names_its_project_and_the_projects_measures_are_found_by_its_id(anon_client, catalogue):
    from catalogue.models import Measure

    shuttle = Measure.objects.get(model_project__slug="mpsc-2019-suederbrarup", title="Smartes Dorfshuttle")

    detail = anon_client.get(f"/api/v1/measures/{shuttle.pk}/").json()
    of_project = anon_client.get("/api/v1/measures/", {"model_project": shuttle.model_project_id}).json()

    assert detail["model_project"] == {
        "id": shuttle.model_project_id,
        "slug": "mpsc-2019-suederbrarup",
        "name": shuttle.model_project.name,
    }
    assert (detail["status"], detail["source_topic"], detail["topics"]) == ("operational", "Mobilität", ["mobility"])
    assert shuttle.pk in [item["id"] for item in of_project["results"]]
    assert {item["model_project"]["id"] for item in of_project["results"]} == {shuttle.model_project_id}
    assert anon_client.get("/api/v1/measures/0/").status_code == 404


def test_the_schema_is_openapi_3_json(anon_client):
    response = anon_client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/municipalities/" in schema["paths"] and "/api/v1/auth/token/" in schema["paths"]
    assert {"/api/v1/measures/", "/api/v1/measures/{id}/"} <= set(schema["paths"])


def test_the_docs_page_loads_nothing_from_another_host(anon_client):
    response = anon_client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert references, "the docs page should reference its scripts"
    assert all(not re.match(r"^(https?:)?//", ref) for ref in references), references
    assert "cdn" not in html.lower()


def test_anonymous_catalogue_reads_are_throttled(anon_client, monkeypatch):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "catalogue": "3/minute"}
    )

    codes = [anon_client.get("/api/v1/topics/").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]


def test_detail_routes_answer_each_item_and_404_for_unknown_ids(anon_client):
    topic = f.TopicFactory(slug="energy")
    project = f.ModelProjectFactory(topics=[topic])
    partner = f.PartnerFactory(short_name="IESE", expertise=[topic])

    assert anon_client.get(f"/api/v1/topics/{topic.pk}/").json()["slug"] == "energy"
    assert anon_client.get(f"/api/v1/model-projects/{project.pk}/").json()["topics"] == ["energy"]
    assert anon_client.get(f"/api/v1/partners/{partner.pk}/").json()["short_name"] == "IESE"
    for url in ("/api/v1/topics/0/", "/api/v1/model-projects/0/", "/api/v1/partners/0/", "/api/v1/partners/x/"):
        assert anon_client.get(url).status_code == 404


def test_the_catalogue_is_read_only(coordinator_client):
    assert coordinator_client.post("/api/v1/topics/", {"slug": "x"}, format="json").status_code == 405
    assert coordinator_client.delete("/api/v1/partners/1/").status_code == 405


def test_an_overlong_search_term_is_400_not_500(anon_client):
    response = anon_client.get("/api/v1/municipalities/", {"q": "x" * 500})

    assert response.status_code == 400 and "q" in response.json()


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/model-projects/?topic=raumfahrt", "topic"),
        ("/api/v1/partners/?topic=raumfahrt", "topic"),
        ("/api/v1/municipalities/?kind=stadtstaat", "kind"),
        ("/api/v1/model-projects/?cohort=2018", "cohort"),
        ("/api/v1/model-projects/?phase=fertig", "phase"),
        ("/api/v1/model-projects/?measure_status=laeuft", "measure_status"),
        ("/api/v1/measures/?status=laeuft", "status"),
        ("/api/v1/measures/?topic=raumfahrt", "topic"),
        ("/api/v1/measures/?model_project=1.5", "model_project"),
        ("/api/v1/measures/?model_project=99999999999999999999", "model_project"),
        ("/api/v1/partners/?active=vielleicht", "active"),
        ("/api/v1/municipalities/?funded=ja", "funded"),
    ],
)
def test_unknown_filter_values_answer_400_with_the_field(anon_client, url, field):
    response = anon_client.get(url)

    assert response.status_code == 400
    assert field in response.json()

"""The Projektatlas pages (/projekte/…): list, search, filters, project and measure pages, bad input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Measure
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def atlas():
    """Three projects in three Länder, one of them in two, with measures of each status."""
    mobility = f.TopicFactory(slug="mobility", name_de="Mobilität und Verkehr")
    energy = f.TopicFactory(slug="energy", name_de="Energie")
    small = f.MunicipalityFactory(ags="01059045", short_name="Kappeln", bundesland="SH", population=8_683)
    big = f.MunicipalityFactory(ags="09564000", short_name="Nürnberg", bundesland="BY", population=526_000)
    mid = f.MunicipalityFactory(ags="03254021", short_name="Hildesheim", bundesland="NI", population=102_325)
    dorf = f.ModelProjectFactory(
        slug="mpsc-2019-dorf",
        name="Amt Dorfland",
        cohort=2019,
        lead_municipality=small,
        bundeslaender="SH",
        description="Ein Amt mit 13 Gemeinden erprobt digitale Daseinsvorsorge.",
        description_source="https://example.org/a; https://example.org/b",
        website="https://www.smart-city-dialog.de/mpsc/dorfland",
        topics=[mobility],
    )
    grossstadt = f.ModelProjectFactory(
        slug="mpsc-2021-gross",
        name="Großstadt und Partner",
        cohort=2021,
        lead_municipality=big,
        bundeslaender="BY;SN",
        kind="cooperation",
        description="Eine Großstadt baut eine urbane Datenplattform.",
    )
    mitte = f.ModelProjectFactory(
        slug="mpsc-2020-mitte", name="Mittelstadt", cohort=2020, lead_municipality=mid, bundeslaender="NI"
    )
    shuttle = f.MeasureFactory(
        model_project=dorf,
        title="Smartes Dorfshuttle",
        description="On-Demand-Shuttle im ländlichen Amtsgebiet, seit 2021 in Betrieb.",
        status="operational",
        source_url="https://example.org/shuttle; https://example.org/shuttle-2",
        topics=[mobility],
    )
    f.MeasureFactory(model_project=dorf, title="Coworking im Dorf", description="Arbeiten auf dem Land.", status="")
    solar = f.MeasureFactory(
        model_project=grossstadt,
        title="Solarkataster",
        description="Eine Karte zeigt, welche Dächer sich für Photovoltaik eignen.",
        status="planned",
        topics=[energy],
    )
    f.MeasureFactory(
        model_project=mitte, title="Bürger-App", description="Die Stadt-App bündelt Dienste.", status="implementing"
    )
    return {"dorf": dorf, "gross": grossstadt, "mitte": mitte, "shuttle": shuttle, "solar": solar}


def names(response) -> list[str]:
    return [hit.project.name for hit in response.context["page"].object_list]


def test_the_list_shows_every_project_with_its_measures_and_the_counts(client, atlas):
    response = client.get("/projekte/")
    assert response.status_code == 200
    assert names(response) == ["Amt Dorfland", "Großstadt und Partner", "Mittelstadt"]
    html = response.content.decode()
    assert "3 Modellprojekte" in html
    assert f'href="/projekte/mpsc-2019-dorf/massnahmen/{atlas["shuttle"].pk}/"' in html
    assert 'lang="de"' in html and 'role="search"' in html
    assert "Quelle: Modellprojekte Smart Cities des Bundes (BMI/BMWSB, KfW), smart-city-dialog.de" in html


def test_the_search_finds_a_word_of_a_measure_description_with_german_stemming(client, atlas):
    # "Photovoltaik" only in the description; "Dächern" is another form of "Dächer"
    response = client.get("/projekte/", {"q": "Photovoltaik Dächern"})
    assert names(response) == ["Großstadt und Partner"]
    assert [m.title for m in response.context["page"].object_list[0].measures] == ["Solarkataster"]
    assert "1 passende Maßnahme" in response.content.decode()


def test_the_search_splits_compounds(client, atlas):
    # "Dorfbus" is not in the catalogue; its part "Dorf" is ("Dorfshuttle", "im Dorf")
    response = client.get("/projekte/", {"q": "Dorfbus"})
    assert names(response) == ["Amt Dorfland"]
    assert atlas["shuttle"] in response.context["page"].object_list[0].measures


def test_the_search_finds_a_project_by_its_name_and_description(client, atlas):
    assert names(client.get("/projekte/", {"q": "Dorfland"})) == ["Amt Dorfland"]
    assert names(client.get("/projekte/", {"q": "Datenplattform"})) == ["Großstadt und Partner"]


def test_a_search_of_stop_words_only_falls_back_to_the_text(client, atlas):
    response = client.get("/projekte/", {"q": "Gemeinden"})
    assert response.context["result"].fallback
    assert names(response) == ["Amt Dorfland"]


def test_a_search_without_hits_says_so(client, atlas):
    response = client.get("/projekte/", {"q": "Raumfahrtbahnhof"})
    assert names(response) == []
    assert "Keine Modellprojekte gefunden" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "mobility"}, ["Amt Dorfland"]),
        ({"topic": "energy"}, ["Großstadt und Partner"]),
        ({"land": "SN"}, ["Großstadt und Partner"]),  # the second of "BY;SN"
        ({"land": "BY"}, ["Großstadt und Partner"]),
        ({"land": "NI"}, ["Mittelstadt"]),
        ({"land": "HE"}, []),
        ({"size": "5k_20k"}, ["Amt Dorfland"]),
        ({"size": "gt100k"}, ["Großstadt und Partner", "Mittelstadt"]),
        ({"cohort": "2019"}, ["Amt Dorfland"]),
        ({"status": "operational"}, ["Amt Dorfland"]),
        ({"status": "unknown"}, ["Amt Dorfland"]),
        ({"status": "implementing"}, ["Mittelstadt"]),
        ({"size": "gt100k", "cohort": "2020"}, ["Mittelstadt"]),
        ({"topic": "mobility", "status": "planned"}, []),
        ({"q": "App", "land": "NI", "status": "implementing"}, ["Mittelstadt"]),
    ],
)
def test_filters_narrow_the_list_and_combine(client, atlas, params, expected):
    response = client.get("/projekte/", params)
    assert response.status_code == 200
    assert names(response) == expected


def test_the_status_filter_shows_only_measures_of_that_status(client, atlas):
    response = client.get("/projekte/", {"status": "unknown"})
    (hit,) = response.context["page"].object_list
    assert [m.title for m in hit.measures] == ["Coworking im Dorf"]
    assert response.context["result"].measure_count == 1


@pytest.mark.parametrize(
    "query",
    [
        "?cohort=abc",
        "?cohort=1999",
        "?page=999",
        "?page=abc",
        "?page=-1",
        "?land=XX",
        "?land=by%00",
        "?topic=gibt-es-nicht",
        "?status=kaputt",
        "?size=riesig",
        "?q=" + "x" * 500,
        "?q=%00",
        "?q=²³",
        "?q=&cohort=&land=&topic=",
        "?cohort=2019&cohort=abc",
    ],
)
def test_bad_query_parameters_never_give_a_500(client, atlas, query):
    response = client.get("/projekte/" + query)
    assert response.status_code == 200


def test_a_bad_filter_is_named_and_ignored_while_the_others_apply(client, atlas):
    response = client.get("/projekte/", {"cohort": "abc", "land": "NI"})
    assert names(response) == ["Mittelstadt"]
    html = response.content.decode()
    assert 'id="filter-errors"' in html and "Staffel" in html


def test_page_999_shows_the_last_page(client, atlas, monkeypatch):
    monkeypatch.setattr("web.views.atlas.PAGE_SIZE", 2)
    response = client.get("/projekte/", {"page": "999"})
    assert response.context["page"].number == 2
    assert names(response) == ["Mittelstadt"]
    assert 'aria-label="Seiten der Ergebnisliste"' in response.content.decode()


def test_pagination_links_keep_the_filters(client, atlas, monkeypatch):
    monkeypatch.setattr("web.views.atlas.PAGE_SIZE", 1)
    html = client.get("/projekte/", {"size": "gt100k"}).content.decode()
    assert 'href="?size=gt100k&amp;page=2"' in html


def test_the_map_draws_every_placed_project_and_marks_the_hits(client, atlas):
    response = client.get("/projekte/", {"land": "NI"})
    points = response.context["map"]["points"]
    assert {p.slug for p in points} == {"mpsc-2019-dorf", "mpsc-2021-gross", "mpsc-2020-mitte"}
    assert {p.slug for p in points if p.hit} == {"mpsc-2020-mitte"}
    html = response.content.decode()
    assert 'aria-hidden="true"' in html and "Alle Projekte stehen auch in der Liste" in html


def test_the_list_needs_the_same_number_of_queries_for_3_or_13_projects(client, atlas):
    def count(params: dict) -> int:
        client.get("/projekte/", params)  # warm: the search index and the map outline are built once
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/projekte/", params).status_code == 200
        return len(ctx.captured_queries)

    few = count({})
    few_filtered = count({"q": "Shuttle", "topic": "mobility", "land": "SH", "status": "operational"})
    for n in range(10):
        project = f.ModelProjectFactory(name=f"Weiteres Projekt {n}", topics=[atlas["dorf"].topics.first()])
        f.MeasureFactory.create_batch(3, model_project=project, description="Ein Shuttle.")
    assert count({}) == few
    assert count({"q": "Shuttle", "topic": "mobility", "land": "SH", "status": "operational"}) == few_filtered
    assert few <= 10


def test_the_project_page_shows_description_sources_members_measures_and_attribution(client, atlas):
    response = client.get("/projekte/mpsc-2019-dorf/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Amt Dorfland</h1>" in html
    assert "Ein Amt mit 13 Gemeinden" in html
    assert 'href="https://example.org/a"' in html and 'href="https://example.org/b"' in html
    assert 'href="https://www.smart-city-dialog.de/mpsc/dorfland"' in html
    assert "Schleswig-Holstein" in html and "Kappeln (federführend)" in html
    assert "Staffel" in html and "2019" in html
    assert "Smartes Dorfshuttle" in html and "in Betrieb" in html and "Stand unbekannt" in html
    assert "Auswahlbekanntmachungen 2019, 2020, 2021" in html
    assert "mit eigenen Worten" in html


def test_the_project_page_lists_several_laender(client, atlas):
    html = client.get("/projekte/mpsc-2021-gross/").content.decode()
    assert "Bayern, Sachsen" in html


def test_the_measure_page_shows_status_in_words_sources_and_the_ask_button(client, atlas):
    shuttle = atlas["shuttle"]
    response = client.get(f"/projekte/mpsc-2019-dorf/massnahmen/{shuttle.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Smartes Dorfshuttle</h1>" in html
    assert "in Betrieb" in html and "Laut Quelle umgesetzt und im Einsatz." in html
    assert 'href="https://example.org/shuttle"' in html and 'href="https://example.org/shuttle-2"' in html
    assert "Mobilität und Verkehr" in html
    assert f'href="/anfrage/?massnahme={shuttle.pk}"' in html and "Zu dieser Maßnahme anfragen" in html
    assert "Quelle: Modellprojekte Smart Cities des Bundes" in html


def test_a_measure_without_status_says_the_source_gives_none(client, atlas):
    coworking = Measure.objects.get(title="Coworking im Dorf")
    html = client.get(f"/projekte/mpsc-2019-dorf/massnahmen/{coworking.pk}/").content.decode()
    assert "Stand unbekannt" in html and "Die Quelle nennt keinen Stand." in html


@pytest.mark.parametrize(
    "path",
    [
        "/projekte/gibt-es-nicht/",
        "/projekte/mpsc-2019-dorf/massnahmen/999999/",
        "/projekte/gibt-es-nicht/massnahmen/1/",
        "/projekte/mpsc-2019-dorf/massnahmen/abc/",
    ],
)
def test_unknown_projects_and_measures_are_404(client, atlas, path):
    assert client.get(path).status_code == 404


def test_a_measure_under_another_projects_address_is_404(client, atlas):
    assert client.get(f"/projekte/mpsc-2019-dorf/massnahmen/{atlas['solar'].pk}/").status_code == 404
    assert client.get(f"/projekte/mpsc-2021-gross/massnahmen/{atlas['solar'].pk}/").status_code == 200


def test_home_navigation_and_form_link_to_the_atlas(client, atlas):
    home = client.get("/").content.decode()
    assert home.count('href="/projekte/"') >= 2  # navigation and the home page's own link
    form = client.get("/anfrage/").content.decode()
    assert "Erst stöbern?" in form and 'href="/projekte/"' in form

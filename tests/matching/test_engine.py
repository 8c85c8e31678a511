"""The engine over a small catalogue: ranking, explanations, exclusion of the own project, bad input."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from catalogue.models import Measure
from matching.engine import partners_rank, projects_rank, query_for_enquiry
from matching.index import catalogue_index, catalogue_index_invalidate
from tests import factories as f

pytestmark = pytest.mark.django_db

SIGNALS = ["topic", "text", "similarity", "maturity", "capacity", "success"]


def _rank(enquiry):
    return projects_rank(query=query_for_enquiry(enquiry=enquiry))


def test_a_village_asking_for_an_on_demand_bus_gets_the_dorfshuttle_first(catalogue):
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer,
        subject="Rufbus für unsere Dörfer",
        message="Wie organisiert man einen Bus, den man per App bestellt?",
        topics=[catalogue.mobility],
    )
    ranking = _rank(enquiry)
    assert ranking[0].target_id == catalogue.dorf.pk
    assert ranking[0].measures == [(catalogue.shuttle.pk, "Smartes Dorfshuttle")]
    assert [e["signal"] for e in ranking[0].explanation] == SIGNALS
    texts = {e["signal"]: e["text"] for e in ranking[0].explanation}
    assert texts["topic"] == "Handlungsfeld Mobilität und Verkehr"
    assert "Smartes Dorfshuttle" in texts["text"]
    assert "km entfernt" in texts["similarity"]


def test_text_relevance_alone_finds_the_measure(catalogue):
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer,
        subject="Stromverbrauch unserer Schulen",
        message="Wir wollen den Energieverbrauch der Gebäude laufend messen.",
    )
    ranking = _rank(enquiry)
    assert ranking[0].target_id == catalogue.energie.pk
    text = next(e for e in ranking[0].explanation if e["signal"] == "text")
    assert text["value"] > 0
    assert "Energiemonitoring" in text["text"]


def test_every_score_is_the_sum_of_weight_times_value(catalogue):
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Offene Daten", message="Datenplattform")
    for proposal in _rank(enquiry):
        assert proposal.score == pytest.approx(sum(e["weight"] * e["value"] for e in proposal.explanation), abs=1e-3)
        assert all(0 <= e["value"] <= 1 for e in proposal.explanation)


def test_the_ranking_is_deterministic(catalogue):
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Daten", message="Plattform für Daten")
    first = [(p.target_id, p.score) for p in _rank(enquiry)]
    assert first == [(p.target_id, p.score) for p in _rank(enquiry)]


def test_the_enquirers_own_project_is_never_proposed(catalogue):
    enquiry = f.EnquiryFactory(
        municipality=catalogue.dorf.lead_municipality,
        subject="Dorfshuttle",
        message="Unser Dorfshuttle mit Kleinbus per App",
        topics=[catalogue.mobility],
    )
    assert catalogue.dorf.pk not in {p.target_id for p in _rank(enquiry)}


def test_a_kreisfreie_stadt_asking_as_kreis_does_not_get_its_own_project(catalogue):
    kreis = f.MunicipalityFactory(
        ags="05122", level="kreis", kind="kreisfreie_stadt", short_name="Solingen", bundesland="NW", population=160_000
    )
    enquiry = f.EnquiryFactory(municipality=kreis, subject="Datenplattform", message="Offene Daten")
    assert catalogue.city.pk not in {p.target_id for p in _rank(enquiry)}


def test_an_enquiry_without_topic_and_text_feature_is_still_ranked_and_says_so(catalogue):
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Hallo", message="Wir haben eine Frage.")
    ranking = _rank(enquiry)
    assert len(ranking) == 3
    texts = {e["signal"]: e["text"] for e in ranking[0].explanation}
    assert texts["topic"] == "Anfrage ohne Handlungsfeld: Themen nicht bewertet"
    assert texts["text"] == "keine inhaltliche Übereinstimmung im Text der Anfrage"
    # the nearest, most similar project wins on the other features
    assert ranking[0].target_id == catalogue.dorf.pk


def test_a_project_without_measures_does_not_crash_the_engine(catalogue):
    bare = f.ModelProjectFactory(name="Ohne Maßnahmen", lead_municipality=None, population=None, lat=None, lon=None)
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Dorfshuttle", message="Bus")
    proposal = next(p for p in _rank(enquiry) if p.target_id == bare.pk)
    assert proposal.measures == []
    assert "keine Maßnahmen erfasst" in next(e["text"] for e in proposal.explanation if e["signal"] == "maturity")


def test_the_catalogue_index_is_rebuilt_when_the_catalogue_changes(catalogue):
    before = catalogue_index()
    assert catalogue_index() is before
    f.MeasureFactory(model_project=catalogue.city, title="Lichtmanagement", status=Measure.Status.OPERATIONAL)
    after = catalogue_index()
    assert after is not before
    assert any(m.title == "Lichtmanagement" for p in after.projects for m in p.measures)


def test_partners_are_ranked_by_expertise_and_region(catalogue):
    f.PartnerFactory(short_name="MOB", expertise=[catalogue.mobility], regions=["SH"])
    f.PartnerFactory(short_name="NRG", expertise=[catalogue.energy], regions=[])
    f.PartnerFactory(short_name="BAY", expertise=[catalogue.mobility], regions=["BY"])
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer, subject="Bus", message="Bus", topics=[catalogue.mobility]
    )
    ranked = partners_rank(query=query_for_enquiry(enquiry=enquiry))
    names = [p.name for p in ranked]
    assert ranked[0].explanation[0]["text"] == "Handlungsfeld Mobilität und Verkehr"
    assert names.index(next(p.name for p in ranked if "zuständig für SH" in p.explanation[1]["text"])) == 0


def _twin_projects(*, first: dict, second: dict):
    """Two projects that built the same thing, the first created (lower id) with ``first``'s place."""
    made = []
    for n, place in enumerate([first, second]):
        home = f.MunicipalityFactory(ags=f"0105{n}500", kind="gemeinde", bundesland="SH", **place)
        project = f.ModelProjectFactory(name=f"Zwilling {n}", kind="municipality", lead_municipality=home)
        f.MeasureFactory(
            model_project=project,
            title="Digitale Dorfbücherei",
            description="Bücher rund um die Uhr ausleihen, mit Ausweis und Selbstverbuchung.",
        )
        made.append(project)
    return made


@pytest.mark.parametrize(
    "first, second",
    [
        # same distance, the second of the enquirer's size
        ({"population": 90_000, "lat": 54.7, "lon": 9.8}, {"population": 3_400, "lat": 54.5, "lon": 9.8}),
        # same size, the second nearer
        ({"population": 3_500, "lat": 53.6, "lon": 9.8}, {"population": 3_500, "lat": 54.65, "lon": 9.8}),
    ],
)
def test_when_scores_tie_the_similar_size_then_the_nearer_project_wins(catalogue, settings, first, second):
    """GIVEN two projects with the same measure, scoring the same (similarity weighs nothing here)
    WHEN a village asks about it THEN the one of similar size, else the nearer one, comes first."""
    settings.KTS_MATCHING_WEIGHTS = {**settings.KTS_MATCHING_WEIGHTS, "similarity": 0.0}
    older, better = _twin_projects(first=first, second=second)
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer, subject="Bücherei", message="Bücher rund um die Uhr ausleihen"
    )
    ranking = _rank(enquiry)
    assert ranking[0].score == ranking[1].score
    assert [p.target_id for p in ranking[:2]] == [better.pk, older.pk]


def test_explanation_entries_carry_a_label_and_read_like_sentences(catalogue):
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Rufbus", message="Bus per App bestellen")
    with translation.override("de"):
        first = _rank(enquiry)[0]
    entries = {e["signal"]: e for e in first.explanation}
    assert set(entries["topic"]) == {"signal", "label", "weight", "value", "text"}
    assert entries["similarity"]["label"] == "Ähnliche Kommune"
    assert entries["maturity"]["label"] == "Umsetzungsstand"
    # Süderbrarup 4.000 inhabitants, the enquirer 3.500, about 4 km apart
    assert "ähnliche Größe: 3.500 und 4.000 Einwohner" in entries["similarity"]["text"]
    assert re.search(r"\d,\d km entfernt", entries["similarity"]["text"])
    assert "Maßnahme „Smartes Dorfshuttle“ in Betrieb" in entries["maturity"]["text"]
    assert not any("×" in e["text"] or re.search(r"\d\.\d{4}", e["text"]) for e in first.explanation)


def test_an_enquiry_about_one_measure_puts_its_project_first_and_says_why(catalogue):
    """GIVEN an enquiry made from the page of Cottbus' energy monitoring, with a text about buses
    WHEN it is ranked THEN Cottbus comes first, the measure leads its list and the explanation names it."""
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer,
        subject="Rufbus für unsere Dörfer",
        message="Ein Bus, den man per App bestellt.",
        topics=[catalogue.mobility],
        measure=catalogue.monitoring,
    )
    with translation.override("de"):
        ranking = _rank(enquiry)
    assert ranking[0].target_id == catalogue.energie.pk
    assert ranking[0].measures[0] == (catalogue.monitoring.pk, "Energiemonitoring")
    requested = ranking[0].explanation[0]
    assert requested["signal"] == "requested"
    assert requested["text"] == "Angefragt zur Maßnahme „Energiemonitoring“"
    assert ranking[0].score == pytest.approx(sum(e["weight"] * e["value"] for e in ranking[0].explanation), abs=1e-3)
    # the other projects carry no such line
    assert all(e["signal"] != "requested" for p in ranking[1:] for e in p.explanation)


def test_an_enquiry_about_a_measure_of_the_enquirers_own_project_does_not_propose_it(catalogue):
    enquiry = f.EnquiryFactory(
        municipality=catalogue.dorf.lead_municipality,
        subject="Dorfshuttle",
        message="Wie läuft es bei den Nachbarn?",
        measure=catalogue.shuttle,
    )
    ranking = _rank(enquiry)
    assert catalogue.dorf.pk not in {p.target_id for p in ranking}
    assert all(e["signal"] != "requested" for p in ranking for e in p.explanation)


def test_without_content_evidence_size_and_maturity_count_little_and_the_explanation_says_so(catalogue):
    from matching.engine import FALLBACK_FLOOR, fallback_share

    assert fallback_share(0.0, 0.0) == pytest.approx(FALLBACK_FLOOR)
    assert fallback_share(0.6, 0.0) == 1.0
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Hallo", message="Wir haben eine Frage.")
    first = _rank(enquiry)[0]
    texts = {e["signal"]: e["text"] for e in first.explanation}
    assert "zählt wenig" in texts["similarity"]
    assert "zählt wenig" in texts["maturity"]


def test_a_project_with_text_evidence_beats_a_nearer_similar_one_without(catalogue):
    """GIVEN a village next to the Dorfshuttle project WHEN it asks about energy consumption THEN the energy
    project far away comes first: nearness and size only order the projects that fit."""
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer, subject="Stromverbrauch", message="Energieverbrauch der Schulen messen"
    )
    assert _rank(enquiry)[0].target_id == catalogue.energie.pk


@pytest.fixture
def everyday_words(catalogue, tmp_path, monkeypatch):
    """Mannheim's fill-level sensors with their everyday words in a measure_words.csv of the test's own."""
    mannheim = f.ModelProjectFactory(slug="mpsc-waste", name="Mannheim", lead_municipality=None)
    sensors = f.MeasureFactory(
        model_project=mannheim,
        title="Füllstandssensoren",
        description="Erste Mülleimer melden ihren Füllstand per LoRaWAN, damit Leerungsfahrten geplant werden.",
    )
    path = tmp_path / "measure_words.csv"
    path.write_text(
        "model_project_id,title,words\n"
        "mpsc-waste,Füllstandssensoren,Papierkorb; überquellen; Bauhof; Müllabfuhr; Grillplatz; Ausflügler\n"
        "mpsc-gone,Eine gestrichene Maßnahme,Papierkorb; überquellen\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("matching.index.MEASURE_WORDS_PATH", path)
    catalogue_index_invalidate()
    yield mannheim, sensors
    catalogue_index_invalidate()  # the next test's index reads the real file again


def test_an_enquiry_in_plain_words_finds_the_measure_through_its_everyday_words(catalogue, everyday_words):
    """GIVEN fill-level sensors whose own text names no "Grillplatz", "Ausflügler" or "Bauhof", all three among
    their everyday words WHEN a municipality writes about litter at its barbecue area THEN Mannheim comes first
    and the explanation says that these everyday words matched, without a raw weight."""
    mannheim, sensors = everyday_words
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer,
        subject="Grillplatz der Ausflügler",
        message="Nach jedem Sonntag muss unser Bauhof am Grillplatz hinter den Ausflüglern herräumen.",
    )
    with translation.override("de"):
        first = _rank(enquiry)[0]
    assert first.target_id == mannheim.pk
    assert first.measures[0] == (sensors.pk, "Füllstandssensoren")
    text = next(e for e in first.explanation if e["signal"] == "text")
    assert set(text) == {"signal", "label", "weight", "value", "text"}
    assert text["text"] == (
        "Text passt zu Maßnahme „Füllstandssensoren“ (Alltagsbegriffe: Grillplatz, Ausflügler, Bauhof)"
    )


def test_an_everyday_word_counts_less_than_the_measures_own_words(catalogue, everyday_words):
    """GIVEN "Müllabfuhr" among the sensors' everyday words and in the own text of another measure WHEN an
    enquiry names it THEN the measure that says it itself comes first, named without "Alltagsbegriffe"."""
    mannheim, _sensors = everyday_words
    f.MeasureFactory(
        model_project=catalogue.city,
        title="Digitale Müllabfuhr",
        description="Die Müllabfuhr plant ihre Touren mit Daten über Leerungsfahrten und Füllstand.",
    )
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Müllabfuhr", message="Müllabfuhr planen")
    ranking = _rank(enquiry)
    assert [p.target_id for p in ranking[:2]] == [catalogue.city.pk, mannheim.pk]
    text = next(e["text"] for e in ranking[0].explanation if e["signal"] == "text")
    assert "Digitale Müllabfuhr" in text and "Alltagsbegriffe" not in text


def test_everyday_words_of_a_measure_no_longer_in_the_catalogue_are_ignored(catalogue, everyday_words):
    index = catalogue_index()
    measures = {m.title: m for p in index.projects for m in p.measures}
    assert set(measures["Füllstandssensoren"].everyday.values()) == {
        "Papierkorb",
        "überquellen",
        "Bauhof",
        "Müllabfuhr",
        "Grillplatz",
        "Ausflügler",
    }
    assert measures["Smartes Dorfshuttle"].everyday == {}
    assert "Eine gestrichene Maßnahme" not in measures

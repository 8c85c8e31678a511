"""Each feature on its own: value in [0, 1] and a sentence in the reader's language, numbers as it writes them."""

from __future__ import annotations

import pytest
from django.utils import translation

from matching import features
from matching.features import Place

SMALL = Place(
    name="Kleindorf", level="gemeinde", kind="gemeinde", bundesland="SH", population=48_000, lat=54.6, lon=9.8
)


def test_topic_feature_counts_the_share_of_the_enquirys_topics_the_target_covers():
    value, text = features.topic_feature(
        wanted=frozenset({1, 2}), offered=frozenset({1, 3}), names={1: "Urbane Datenplattform", 2: "Energie"}, parent={}
    )
    assert value == pytest.approx(0.5)
    assert text == "Handlungsfeld Urbane Datenplattform"


def test_topic_feature_gives_half_for_a_parent_topic():
    value, text = features.topic_feature(
        wanted=frozenset({2}), offered=frozenset({1}), names={1: "Daten", 2: "Digitaler Zwilling"}, parent={2: 1}
    )
    assert value == pytest.approx(0.5)
    assert "verwandtes Handlungsfeld" in text


def test_topic_feature_says_so_when_the_enquiry_has_no_topic():
    value, text = features.topic_feature(wanted=frozenset(), offered=frozenset({1}), names={1: "x"}, parent={})
    assert value == 0
    assert text == "Anfrage ohne Handlungsfeld: Themen nicht bewertet"


def test_text_feature_grows_with_the_score_and_names_the_measure():
    low, _ = features.text_feature(score=1.0, measure_title="Open-Data-Portal", hits=["daten"])
    high, text = features.text_feature(score=10.0, measure_title="Open-Data-Portal", hits=["daten", "portal"])
    assert 0 < low < high < 1
    assert text == "Text passt zu Maßnahme „Open-Data-Portal“ (daten, portal)"
    assert features.text_feature(score=0.0, measure_title=None, hits=[])[0] == 0


def test_similarity_prefers_a_similar_size_nearby_in_the_same_land():
    near, text = features.similarity_feature(
        place=SMALL, kind="municipality", population=52_000, bundeslaender=frozenset({"SH"}), lat=54.9, lon=9.5
    )
    far, _ = features.similarity_feature(
        place=SMALL, kind="city", population=1_500_000, bundeslaender=frozenset({"BY"}), lat=48.1, lon=11.6
    )
    assert near > far
    assert "ähnliche Größe: 48.000 und 52.000 Einwohner" in text
    assert "km entfernt" in text
    assert "gleiches Bundesland" in text


def test_similarity_distance_is_haversine():
    assert features.haversine_km(52.52, 13.405, 48.137, 11.575) == pytest.approx(504, abs=5)


def test_maturity_prefers_operational_measures_of_projects_in_implementation():
    operational, text = features.maturity_feature(
        phase="implementation", measure_title="Open-Data-Portal", measure_status="operational"
    )
    planned, _ = features.maturity_feature(phase="strategy", measure_title="Open-Data-Portal", measure_status="planned")
    assert operational > planned
    assert "Maßnahme „Open-Data-Portal“ in Betrieb" in text


def test_maturity_of_a_project_without_measures_says_so():
    value, text = features.maturity_feature(phase="", measure_title=None, measure_status=None)
    assert value == pytest.approx(0.5)
    assert "keine Maßnahmen erfasst" in text


def test_capacity_falls_with_open_introductions():
    free, _ = features.capacity_feature(open_count=0, capacity=5)
    busy, text = features.capacity_feature(open_count=4, capacity=5)
    full, _ = features.capacity_feature(open_count=7, capacity=5)
    assert free == 1 and busy == pytest.approx(0.2) and full == 0
    assert text == "4 von 5 Vermittlungsplätzen belegt"


def test_success_is_smoothed_so_that_one_case_does_not_swing_it():
    none, text0 = features.success_feature(successes=0, trials=0)
    one, _ = features.success_feature(successes=1, trials=1)
    many, text = features.success_feature(successes=4, trials=5)
    assert none == pytest.approx(0.5)
    assert text0 == "noch keine früheren Vermittlungen"
    assert one == pytest.approx(0.6)
    assert many == pytest.approx(6 / 9)
    assert text == "4 von 5 früheren Vermittlungen erfolgreich"


def test_region_feature_knows_nationwide_partners():
    assert features.region_feature(regions=frozenset(), bundesland="SH")[0] == pytest.approx(0.7)
    assert features.region_feature(regions=frozenset({"SH"}), bundesland="SH")[0] == 1
    assert features.region_feature(regions=frozenset({"BY"}), bundesland="SH")[0] == 0


def test_explanations_write_numbers_with_german_separators_and_a_decimal_comma():
    with translation.override("de"):
        _v, text = features.similarity_feature(
            place=SMALL, kind="city", population=2_591_000, bundeslaender=frozenset({"BY"}), lat=54.62, lon=9.83
        )
        assert "andere Größe: 48.000 und 2.591.000 Einwohner" in text
        assert "2,9 km entfernt" in text
        assert features.distance_text(30.4) == "30"


def test_explanations_write_numbers_the_english_way_in_english():
    with translation.override("en"):
        assert features.number(2_591) == "2,591"
        assert features.distance_text(4.46) == "4.5"


def test_maturity_names_the_status_in_words_and_never_a_weight():
    for status, words in [("operational", "in Betrieb"), ("implementing", "in Umsetzung"), ("planned", "geplant")]:
        _v, text = features.maturity_feature(phase="implementation", measure_title="Rufbus", measure_status=status)
        assert f"Maßnahme „Rufbus“ {words}" in text
        assert "×" not in text


def test_every_feature_has_a_translated_label():
    with translation.override("de"):
        assert features.label("similarity") == "Ähnliche Kommune"
        assert features.label("requested") == "Angefragte Maßnahme"
    assert features.label("unknown-signal") == "unknown-signal"


def test_size_and_distance_are_the_tie_break_values():
    size, km = features.size_and_distance(place=SMALL, population=48_000, lat=54.6, lon=9.8)
    assert size == pytest.approx(1.0) and km == pytest.approx(0.0)
    size, km = features.size_and_distance(place=SMALL, population=None, lat=None, lon=None)
    assert size == 0 and km == features.UNKNOWN_KM

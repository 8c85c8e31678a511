"""The taxonomy: enough fields of action, German keywords with umlaut variants, and texts of municipalities
land on the right field through the auto-tagger."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings

from catalogue.loaders import topics_sync
from catalogue.taxonomy import (
    SOURCE_TOPIC_MAP,
    TOPIC_SLUGS,
    TOPICS,
    UNMAPPED_ON_PURPOSE,
    keywords_for,
    source_key,
    source_topics_to_slugs,
)
from core.text import fold

pytestmark = pytest.mark.django_db

DATA = Path(settings.SHARED_DATA_DIR)


def _source_words() -> set[str]:
    with (DATA / "model_projects.csv").open(encoding="utf-8") as handle:
        words = {word.strip() for row in csv.DictReader(handle) for word in row["topics"].split(";")}
    with (DATA / "model_project_measures.csv").open(encoding="utf-8") as handle:
        words |= {row["topic"].strip() for row in csv.DictReader(handle)}
    return words - {""}


def test_there_are_at_least_15_fields_with_unique_slugs_and_both_names():
    assert len(TOPICS) >= 15
    assert len(set(TOPIC_SLUGS)) == len(TOPIC_SLUGS)
    for spec in TOPICS:
        assert spec.name_de and spec.name_en and spec.description
        assert len(spec.keywords) >= 10, spec.slug


def test_each_keyword_is_stored_as_written_and_folded():
    for spec in TOPICS:
        stored = keywords_for(spec)
        for word in spec.keywords:
            assert word.lower() in stored and fold(word) in stored
        assert len(stored) == len(set(stored))


def test_every_source_topic_maps_to_known_slugs():
    for slugs in SOURCE_TOPIC_MAP.values():
        assert set(slugs) <= set(TOPIC_SLUGS)
    assert source_topics_to_slugs("Mobilität; Umwelt/Energie; Raumfahrt") == (
        ["mobility", "energy", "climate-adaptation"],
        ["Raumfahrt"],
    )


def test_every_theme_word_of_the_files_is_mapped_or_left_out_on_purpose():
    words = _source_words()
    unmapped = {word for word in words if source_key(word) not in SOURCE_TOPIC_MAP}

    assert len(words) == 224  # 203 distinct words in model_projects.csv, 61 in the measures, 40 in both
    assert unmapped == UNMAPPED_ON_PURPOSE
    assert not {source_key(word) for word in UNMAPPED_ON_PURPOSE} & set(SOURCE_TOPIC_MAP)


@pytest.mark.parametrize(
    ("words", "slugs"),
    [
        ("Digitale Infrastruktur; digitale Infrastruktur", ["digital-infrastructure"]),
        ("Digital gut unterwegs!; Digital gut unterwegs", ["mobility"]),
        ("Gesundheit und Soziales", ["health-care", "community"]),
        ("Eifelleben", ["community", "participation"]),
        ("Katastrophenschutz & -vorsorge; Sensorik & LoRaWan", ["public-safety", "digital-infrastructure"]),
        ("Mobilität und Infrastruktur", ["mobility"]),
    ],
)
def test_source_words_map_whatever_their_case_and_punctuation(words, slugs):
    assert source_topics_to_slugs(words) == (slugs, [])


def test_a_motto_stays_unmapped_and_is_returned_as_written():
    assert source_topics_to_slugs("lebenswert; Mobilität; Smarte Stadt") == (
        ["mobility"],
        ["lebenswert", "Smarte Stadt"],
    )


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Wir planen einen Rufbus on demand für unsere Ortsteile.", "mobility"),
        ("Energiemonitoring unserer Schulgebäude und Photovoltaik auf dem Rathausdach", "energy"),
        ("Hitzeschutz und Starkregenvorsorge: Klimaanpassung in der Innenstadt", "climate-adaptation"),
        ("Pegelmessung an der Ilz für den Hochwasserschutz", "water"),
        ("Aufbau einer urbanen Datenplattform mit Open Data", "urban-data-platform"),
        ("Ein digitaler Zwilling mit 3D-Stadtmodell", "digital-twin"),
        ("Online-Dienste im Buergerbuero nach dem OZG", "administration"),
        ("Buergerbeteiligung online: Beteiligungsplattform fuer Jugendliche", "participation"),
        ("Digitalkompetenz für Senioren in der Volkshochschule", "education"),
        ("Telemedizin in der ambulanten Pflege", "health-care"),
        ("Quartiersentwicklung und Wohnen im Neubaugebiet", "housing"),
        ("Leerstand im Einzelhandel der Innenstadt bekämpfen", "retail-economy"),
        ("Tourismus-App für Sehenswürdigkeiten und Museen", "culture-tourism"),
        ("Warnsystem für den Katastrophenschutz mit Sirenen", "public-safety"),
        ("Intelligente Straßenbeleuchtung mit Lichtmanagement", "lighting-infrastructure"),
        ("LoRaWAN-Netz mit Sensorik für die ganze Stadt", "digital-infrastructure"),
        ("Nahversorgung im ländlichen Raum: ein digitaler Dorfladen", "rural-development"),
        ("Wir erarbeiten unsere Smart-City-Strategie und die Governance", "governance-strategy"),
        ("Digitale Stadtplanung und Bauleitplanung", "urban-development"),
        ("Soziale Teilhabe und Zusammenleben der Generationen", "community"),
    ],
)
def test_a_municipality_text_is_tagged_with_its_field(text, slug):
    from cases.autotag import topics_for_text

    topics_sync()

    assert slug in [topic.slug for topic in topics_for_text(text=text)]

"""The taxonomy: enough fields of action, German keywords with umlaut variants, and texts of municipalities
land on the right field through the auto-tagger."""

from __future__ import annotations

import pytest

from crm.services import topics_sync
from crm.taxonomy import SOURCE_TOPIC_MAP, TOPIC_SLUGS, TOPICS, keywords_for, source_topics_to_slugs
from crm.text import fold

pytestmark = pytest.mark.django_db


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
    from workflows.autotag import topics_for_text

    topics_sync()

    assert slug in [topic.slug for topic in topics_for_text(text=text)]

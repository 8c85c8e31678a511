"""Topic auto-tagging from Topic.keywords: German stems, umlaut and ß variants, compounds."""

from __future__ import annotations

import pytest

from cases.autotag import topics_for_text
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return {
        "mobility": f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr", "ÖPNV"]),
        "lighting": f.TopicFactory(slug="licht", name_de="Beleuchtung", keywords=["Straßenbeleuchtung"]),
        "participation": f.TopicFactory(
            slug="beteiligung", name_de="Beteiligung", keywords=["Bürgerbeteiligung", "digitale Beteiligung"]
        ),
        "data": f.TopicFactory(slug="daten", name_de="Datenplattform", keywords=["Open Data", "Datenplattform"]),
    }


def slugs(text: str) -> list[str]:
    return [t.slug for t in topics_for_text(text=text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wir planen mehr Radverkehr", ["mobilitaet"]),
        ("Fragen zum OEPNV auf dem Land", ["mobilitaet"]),
        ("Strassenbeleuchtung mit Sensoren", ["licht"]),
        ("STRASSENBELEUCHTUNG", ["licht"]),
        ("Die Straßenbeleuchtungen der Stadt", ["licht"]),
        ("Buergerbeteiligung online", ["beteiligung"]),
        ("Eine Mobilitätsplattform für den Kreis", ["mobilitaet"]),
        ("Wir möchten Open Data veröffentlichen", ["daten"]),
        ("Nichts davon, nur Grüße", []),
    ],
)
def test_keywords_match_in_their_german_variants(topics, text, expected):
    assert slugs(text) == expected


def test_the_topic_with_most_hits_comes_first_and_at_most_three(topics):
    text = "Radverkehr, Radverkehr und OEPNV; dazu Straßenbeleuchtung, Bürgerbeteiligung und Open Data"
    result = slugs(text)
    assert result[0] == "mobilitaet" and len(result) == 3

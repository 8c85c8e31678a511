"""matching/measure_words.csv, the everyday words of each measure, stays in step with the catalogue
data: one row per measure of model_project_measures.csv, in the same order. The index ignores a row that names
no loaded measure; these tests say which rows to add, rename or drop when the data changes."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from matching.index import MEASURE_WORDS_PATH, catalogue_index, catalogue_index_invalidate, measure_words
from tests import factories as f

DATA = Path(settings.SHARED_DATA_DIR)


def _keys(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["model_project_id"], row["title"]) for row in csv.DictReader(handle)]


def _listed(keys) -> str:
    return "".join(f"\n  {project}: {title!r}" for project, title in keys)


def test_every_row_names_a_measure_of_the_data_and_every_measure_has_a_row():
    measures = _keys(DATA / "model_project_measures.csv")
    rows = _keys(MEASURE_WORDS_PATH)
    without_row = [k for k in measures if k not in set(rows)]
    without_measure = [k for k in rows if k not in set(measures)]
    twice = [k for k, n in Counter(rows).items() if n > 1]
    assert not (without_row or without_measure or twice), (
        f"{MEASURE_WORDS_PATH.name} is out of step with {DATA / 'model_project_measures.csv'}:"
        f"\nmeasures without a row:{_listed(without_row) or ' none'}"
        f"\nrows without a measure (renamed or removed?):{_listed(without_measure) or ' none'}"
        f"\nrows given twice:{_listed(twice) or ' none'}"
    )


def test_the_rows_are_in_the_order_of_the_data_file():
    measures = _keys(DATA / "model_project_measures.csv")
    rows = [k for k in _keys(MEASURE_WORDS_PATH) if k in set(measures)]
    assert rows == [k for k in measures if k in set(rows)]


def test_every_row_has_words_and_none_is_empty():
    with MEASURE_WORDS_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == ["model_project_id", "title", "words"]
    for row in rows:
        parts = row["words"].split(";")
        empty = [p for p in parts if not p.strip()]
        assert len(parts) >= 3 and not empty, f"{row['model_project_id']}: {row['title']!r} has empty or too few words"


@pytest.mark.django_db
def test_a_loaded_measure_is_indexed_with_the_everyday_words_of_its_row():
    """GIVEN Mannheim's fill-level sensors loaded under the slug and title of the data file WHEN the index is
    built THEN the measure carries the everyday words of its row, each stem its own text lacks named."""
    mannheim = f.ModelProjectFactory(slug="mpsc-2020-mannheim", name="Mannheim", lead_municipality=None)
    title = "Smart Waste: Abfallbehälter mit Füllstandssensoren"
    f.MeasureFactory(model_project=mannheim, title=title, description="Mülleimer melden ihren Füllstand.")
    catalogue_index_invalidate()
    entry = next(m for p in catalogue_index().projects for m in p.measures if m.title == title)
    words = measure_words()[("mpsc-2020-mannheim", title)]
    assert "Papierkorb" in words
    assert "Papierkorb" in entry.everyday.values()
    # "Mülleimer" is in the measure's own text as well: a hit on it is not credited to the everyday words
    assert "Mülleimer" not in entry.everyday.values()


@pytest.fixture
def waste(db, tmp_path, monkeypatch):
    """A project whose fill-level sensors have "Papierkorb" and "Parkbank" among their everyday words."""
    project = f.ModelProjectFactory(slug="mpsc-waste", name="Mannheim", lead_municipality=None)
    f.MeasureFactory(model_project=project, title="Füllstandssensoren", description="Sensoren melden den Füllstand.")
    f.MeasureFactory(model_project=project, title="Klimamessnetz", description="Wetterstationen in der Innenstadt.")
    path = tmp_path / "measure_words.csv"
    path.write_text(
        "model_project_id,title,words\nmpsc-waste,Füllstandssensoren,Papierkorb; Parkbank; überquellen\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("matching.index.MEASURE_WORDS_PATH", path)
    catalogue_index_invalidate()
    yield project
    catalogue_index_invalidate()


def test_the_catalogue_search_finds_a_measure_by_an_everyday_word(waste):
    from matching.search import catalogue_search

    result = catalogue_search(q="Papierkörbe")
    assert [h.project.name for h in result.hits] == ["Mannheim"]
    assert [m.title for m in result.hits[0].measures] == ["Füllstandssensoren"]


def test_the_catalogue_search_still_needs_every_word_and_no_part_of_an_everyday_word_stands_for_one(waste):
    """GIVEN "Parkbank" among the everyday words WHEN a search adds a word the project lacks, or names a
    compound that shares only a part with it ("Parkhaus": "Park") THEN the project is not found."""
    from matching.search import catalogue_search

    assert catalogue_search(q="Papierkorb Straßenbahn").hits == []
    assert catalogue_search(q="Parkhaus").hits == []
    assert [h.project.name for h in catalogue_search(q="Parkbank").hits] == ["Mannheim"]
    assert [h.project.name for h in catalogue_search(q="Papierkorb Wetterstation").hits] == ["Mannheim"]

"""The catalogue as the engine reads it: built once from the database, kept in memory, rebuilt on change.

Scoring one enquiry must take a few milliseconds, so the engine never queries the catalogue per enquiry:
``catalogue_index`` returns an in-process snapshot (projects with their measures' term counts, partners,
topics, BM25 statistics).

Each measure is indexed with two fields: its own title, description and topics, and its everyday words
(``measure_words.csv``: what a layperson calls the problem it solves, "Papierkorb; überquellen" for fill-level
sensors). An enquirer writes the problem, a measure is described by what was built; the everyday words bridge
the two on the catalogue side, at EVERYDAY_WEIGHT of the measure's own words (BM25F: the fields' weighted term
counts are added before BM25 saturates them, so a word in both fields does not count twice).

A change of the catalogue bumps a version number in the shared cache (receivers connected in ``MatchingConfig.ready``),
which every process compares before it reuses its snapshot; ``INDEX_MAX_AGE`` is the safety net for changes
that bypass model signals (``QuerySet.update``). An edit of ``measure_words.csv`` takes effect with the next
rebuild (a deploy restarts the processes).
"""

from __future__ import annotations

import csv
import logging
import math
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from catalogue.models import ConsortiumPartner, Measure, ModelProject, Topic
from matching.text import Vocabulary, terms, words

logger = logging.getLogger(__name__)

VERSION_KEY = "kts:matching:catalogue-version"
INDEX_MAX_AGE = 300.0
# BM25 parameters (Robertson/Zaragoza defaults); titles count twice as much as descriptions.
BM25_K1 = 1.2
BM25_B = 0.75
TITLE_REPEAT = 2
# The everyday words of each measure, keyed by model project slug and measure title; a row that names no
# loaded measure is ignored here (tests/matching/test_measure_words.py keeps the file in step with the data).
MEASURE_WORDS_PATH = Path(__file__).with_name("measure_words.csv")
# Weight of an everyday word against a word of the measure's own text: written by a third hand for what the
# measure is for, it says less than what the measure says of itself.
EVERYDAY_WEIGHT = 0.5


@dataclass(frozen=True)
class MeasureEntry:
    id: int
    title: str
    status: str
    topic_ids: frozenset[int]
    # own text and everyday words, weighted (BM25F): an everyday word counts EVERYDAY_WEIGHT
    tf: dict[str, float]
    length: float
    # stem -> the everyday word it comes from, for stems the measure's own text does not have: a hit on one of
    # them came through the everyday words, and the explanation says so
    everyday: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectEntry:
    id: int
    name: str
    kind: str
    bundeslaender: frozenset[str]
    population: int | None
    lat: float | None
    lon: float | None
    phase: str
    capacity: int
    topic_ids: frozenset[int]
    measure_topic_ids: frozenset[int]
    member_ags: frozenset[str]
    measures: tuple[MeasureEntry, ...]
    tf: dict[str, int]
    length: int


@dataclass(frozen=True)
class PartnerEntry:
    id: int
    name: str
    short_name: str
    expertise: frozenset[int]
    regions: frozenset[str]
    capacity: int


@dataclass
class CatalogueIndex:
    projects: list[ProjectEntry]
    partners: list[PartnerEntry]
    topic_names: dict[int, str]
    topic_parent: dict[int, int | None]
    vocabulary: Vocabulary
    idf: dict[str, float]
    avg_length: float
    version: object = None
    # (Place, project id) -> similarity value, filled by the engine
    similarity_cache: dict = field(default_factory=dict)
    built_at: float = field(default_factory=time.monotonic)

    def bm25(self, query: Mapping[str, float], tf: Mapping[str, float], length: float) -> tuple[float, list[str]]:
        """BM25 of one document for the query terms, and the terms that hit it. A query term's value is how
        often the enquiry says it; below 1 it is the weight of a term only a synonym or affix stands for."""
        score = 0.0
        hits = []
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / self.avg_length) if self.avg_length else BM25_K1
        for term, q_count in query.items():
            f = tf.get(term)
            if not f:
                continue
            idf = self.idf.get(term, 0.0)
            # a term the enquiry repeats counts a little more, not linearly more
            q_weight = 1 + math.log(q_count) if q_count >= 1 else q_count
            score += idf * (f * (BM25_K1 + 1)) / (f + norm) * q_weight
            hits.append(term)
        return score, hits


_local: dict[str, CatalogueIndex | None] = {"index": None}


def catalogue_index_invalidate() -> None:
    """Called when the catalogue changes: this process drops its snapshot now, the others when the version
    bump is visible, i.e. after commit (a bump before commit would let another process rebuild from the old
    rows and keep them as current)."""
    _local["index"] = None
    transaction.on_commit(_version_bump)


def _version_bump() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, timeout=None)
    except Exception:
        # the cache being away must not fail a catalogue change; INDEX_MAX_AGE bounds the staleness
        logger.warning("matching: could not bump the catalogue version", exc_info=True)


def _current_version() -> object:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
            _local["index"] = None  # the cache was emptied: nothing says our snapshot is still current
    except Exception:
        logger.warning("matching: catalogue version unreadable; relying on the snapshot's age", exc_info=True)
        index = _local["index"]
        return index.version if index is not None else None
    return version


def catalogue_index() -> CatalogueIndex:
    version = _current_version()
    index = _local["index"]
    if index is None or index.version != version or time.monotonic() - index.built_at > INDEX_MAX_AGE:
        index = catalogue_index_build()
        index.version = version
        _local["index"] = index
    return index


def _measure_text(measure: Measure) -> str:
    return " ".join([measure.title] * TITLE_REPEAT + [measure.description, measure.transferability_note])


@lru_cache(maxsize=4)
def _measure_words_read(path: Path, mtime: float) -> dict[tuple[str, str], tuple[str, ...]]:
    # mtime in the key: an edited file is read again, an unchanged one once per process
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            (row["model_project_id"].strip(), row["title"].strip()): tuple(
                w.strip() for w in (row["words"] or "").split(";") if w.strip()
            )
            for row in csv.DictReader(fh)
        }


def measure_words(path: Path | None = None) -> dict[tuple[str, str], tuple[str, ...]]:
    """(model project slug, measure title) -> the measure's everyday words; empty when the file is missing."""
    path = path or MEASURE_WORDS_PATH
    try:
        mtime = path.stat().st_mtime
    except OSError:
        logger.warning("matching: %s not found; measures are indexed without everyday words", path)
        return {}
    return _measure_words_read(path, mtime)


def catalogue_index_build() -> CatalogueIndex:
    """Four queries: topics, projects (with members, topics), measures (with topics), partners."""
    topics = list(Topic.objects.all())
    topic_names = {t.pk: t.name_de for t in topics}
    topic_parent = {t.pk: t.parent_id for t in topics}
    projects = list(ModelProject.objects.prefetch_related("municipalities", "topics").order_by("pk"))
    measures_by_project: dict[int, list[Measure]] = {}
    for measure in Measure.objects.prefetch_related("topics").order_by("pk"):
        measures_by_project.setdefault(measure.model_project_id, []).append(measure)
    partners = list(ConsortiumPartner.objects.filter(active=True).prefetch_related("expertise").order_by("pk"))
    everyday_table = measure_words()
    slugs = {p.pk: p.slug for p in projects}
    everyday_of = {
        m.pk: everyday_table.get((slugs.get(m.model_project_id, ""), m.title), ())
        for ms in measures_by_project.values()
        for m in ms
    }

    # 1. the vocabulary compounds are split against: every word of the catalogue and the topic keywords
    raw_texts = []
    for project in projects:
        raw_texts.append(project.description)
        raw_texts.append(project.source_topics)
        for m in measures_by_project.get(project.pk, []):
            raw_texts.append(_measure_text(m))
            raw_texts.extend(everyday_of[m.pk])
    for topic in topics:
        raw_texts.append(topic.name_de)
        raw_texts.extend(str(k) for k in topic.keywords or [])
    vocabulary = Vocabulary(w for text in raw_texts for w in words(text))

    # 2. term counts per document (each measure, and each project's own description)
    project_entries = []
    doc_lengths: list[float] = []
    doc_freq: Counter[str] = Counter()
    for project in projects:
        measure_entries = []
        topic_ids = {t.pk for t in project.topics.all()}
        measure_topics: set[int] = set()
        for m in measures_by_project.get(project.pk, []):
            m_topics = frozenset(t.pk for t in m.topics.all())
            topic_ids |= m_topics
            measure_topics |= m_topics
            names = " ".join(topic_names[t] for t in m_topics)
            own = Counter(terms(f"{_measure_text(m)} {names}", vocabulary=vocabulary))
            m_tf: dict[str, float] = dict(own)
            everyday: dict[str, str] = {}
            for phrase in everyday_of[m.pk]:
                for t in terms(phrase, vocabulary=vocabulary):
                    m_tf[t] = m_tf.get(t, 0.0) + EVERYDAY_WEIGHT
                    if t not in own:
                        everyday.setdefault(t, phrase)
            length = max(1.0, sum(m_tf.values()))
            measure_entries.append(MeasureEntry(m.pk, m.title, m.status, m_topics, m_tf, length, everyday))
            doc_freq.update(m_tf.keys())
            doc_lengths.append(length)
        names = " ".join(topic_names[t] for t in sorted(topic_ids))
        tf = Counter(terms(f"{project.description} {project.source_topics} {names}", vocabulary=vocabulary))
        doc_freq.update(tf.keys())
        doc_lengths.append(max(1, sum(tf.values())))
        project_entries.append(
            ProjectEntry(
                id=project.pk,
                name=project.name,
                kind=project.kind,
                bundeslaender=frozenset(s for s in project.bundeslaender.split(";") if s),
                population=project.population,
                lat=project.lat,
                lon=project.lon,
                phase=project.phase,
                capacity=project.capacity,
                topic_ids=frozenset(topic_ids),
                measure_topic_ids=frozenset(measure_topics),
                member_ags=frozenset(m.ags for m in project.municipalities.all()),
                measures=tuple(measure_entries),
                tf=dict(tf),
                length=max(1, sum(tf.values())),
            )
        )
    n_docs = len(doc_lengths)
    # BM25's idf, floored at a small positive value so that a term in every document still counts a little
    idf = {t: max(0.05, math.log(1 + (n_docs - df + 0.5) / (df + 0.5))) for t, df in doc_freq.items()}
    partner_entries = [
        PartnerEntry(
            id=p.pk,
            name=p.name,
            short_name=p.short_name,
            expertise=frozenset(t.pk for t in p.expertise.all()),
            regions=frozenset(str(r).upper() for r in (p.regions or []) if r),
            capacity=p.capacity,
        )
        for p in partners
    ]
    return CatalogueIndex(
        projects=project_entries,
        partners=partner_entries,
        topic_names=topic_names,
        topic_parent=topic_parent,
        vocabulary=vocabulary,
        idf=idf,
        avg_length=(sum(doc_lengths) / n_docs) if n_docs else 1.0,
    )

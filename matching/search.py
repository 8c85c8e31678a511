"""The search of the public catalogue (Projektatlas): full text over model projects and their measures, plus
the filters of the list page.

The full text reuses the matching engine's in-memory BM25 index (``catalogue_index``), so a search for
"Dorfshuttle" finds "Shuttle im Dorf" with the same German stemming and compound splitting the engine uses,
and it costs no query. A query made only of stop words ("Smart City") has no terms; it falls back to a
substring search over the folded texts.

Every query word must be found in the project (its name, its description or one of its measures); a measure
is shown as a hit when it contains any of the words. A measure's everyday words (``measure_words.csv``) count
too, but only whole: "Raumfahrt" is not found by the part "Fahrt" of an everyday word, since a reader sees no
everyday word on the page and could not tell why such a measure came up. Results are ranked by BM25 when there is a query, by name
otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from catalogue.models import Measure, ModelProject, Topic
from core.text import fold
from matching.index import CatalogueIndex, catalogue_index
from matching.text import terms, words

MEASURE_STATUSES = ["operational", "implementing", "planned", "unknown"]


@dataclass(frozen=True)
class TextHits:
    """What a full-text query found: project and measure ids with their BM25 scores."""

    projects: dict[int, float]
    measures: dict[int, float]


@dataclass
class ProjectHit:
    project: ModelProject
    # the measures to show under the project: the ones the query and filters found, else (when the project
    # matched by its own topics or text) the ones the measure filters leave
    measures: list[Measure]
    # how many of ``measures`` the query and filters found themselves (0 when they are the fallback)
    matched_measures: int
    score: float = 0.0


@dataclass
class CatalogueResult:
    hits: list[ProjectHit] = field(default_factory=list)
    measure_count: int = 0
    # True when the query had only stop words and the substring fallback answered it
    fallback: bool = False

    @property
    def project_count(self) -> int:
        return len(self.hits)


def _word_groups(q: str, index: CatalogueIndex) -> list[tuple[str, set[str]]]:
    """Each query word's own stem, and its terms: that stem and, for a compound, the stems of its parts."""
    groups = []
    for word in dict.fromkeys(words(q)):
        word_terms = terms(word, vocabulary=index.vocabulary)
        if word_terms:
            groups.append((word_terms[0], set(word_terms)))
    return groups


def catalogue_text_hits(*, q: str) -> TextHits | None:
    """Projects and measures that contain every word of ``q`` (the project counts with its measures);
    None when the query has no searchable word."""
    index = catalogue_index()
    groups = _word_groups(q, index)
    if not groups:
        return None
    query = Counter(t for _whole, group in groups for t in group)
    wholes = {whole for whole, _group in groups}
    projects: dict[int, float] = {}
    measures: dict[int, float] = {}
    for entry in index.projects:
        name_terms = set(terms(entry.name, vocabulary=index.vocabulary))
        score, hit_terms = index.bm25(query, entry.tf, entry.length)
        found = set(hit_terms) | (name_terms & set(query))
        measure_scores = {}
        for m in entry.measures:
            m_score, m_hits = index.bm25(query, m.tf, m.length)
            # a term only the everyday words have counts when it is a query word's own stem, not a part
            m_found = {t for t in m_hits if t not in m.everyday or t in wholes}
            if m_found:
                measure_scores[m.id] = m_score
                found.update(m_found)
        if all(group & found for _whole, group in groups):
            # the name counts like a strong hit, the best measures add to the project's own text
            name_bonus = sum(index.idf.get(t, 0.0) for t in name_terms & set(query)) * 2
            best = sorted(measure_scores.values(), reverse=True)[:3]
            projects[entry.id] = score + name_bonus + sum(best)
            measures.update(measure_scores)
    return TextHits(projects=projects, measures=measures)


def _bundesland_q(code: str) -> Q:
    # ``bundeslaender`` holds one code or several separated by ";" ("HH;SN;BY")
    return (
        Q(bundeslaender=code)
        | Q(bundeslaender__startswith=f"{code};")
        | Q(bundeslaender__endswith=f";{code}")
        | Q(bundeslaender__contains=f";{code};")
    )


def _folded_contains(needle: str, *texts: str) -> bool:
    return any(needle in fold(t or "") for t in texts)


def catalogue_search(
    *,
    q: str = "",
    topic: Topic | None = None,
    bundesland: str = "",
    size_class: str = "",
    cohort: int | None = None,
    status: str = "",
) -> CatalogueResult:
    """The model projects that pass every given filter, each with the measures to show.

    A fixed number of queries whatever the filters: projects (with lead), their topics, their measures and
    the measures' topics. ``status`` is one of MEASURE_STATUSES; ``topic`` also covers its sub-topics.
    """
    projects = ModelProject.objects.select_related("lead_municipality")
    if bundesland:
        projects = projects.filter(_bundesland_q(bundesland))
    if size_class:
        projects = projects.filter(lead_municipality__size_class=size_class)
    if cohort:
        projects = projects.filter(cohort=cohort)
    topic_ids: set[int] = set()
    if topic is not None:
        topic_ids = {topic.pk, *Topic.objects.filter(parent=topic).values_list("pk", flat=True)}
        in_measure = Measure.objects.filter(model_project=OuterRef("pk"), topics__in=topic_ids)
        projects = projects.filter(Q(topics__in=topic_ids) | Exists(in_measure)).distinct()
    status_value = "" if status == "unknown" else status
    if status:
        projects = projects.filter(Exists(Measure.objects.filter(model_project=OuterRef("pk"), status=status_value)))
    projects = projects.prefetch_related(
        "topics",
        Prefetch("measures", queryset=Measure.objects.prefetch_related("topics").order_by("title")),
    ).order_by("name")

    text = q.strip()
    hits = catalogue_text_hits(q=text) if text else None
    needle = fold(text) if text and hits is None else ""
    result = CatalogueResult(fallback=bool(needle))

    for project in projects:
        # narrowed step by step; a step that leaves nothing means the project matched by its own data
        # (topics, description), and the measures of the previous step are shown instead
        shown = list(project.measures.all())
        strict = True
        if status:
            shown = [m for m in shown if m.status == status_value]
        if topic is not None:
            with_topic = [m for m in shown if {t.pk for t in m.topics.all()} & topic_ids]
            strict = strict and bool(with_topic)
            shown = with_topic or shown
        score = 0.0
        if hits is not None:
            if project.pk not in hits.projects:
                continue
            score = hits.projects[project.pk]
            found = sorted((m for m in shown if m.pk in hits.measures), key=lambda m: -hits.measures[m.pk])
            strict = strict and bool(found)
            shown = found or shown
        elif needle:
            found = [m for m in shown if _folded_contains(needle, m.title, m.description)]
            if not found and not _folded_contains(needle, project.name, project.description):
                continue
            strict = strict and bool(found)
            shown = found or shown
        matched = len(shown) if strict else 0
        result.hits.append(ProjectHit(project=project, measures=shown, matched_measures=matched, score=score))
        result.measure_count += matched
    if hits is not None:
        result.hits.sort(key=lambda h: (-h.score, h.project.name))
    return result

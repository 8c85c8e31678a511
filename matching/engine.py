"""Scoring and ranking: every model project (through its measures) and every active partner for one enquiry.

Deterministic: the same catalogue, history and enquiry give the same ranking. Equal scores go to the project
of the more similar size, then the nearer one, then the lower id; partners' ties to who waited longest. An
enquiry made about one measure puts that measure's project first; a partner that does not serve the
enquirer's Land is not proposed at all. The catalogue comes from the in-memory index (``matching.index``); what
changes with every case (open introductions, success counts, partner workload) is read once per call into a
``RankingState``, or once per batch by whoever ranks many enquiries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from cases.models import Enquiry, State
from catalogue.models import ConsortiumPartner, Municipality
from matching import features
from matching.index import CatalogueIndex, PartnerEntry, ProjectEntry, catalogue_index
from matching.models import OPEN_INTRODUCTION_STATES, Introduction, ProjectTopicSuccess
from matching.text import display_words, query_terms

MEASURES_LISTED = 3
SIMILARITY_CACHE_MAX = 200_000
# Open introductions occupy a project's capacity; partners' open cases their capacity.
PARTNER_OPEN_STATES = [State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_REPLY]
# The project's own description counts less than a measure: it names topics, not what was built.
PROJECT_TEXT_SHARE = 0.5
# Share of similarity and maturity a project gets without content evidence; text value from which all counts,
# and how much a covered topic counts as evidence (a topic alone is weak: one project in three shares it).
FALLBACK_FLOOR = 0.3
EVIDENCE_FULL = 0.5
TOPIC_EVIDENCE = 0.5
# Below this share the explanation says that size and maturity counted little.
FALLBACK_NOTED = 0.7
_NEVER = datetime.min.replace(tzinfo=UTC)
KREISFREI = {"kreisfreie_stadt", "stadtkreis"}


def weights() -> dict[str, float]:
    return dict(settings.KTS_MATCHING_WEIGHTS)


@dataclass(frozen=True)
class MatchQuery:
    """What the engine needs of an enquiry (or of a row of the labelled evaluation set)."""

    text: str
    topic_ids: frozenset[int]
    place: features.Place | None
    # keys of the enquirer's own territory: a project with one of them as member is never proposed
    own_ags: frozenset[str] = frozenset()
    # the measure the enquiry was made about (from its catalogue page): its project leads the proposals
    measure_id: int | None = None


@dataclass
class RankingState:
    open_introductions: dict[int, int] = field(default_factory=dict)
    success: dict[tuple[int, int | None], tuple[int, int]] = field(default_factory=dict)
    partner_open: dict[int, int] = field(default_factory=dict)
    partner_last_assigned: dict[int, datetime | None] = field(default_factory=dict)


@dataclass
class Proposal:
    kind: str  # "model_project" | "partner"
    target_id: int
    name: str
    score: float
    measures: list[tuple[int, str]]
    explanation: list[dict[str, Any]]
    tiebreak: Any = None


def own_keys(municipality: Municipality) -> frozenset[str]:
    """The enquirer's key, and for a kreisfreie Stadt its twin (Kreis 01001 <-> Gemeinde 01001000)."""
    keys = {municipality.ags}
    if municipality.kind in KREISFREI:
        keys.add(
            municipality.ags[:5] if municipality.level == Municipality.Level.GEMEINDE else municipality.ags + "000"
        )
    return frozenset(keys)


def place_of(municipality: Municipality) -> features.Place:
    lat, lon = municipality.lat, municipality.lon
    if lat is None and municipality.level == Municipality.Level.KREIS:
        # the directory gives Kreise no coordinates: the mean of their Gemeinden stands in
        centre = Municipality.objects.filter(
            district_ags=municipality.ags, level=Municipality.Level.GEMEINDE
        ).aggregate(lat=Avg("lat"), lon=Avg("lon"))
        lat, lon = centre["lat"], centre["lon"]
    return features.Place(
        name=municipality.short_name,
        level=municipality.level,
        kind=municipality.kind,
        bundesland=municipality.bundesland,
        population=municipality.population,
        lat=lat,
        lon=lon,
    )


def query_for_enquiry(*, enquiry: Enquiry) -> MatchQuery:
    municipality = enquiry.municipality
    return MatchQuery(
        text=f"{enquiry.subject}\n{enquiry.message}",
        topic_ids=frozenset(enquiry.topics.values_list("pk", flat=True)),
        place=place_of(municipality),
        own_ags=own_keys(municipality),
        measure_id=enquiry.measure_id,
    )


# The ranking state in the cache (issue 14: a submission must not re-aggregate the Match, Introduction and
# Enquiry tables): kept under a version that every change of what it holds moves on (``ranking_state_changed``);
# the time limit bounds the harm of a change that was missed.
RANKING_STATE_VERSION_KEY = "matching:ranking-state:version"
RANKING_STATE_SECONDS = 300


def _ranking_state_version() -> int:
    version = cache.get(RANKING_STATE_VERSION_KEY)
    if version is None:
        cache.add(RANKING_STATE_VERSION_KEY, 0, None)
        version = cache.get(RANKING_STATE_VERSION_KEY) or 0
    return int(version)


def _ranking_state_bump() -> None:
    try:
        cache.incr(RANKING_STATE_VERSION_KEY)
    except ValueError:  # not there (a cleared cache): any new value is a new version
        cache.set(RANKING_STATE_VERSION_KEY, 1, None)


def ranking_state_changed(**kwargs: Any) -> None:
    """Something the ranking state counts changed (open introductions, success rates, partner workload or last
    assignment). Bumped now and again after commit: a reader between the two may cache the old rows under the
    new version, the second bump retires that."""
    _ranking_state_bump()
    transaction.on_commit(_ranking_state_bump, robust=True)


def ranking_state_cached() -> RankingState:
    """The ranking state of ``ranking_state_load``, from the cache while nothing it counts has changed: one or
    two cache reads instead of four aggregate queries per submission."""
    key = f"matching:ranking-state:{_ranking_state_version()}"
    state = cache.get(key)
    if state is None:
        state = ranking_state_load()
        cache.set(key, state, RANKING_STATE_SECONDS)
    return state


def ranking_state_load() -> RankingState:
    """Four queries; a batch loads it once and passes it to every call."""
    state = RankingState()
    state.open_introductions = dict(
        Introduction.objects.filter(state__in=OPEN_INTRODUCTION_STATES)
        .values("model_project")
        .annotate(n=Count("pk"))
        .values_list("model_project", "n")
    )
    for project_id, topic_id, s, t in ProjectTopicSuccess.objects.values_list(
        "model_project", "topic", "successes", "trials"
    ):
        state.success[(project_id, topic_id)] = (s, t)
    state.partner_open = dict(
        Enquiry.objects.filter(state__in=PARTNER_OPEN_STATES, assigned_partner__isnull=False)
        .values("assigned_partner")
        .annotate(n=Count("pk"))
        .values_list("assigned_partner", "n")
    )
    state.partner_last_assigned = dict(
        ConsortiumPartner.objects.filter(active=True).values_list("pk", "last_assigned_at")
    )
    return state


def _entry(signal: str, weight: float, value: float, text: str) -> dict[str, Any]:
    """One line of an explanation: ``signal`` is the code, ``label`` its name and ``text`` the reason, both
    in the active language."""
    return {"signal": signal, "label": features.label(signal), "weight": weight, "value": round(value, 4), "text": text}


def _weighted(
    values: dict[str, tuple[float, str]], w: dict[str, float], *, explain: bool
) -> tuple[float, list[dict[str, Any]]]:
    """The weighted score and, when explaining, one entry per feature. The score is summed from the rounded
    values so that it equals what the explanation shows."""
    rounded = {name: round(v, 4) for name, (v, _t) in values.items()}
    score = round(sum(w.get(name, 0.0) * v for name, v in rounded.items()), 4)
    explanation = [_entry(name, w.get(name, 0.0), v, t) for name, (v, t) in values.items()] if explain else []
    return score, explanation


def _success_counts(query: MatchQuery, project_id: int, state: RankingState) -> tuple[int, int]:
    if query.topic_ids:
        s = t = 0
        for topic_id in query.topic_ids:
            ps, pt = state.success.get((project_id, topic_id), (0, 0))
            s, t = s + ps, t + pt
        return s, t
    return state.success.get((project_id, None), (0, 0))


def projects_rank(
    *,
    query: MatchQuery,
    index: CatalogueIndex | None = None,
    state: RankingState | None = None,
    limit: int | None = None,
    explain: bool = True,
) -> list[Proposal]:
    """Every model project except the enquirer's own, best first.

    Two passes: all projects are scored without explanation texts (translating ~400 sentences would cost
    more than the scoring), then the ones returned are scored again with their texts.
    """
    index = index or catalogue_index()
    state = state if state is not None else ranking_state_load()
    w = weights()
    q_terms = query_terms(query.text, vocabulary=index.vocabulary)
    quick = [
        _project_score(query, project, index, state, q_terms, w, shown=None)
        for project in index.projects
        if not project.member_ags & query.own_ags
    ]
    quick.sort(key=lambda p: (p.tiebreak[0], -p.score, p.tiebreak[1:]))
    chosen = quick[:limit] if limit is not None else quick
    if not explain:
        return chosen
    # stem -> a readable word, so explanations quote what the enquirer wrote (or the synonym it stood for)
    shown = display_words(query.text, vocabulary=index.vocabulary) if q_terms else {}
    by_id = {p.id: p for p in index.projects}
    return [_project_score(query, by_id[p.target_id], index, state, q_terms, w, shown=shown) for p in chosen]


def _project_score(
    query: MatchQuery,
    project: ProjectEntry,
    index: CatalogueIndex,
    state: RankingState,
    q_terms: dict[str, float],
    w: dict[str, float],
    *,
    shown: dict[str, str] | None,
) -> Proposal:
    """One project's proposal; ``shown`` None scores without texts."""
    explain = shown is not None
    requested = next((m for m in project.measures if m.id == query.measure_id), None) if query.measure_id else None
    # text: the best-fitting measure, plus a share of the project's own description
    scored_measures = []
    for measure in project.measures:
        score, hits = index.bm25(q_terms, measure.tf, measure.length) if q_terms else (0.0, [])
        overlap = len(measure.topic_ids & query.topic_ids)
        scored_measures.append((score, overlap, measure, hits))
    scored_measures.sort(key=lambda item: (-item[0], -item[1], item[2].id))
    project_score, project_hits = index.bm25(q_terms, project.tf, project.length) if q_terms else (0.0, [])
    best = scored_measures[0] if scored_measures and (scored_measures[0][0] > 0 or scored_measures[0][1]) else None
    text_score = (best[0] if best else 0.0) + PROJECT_TEXT_SHARE * project_score
    hits = best[3] if best and best[0] > 0 else project_hits
    listed = [m for m in scored_measures if m[0] > 0 or m[1]][:MEASURES_LISTED]
    shown_measure = best[2] if best else (project.measures[0] if project.measures else None)
    if requested is not None:
        # the measure asked about is listed first and is the one whose status the explanation gives
        listed = [(0.0, 0, requested, []), *[m for m in listed if m[2].id != requested.id]][:MEASURES_LISTED]
        shown_measure = requested

    topic_v, topic_t = features.topic_feature(
        wanted=query.topic_ids,
        offered=project.topic_ids,
        names=index.topic_names,
        parent=index.topic_parent,
        concrete=project.measure_topic_ids,
        explain=explain,
    )
    text_hits: list[str] = []
    everyday_hits: list[str] = []
    if explain:
        # a hit only the measure's everyday words have is named as that word, the others as the enquiry says them
        everyday = best[2].everyday if best and best[0] > 0 else {}
        text_hits = list(dict.fromkeys(shown.get(h, h) for h in hits if h not in everyday))
        everyday_hits = list(dict.fromkeys(everyday[h] for h in hits if h in everyday))
    text_v, text_t = features.text_feature(
        score=text_score,
        measure_title=best[2].title if best and best[0] > 0 else None,
        hits=text_hits,
        everyday=everyday_hits,
        explain=explain,
    )
    sim_v, size, km = _similarity_value(query.place, project, index)
    sim_t = ""
    if explain:
        sim_v, sim_t = features.similarity_feature(
            place=query.place,
            kind=project.kind,
            population=project.population,
            bundeslaender=project.bundeslaender,
            lat=project.lat,
            lon=project.lon,
        )
    mat_v, mat_t = features.maturity_feature(
        phase=project.phase,
        measure_title=shown_measure.title if shown_measure else None,
        measure_status=shown_measure.status if shown_measure else None,
        explain=explain,
    )
    cap_v, cap_t = features.capacity_feature(
        open_count=state.open_introductions.get(project.id, 0), capacity=project.capacity, explain=explain
    )
    successes, trials = _success_counts(query, project.id, state)
    succ_v, succ_t = features.success_feature(successes=successes, trials=trials, explain=explain)
    values = {}
    if requested is not None:
        values["requested"] = features.requested_feature(measure_title=requested.title, explain=explain)
    # size, nearness and maturity say which of the projects that fit is the better partner, not which fits:
    # without content evidence they count only a share, so a near, small, mature project does not come first
    # for an enquiry it has nothing to do with
    share = fallback_share(text_v, topic_v)
    if share < 1.0:
        sim_v, sim_t = sim_v * share, _fallback_text(sim_t, share, explain=explain)
        mat_v, mat_t = mat_v * share, _fallback_text(mat_t, share, explain=explain)
    values |= {
        "topic": (topic_v, topic_t),
        "text": (text_v, text_t),
        "similarity": (sim_v, sim_t),
        "maturity": (mat_v, mat_t),
        "capacity": (cap_v, cap_t),
        "success": (succ_v, succ_t),
    }
    score, explanation = _weighted(values, w, explain=explain)
    return Proposal(
        kind="model_project",
        target_id=project.id,
        name=project.name,
        score=score,
        measures=[(m[2].id, m[2].title) for m in listed] if explain else [],
        explanation=explanation,
        # the requested project first whatever the weights; on equal scores the more similar size, then the
        # nearer project (SPEC section 4: "when texts tie, a similar size and nearness decide"), then the id
        tiebreak=(requested is None, -round(size, 4), round(km, 1), project.id),
    )


def fallback_share(text_value: float, topic_value: float) -> float:
    """How much of similarity and maturity counts: FALLBACK_FLOOR without any text or topic evidence, all of
    it from a text value of EVIDENCE_FULL (or a fully covered topic) on."""
    evidence = min(1.0, max(text_value / EVIDENCE_FULL, TOPIC_EVIDENCE * topic_value))
    return FALLBACK_FLOOR + (1.0 - FALLBACK_FLOOR) * evidence


def _fallback_text(text: str, share: float, *, explain: bool) -> str:
    if not explain or share >= FALLBACK_NOTED:
        return text
    return _("%(reason)s (zählt wenig: inhaltlich kaum Übereinstimmung)") % {"reason": text}


def _similarity_value(
    place: features.Place | None, project: ProjectEntry, index: CatalogueIndex
) -> tuple[float, float, float]:
    """Similarity, size likeness and distance (the tie-break) of the municipality and the project. They
    depend on these two only: remembered per index snapshot, so re-ranking many enquiries of the same
    municipalities computes each pair once."""
    key = (place, project.id)
    cached = index.similarity_cache.get(key)
    if cached is None:
        if len(index.similarity_cache) > SIMILARITY_CACHE_MAX:
            index.similarity_cache.clear()
        value = features.similarity_feature(
            place=place,
            kind=project.kind,
            population=project.population,
            bundeslaender=project.bundeslaender,
            lat=project.lat,
            lon=project.lon,
            explain=False,
        )[0]
        size, km = features.size_and_distance(
            place=place, population=project.population, lat=project.lat, lon=project.lon
        )
        cached = (value, size, km)
        index.similarity_cache[key] = cached
    return cached


def partners_rank(
    *,
    query: MatchQuery,
    index: CatalogueIndex | None = None,
    state: RankingState | None = None,
    limit: int | None = None,
    explain: bool = True,
) -> list[Proposal]:
    """Active partners by expertise, region and free capacity; equal scores go to who waited longest.
    A partner that does not serve the enquirer's Land is left out (no regions = nationwide; an enquiry
    without a known Land keeps every partner). Scored without texts first, like projects_rank."""
    index = index or catalogue_index()
    state = state if state is not None else ranking_state_load()
    w = weights()
    land = query.place.bundesland if query.place else None
    quick = [
        _partner_score(query, partner, index, state, w, explain=False)
        for partner in index.partners
        if partner_serves(partner=partner, land=land)
    ]
    quick.sort(key=lambda p: (-p.score, p.tiebreak))
    chosen = quick[:limit] if limit is not None else quick
    if not explain:
        return chosen
    by_id = {p.id: p for p in index.partners}
    return [_partner_score(query, by_id[p.target_id], index, state, w, explain=True) for p in chosen]


def partner_serves(*, partner: PartnerEntry, land: str | None) -> bool:
    return not partner.regions or not land or land.upper() in partner.regions


def _partner_score(
    query: MatchQuery,
    partner: PartnerEntry,
    index: CatalogueIndex,
    state: RankingState,
    w: dict[str, float],
    *,
    explain: bool,
) -> Proposal:
    land = query.place.bundesland if query.place else None
    values = {
        "topic": features.topic_feature(
            wanted=query.topic_ids,
            offered=partner.expertise,
            names=index.topic_names,
            parent=index.topic_parent,
            explain=explain,
        ),
        "region": features.region_feature(regions=partner.regions, bundesland=land, explain=explain),
        "capacity": features.capacity_feature(
            open_count=state.partner_open.get(partner.id, 0), capacity=partner.capacity, what="cases", explain=explain
        ),
    }
    score, explanation = _weighted(values, w, explain=explain)
    last = state.partner_last_assigned.get(partner.id) or _NEVER
    return Proposal(
        kind="partner",
        target_id=partner.id,
        name=partner.name,
        score=score,
        measures=[],
        explanation=explanation,
        tiebreak=(last, partner.id),
    )

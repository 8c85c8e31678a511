"""The demand radar (issue 15): groups of similar enquiries of the last months, for coordinators planning events.

How enquiries are grouped (``radar_groups``):

1. The enquiries of the period (by ``created_at``; the last six months by default; every state, but not those
   closed as spam or duplicate) are read with their fields of action and their *terms*: the stems of subject and
   message as the matching engine reads German (``matching.radar_docs``: on PostgreSQL the lexemes of the stored
   search vector, no message text loaded; compounds split against the catalogue's vocabulary, stop words out).
2. A term that more than ``GENERIC_SHARE`` of the period's enquiries use says nothing about what they want and is
   left out; so is, for one field of action, a term not at least ``MIN_LIFT`` times as common among its enquiries
   as among all (boilerplate such as "Fördermittel beantragt" is everywhere alike). Both only once there are
   ``GENERIC_MIN_DOCS`` enquiries (and the lift only without a field of action chosen); below that, every term
   counts.
3. A group is a field of action and up to ``MAX_TERMS`` terms: its members are the enquiries that have that field
   of action and use *every* one of those terms. Candidates grow from a seed, a (field of action, term) pair used
   by at least ``min_size`` enquiries, largest first: the term most of the members also use joins as long as at
   least ``COHESION`` of them (and ``min_size``) do, and the members narrow to those that use it.
4. A candidate whose members mostly (``OVERLAP`` of the smaller set) are in a group already taken is dropped:
   the same enquiries under a second field of action or a near-identical term set are one group.

Words that every enquiry may use (``GENERIC_WORDS``: "machen", "Lösung", "digital", ...) and, within a field of
action, the words of its own name make no group.

So the key says what the group is ("mobilitaet--park-sensor": the field of action's slug, then the terms), and
``radar_group`` finds the group again from its key alone by reading its members anew. Seeds are taken largest
first, and once ``limit`` groups are found no smaller seed can make a larger group, so the work stops there.

The projects of a group: the engine (``matching.engine.projects_rank``) scores the catalogue against the group's
words and fields of action as if they were one enquiry; a project the engine already proposed (``Match``, first
three ranks) for many of the group's enquiries gets ``PROPOSED_WEIGHT`` times that share on top, and says so.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Enquiry, State
from catalogue.models import Municipality, Topic
from catalogue.selectors import topic_param
from core.errors import GuardFailed
from core.geo import bundesland_param
from core.validation import ascii_digits, date_bounded
from matching.engine import MatchQuery, projects_rank, ranking_state_cached
from matching.index import catalogue_index
from matching.radar_docs import Doc, docs_load
from matching.text import display_words
from matching.text import terms as text_terms

DEFAULT_DAYS = 183
MAX_PERIOD_DAYS = 3 * 366
GENERIC_SHARE = 0.2
GENERIC_MIN_DOCS = 50
MIN_LIFT = 1.5
COHESION = 0.6
MAX_TERMS = 3
OVERLAP = 0.6
# Safety net: however the data look, no more seeds than this are grown.
MAX_SEEDS = 5_000
# Enquiries of a candidate whose terms are counted to find the next shared one.
GROW_SAMPLE = 400
MAX_LIMIT = 200
PROJECTS_SHOWN = 3
PROPOSED_RANKS = 3
PROPOSED_WEIGHT = 0.3
# Words every enquiry of the office may use whatever it is about (beyond the engine's stop words): they make no
# group. The words of a field of action's own name make none within it either ("Energie" in energy).
GENERIC_WORDS = (
    "machen erarbeiten einrichten einführen aufbauen umsetzen nutzen interessieren Beispiel Beispiele Bürger "
    "Bürgerinnen digital digitale Lösung Lösungen Frage Fragen"
)
# Texts read per group to show its terms as the enquirers wrote them.
SAMPLE_TEXTS = 5
_KEY = re.compile(r"(?P<topic>[a-z0-9][a-z0-9_-]{0,59}?)--(?P<terms>[a-z]{3,40}(?:-[a-z]{3,40}){0,4})")
CLOSED_STATES = (State.RESOLVED, State.CLOSED)


@dataclass(frozen=True)
class RadarProject:
    id: int
    name: str
    score: float
    reasons: tuple[str, ...]
    proposed: int = 0


@dataclass(frozen=True)
class RadarGroup:
    key: str
    title: str
    topics: tuple[dict[str, Any], ...]
    terms: tuple[str, ...]
    enquiry_ids: tuple[int, ...]
    size: int
    open_count: int
    municipalities: tuple[dict[str, Any], ...]
    laender: dict[str, int]
    first_at: dt.datetime
    last_at: dt.datetime
    projects: tuple[RadarProject, ...] = field(default=())
    # model project id -> of how many of the group's enquiries the engine proposed it (first ranks)
    proposals: dict[int, int] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class RadarFilters:
    since: dt.date
    until: dt.date
    topic: Topic | None = None
    bundesland: str | None = None
    min_size: int = 2

    def as_params(self) -> dict[str, str]:
        params = {"from": self.since.isoformat(), "to": self.until.isoformat(), "min_size": str(self.min_size)}
        if self.topic is not None:
            params["topic"] = self.topic.slug
        if self.bundesland:
            params["bundesland"] = self.bundesland
        return params


def radar_filters_parse(*, params: Mapping[str, str], today: dt.date | None = None) -> RadarFilters:
    """``from``, ``to`` (JJJJ-MM-TT), ``topic`` (slug), ``bundesland`` (code), ``min_size``; a bad one raises
    GuardFailed naming it."""
    today = today or timezone.localdate()

    def day(name: str) -> dt.date | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date_bounded(dt.date.fromisoformat(raw), field=name)
        except ValueError:
            raise GuardFailed(_("Bitte ein Datum im Format JJJJ-MM-TT angeben."), field=name) from None

    until = day("to") or today
    since = day("from") or (until - dt.timedelta(days=DEFAULT_DAYS))
    if since > until:
        raise GuardFailed(_("Der Beginn des Zeitraums liegt nach seinem Ende."), field="from")
    if (until - since).days > MAX_PERIOD_DAYS:
        raise GuardFailed(_("Der Zeitraum ist zu lang (höchstens drei Jahre)."), field="to")
    topic = topic_param(params)
    bundesland = bundesland_param(params)
    raw_size = (params.get("min_size") or "").strip()
    min_size = 2
    if raw_size:
        if not ascii_digits(raw_size) or not 2 <= int(raw_size[:6]) <= 1000:
            raise GuardFailed(_("Bitte eine Zahl von 2 bis 1000 angeben."), field="min_size")
        min_size = int(raw_size)
    return RadarFilters(since=since, until=until, topic=topic, bundesland=bundesland, min_size=min_size)


def _window(
    since: dt.date | dt.datetime | None, until: dt.date | dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    """[start, end): a date means the whole day (``until`` inclusive), in the office's time zone."""

    def moment(value: dt.date | dt.datetime, *, after: bool) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value)
        day = value + dt.timedelta(days=1) if after else value
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    end = moment(until, after=True) if until is not None else timezone.now()
    start = moment(since, after=False) if since is not None else end - dt.timedelta(days=DEFAULT_DAYS)
    return start, end


def _topic_of(topic: Topic | str | None) -> Topic | None:
    if topic is None or isinstance(topic, Topic):
        return topic
    return Topic.objects.filter(slug=topic).first()


# --- grouping ---------------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    topic_id: int
    terms: tuple[str, ...]
    members: frozenset[int]


def _grow(seed: str, members: list[Doc], *, min_size: int, generic: set[str]) -> tuple[tuple[str, ...], list[Doc]]:
    """The seed and the terms most of its members share, each narrowing the members to those that use it."""
    chosen = [seed]
    while len(chosen) < MAX_TERMS:
        # the shared words of a large group show in a sample of it as well; the members are then narrowed exactly
        sample = members[:GROW_SAMPLE]
        counts: Counter[str] = Counter()
        for doc in sample:
            counts.update(doc.terms)
        needed = max(min_size, COHESION * len(sample))
        best = None
        # most shared first; on a tie the longer (more specific) term, then the alphabet, so keys are stable
        for term, n in sorted(counts.items(), key=lambda item: (-item[1], -len(item[0]), item[0])):
            if n < needed:
                break
            if term in generic or any(term in c or c in term for c in chosen):
                continue
            best = term
            break
        if best is None:
            break
        chosen.append(best)
        members = [doc for doc in members if best in doc.terms]
    return tuple(chosen), members


def _topic_terms() -> dict[int, set[str]]:
    """The terms of each field of action's own name (German and English)."""
    return {t.pk: set(text_terms(f"{t.name_de} {t.name_en}")) for t in Topic.objects.only("pk", "name_de", "name_en")}


def _candidates(docs: list[Doc], *, topic_id: int | None, min_size: int, limit: int) -> list[_Candidate]:
    postings: dict[str, list[Doc]] = {}
    for doc in docs:
        for term in doc.terms:
            postings.setdefault(term, []).append(doc)
    generic = set(text_terms(GENERIC_WORDS)) | (
        {t for t, found_in in postings.items() if len(found_in) > GENERIC_SHARE * len(docs)}
        if len(docs) >= GENERIC_MIN_DOCS
        else set()
    )
    own_name = _topic_terms()
    rated = len(docs) >= GENERIC_MIN_DOCS and topic_id is None
    topic_sizes = Counter(t for doc in docs for t in doc.topic_ids)
    # Seeds best first without counting every term per field of action: a term's number of enquiries bounds
    # its count in any field of action, so it is split into (field of action, term) seeds only when it comes up.
    heap = [
        (-len(found), 0, -len(t), t, 0) for t, found in postings.items() if len(found) >= min_size and t not in generic
    ]
    heapq.heapify(heap)
    seed_members: dict[tuple[str, int], list[Doc]] = {}
    taken: list[_Candidate] = []
    grown = 0
    while heap and grown < MAX_SEEDS:
        negative, resolved, _length, term, tid = heapq.heappop(heap)
        n = -negative
        if len(taken) >= limit and n <= len(taken[limit - 1].members):
            break  # no smaller seed makes a group larger than the ones found
        if not resolved:
            found = postings[term]
            by_topic: dict[int, list[Doc]] = {}
            for doc in found:
                for t in doc.topic_ids:
                    by_topic.setdefault(t, []).append(doc)
            for t, topic_docs in by_topic.items():
                count = len(topic_docs)
                # boilerplate ("Fördermittel beantragt") is as common in a field of action as everywhere: a
                # term must be MIN_LIFT times as common in the field of action as among all enquiries
                lifted = not rated or count / topic_sizes[t] >= MIN_LIFT * len(found) / len(docs)
                if count >= min_size and topic_id in (None, t) and lifted and term not in own_name.get(t, ()):
                    seed_members[(term, t)] = topic_docs
                    heapq.heappush(heap, (-count, 1, -len(term), term, t))
            continue
        grown += 1
        members = seed_members.pop((term, tid))
        chosen, members = _grow(term, members, min_size=min_size, generic=generic | own_name.get(tid, set()))
        if len(members) < min_size:
            continue
        ids = frozenset(doc.id for doc in members)
        if any(_overlapping(ids, c.members) for c in taken):
            continue
        taken.append(_Candidate(topic_id=tid, terms=chosen, members=ids))
        taken.sort(key=lambda c: (-len(c.members), c.terms))
    return taken[:limit]


def _overlapping(a: frozenset[int], b: frozenset[int]) -> bool:
    """Most (OVERLAP) of the smaller set's members are in the other one: it adds little to the group taken."""
    small = min(len(a), len(b))
    return small > 0 and len(a & b) / small >= OVERLAP


def group_key(*, topic_slug: str, terms: tuple[str, ...]) -> str:
    return f"{topic_slug}--{'-'.join(terms)}"


# --- the public selectors --------------------------------------------------------------------------------------


def radar_groups(
    *,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
    topic: Topic | str | None = None,
    bundesland: str | None = None,
    min_size: int = 2,
    limit: int = 30,
    projects: bool = True,
) -> list[RadarGroup]:
    """The largest groups of similar enquiries of the period, largest first (see the module's docstring).
    ``projects=False`` leaves their projects out (a list that shows a page of them adds them to that page with
    ``radar_projects_add``: scoring the catalogue costs a few milliseconds per group)."""
    limit = max(1, min(limit, MAX_LIMIT))
    topic_obj = _topic_of(topic)
    if topic is not None and topic_obj is None:
        return []
    start, end = _window(since, until)
    index = catalogue_index()
    docs = docs_load(
        start=start,
        end=end,
        topic_id=topic_obj.pk if topic_obj else None,
        bundesland=bundesland,
        vocabulary=index.vocabulary,
    )
    candidates = _candidates(docs, topic_id=topic_obj.pk if topic_obj else None, min_size=max(2, min_size), limit=limit)
    by_id = {doc.id: doc for doc in docs}
    groups = _groups_build([(c.topic_id, c.terms, [by_id[i] for i in c.members]) for c in candidates])
    return radar_projects_add(groups=groups) if projects else groups


def radar_projects_add(*, groups: list[RadarGroup]) -> list[RadarGroup]:
    """The groups with their best-fitting model projects (no query once the catalogue index is built)."""
    if not groups:
        return []
    index = catalogue_index()
    state = ranking_state_cached()
    return [
        replace(
            group,
            projects=_projects(
                group.terms,
                frozenset(t["id"] for t in group.topics),
                group.size,
                group.proposals,
                index=index,
                state=state,
            ),
        )
        for group in groups
    ]


def radar_group(
    *,
    key: str,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
    bundesland: str | None = None,
) -> RadarGroup | None:
    """The group of ``key`` in the period (the same default as ``radar_groups``), None for a key that is not
    one or whose group has no enquiries in it."""
    match = _KEY.fullmatch(key or "")
    if match is None:
        return None
    topic = Topic.objects.filter(slug=match["topic"]).first()
    if topic is None:
        return None
    terms = tuple(match["terms"].split("-"))
    start, end = _window(since, until)
    index = catalogue_index()
    docs = docs_load(start=start, end=end, topic_id=topic.pk, bundesland=bundesland, vocabulary=index.vocabulary)
    members = [doc for doc in docs if all(t in doc.terms for t in terms)]
    if not members:
        return None
    return radar_projects_add(groups=_groups_build([(topic.pk, terms, members)]))[0]


# --- building the answer ---------------------------------------------------------------------------------------


def _groups_build(found: list[tuple[int, tuple[str, ...], list[Doc]]]) -> list[RadarGroup]:
    """Names, places, readable words and projects of the groups: a handful of queries for all of them."""
    if not found:
        return []
    topics = {t.pk: t for t in Topic.objects.all()}
    place_ids = {doc.municipality_id for _t, _terms, members in found for doc in members}
    places = {m["pk"]: m for m in Municipality.objects.filter(pk__in=place_ids).values("pk", "name", "bundesland")}
    words = _readable_words(found)
    proposed = _proposed_counts(found)
    groups = []
    for number, (topic_id, terms, members) in enumerate(found):
        members = sorted(members, key=lambda d: (d.created, d.id))
        shared = frozenset.intersection(*(d.topic_ids for d in members)) | {topic_id}
        ordered_topics = [topics[topic_id], *sorted((topics[t] for t in shared if t != topic_id), key=str)]
        shown = tuple(words[number].get(t, t) for t in terms)
        per_place = Counter(d.municipality_id for d in members)
        laender = Counter(places[d.municipality_id]["bundesland"] for d in members)
        municipalities = tuple(
            {"id": pk, "name": places[pk]["name"], "bundesland": places[pk]["bundesland"], "enquiries": n}
            for pk, n in sorted(per_place.items(), key=lambda item: (-item[1], places[item[0]]["name"]))
        )
        groups.append(
            RadarGroup(
                key=group_key(topic_slug=topics[topic_id].slug, terms=terms),
                title=_("%(topic)s: %(words)s") % {"topic": topics[topic_id].name, "words": ", ".join(shown)},
                topics=tuple({"id": t.pk, "slug": t.slug, "name": t.name} for t in ordered_topics),
                terms=shown,
                enquiry_ids=tuple(d.id for d in members),
                size=len(members),
                open_count=sum(1 for d in members if d.state not in CLOSED_STATES),
                municipalities=municipalities,
                laender=dict(sorted(laender.items(), key=lambda item: (-item[1], item[0]))),
                first_at=members[0].created_at,
                last_at=members[-1].created_at,
                proposals=proposed.get(number, {}),
            )
        )
    return groups


def _readable_words(found: list[tuple[int, tuple[str, ...], list[Doc]]]) -> list[dict[str, str]]:
    """Per group, term -> the word as its enquirers wrote it, from a few of its newest texts (one query)."""
    sample = {
        number: [d.id for d in sorted(members, key=lambda d: (d.created, d.id), reverse=True)[:SAMPLE_TEXTS]]
        for number, (_t, _terms, members) in enumerate(found)
    }
    texts = dict(
        (pk, f"{subject}\n{message[:2000]}")
        for pk, subject, message in Enquiry.objects.filter(pk__in={i for ids in sample.values() for i in ids})
        .order_by()
        .values_list("pk", "subject", "message")
    )
    vocabulary = catalogue_index().vocabulary
    out = []
    for number, (_t, terms, _members) in enumerate(found):
        shown: dict[str, str] = {}
        for pk in sample[number]:
            mapping = display_words(texts.get(pk, ""), vocabulary=vocabulary)
            for term in terms:
                if term not in shown and term in mapping:
                    shown[term] = mapping[term]
        for term in terms:
            if term not in shown:
                shown[term] = _word_beginning(term, [texts.get(pk, "") for pk in sample[number]]) or term
        out.append(shown)
    return out


def _word_beginning(term: str, texts: list[str]) -> str | None:
    """The first written word that a term begins (the stem "sensor" of "Sensoren"), for a term the engine's
    display words do not name (a lexeme of PostgreSQL's stemmer)."""
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", text):
            if len(word) >= len(term) and word.casefold().replace("ß", "ss").startswith(term):
                return word
    return None


def _proposed_counts(found: list[tuple[int, tuple[str, ...], list[Doc]]]) -> dict[int, dict[int, int]]:
    """Per group, model project -> of how many of its enquiries the engine proposed it among the first ranks."""
    return {
        number: dict(Counter(pid for doc in members for pid in set(doc.proposed)))
        for number, (_t, _terms, members) in enumerate(found)
    }


def _projects(
    words: tuple[str, ...], topic_ids: frozenset[int], size: int, proposed: dict[int, int], *, index, state
) -> tuple[RadarProject, ...]:
    """The catalogue scored against the group as one enquiry, the projects already proposed for its enquiries
    lifted by their share; the first PROJECTS_SHOWN with the engine's reasons."""
    query = MatchQuery(text=" ".join(words), topic_ids=topic_ids, place=None)
    quick = projects_rank(query=query, index=index, state=state, explain=False)
    position = {p.target_id: n for n, p in enumerate(quick)}
    combined = sorted(
        quick, key=lambda p: (-(p.score + PROPOSED_WEIGHT * proposed.get(p.target_id, 0) / size), position[p.target_id])
    )[:PROJECTS_SHOWN]
    deepest = max((position[p.target_id] for p in combined), default=-1)
    explained = {
        p.target_id: p for p in projects_rank(query=query, index=index, state=state, limit=deepest + 1, explain=True)
    }
    out = []
    for p in combined:
        entries = explained[p.target_id].explanation
        # the reasons that counted most, the ones that said nothing left out
        useful = sorted(
            (e for e in entries if e["value"] > 0 and e["weight"] > 0), key=lambda e: -e["weight"] * e["value"]
        )
        reasons = [e["text"] for e in useful[:2]]
        n = proposed.get(p.target_id, 0)
        if n:
            reasons.append(
                _("Bereits für %(n)s von %(size)s Anfragen der Gruppe vorgeschlagen.") % {"n": n, "size": size}
            )
        score = round(p.score + PROPOSED_WEIGHT * n / size, 4)
        out.append(RadarProject(id=p.target_id, name=p.name, score=score, reasons=tuple(reasons), proposed=n))
    return tuple(out)


def radar_references(*, groups: list[RadarGroup], per_group: int) -> dict[int, str]:
    """Enquiry id -> reference for the first ``per_group`` enquiries of each group (newest first), one query: the
    page lists them as links to the cases."""
    ids = {pk for group in groups for pk in group.enquiry_ids[-per_group:]}
    return dict(Enquiry.objects.filter(pk__in=ids).order_by().values_list("pk", "reference"))

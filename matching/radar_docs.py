"""The demand radar's input: the enquiries of a period with their fields of action and their terms.

On PostgreSQL one query reads, per enquiry, the lexemes of its stored search vector (``cases.search``) that come
from the subject and the message (weights A and B, ``ts_filter``), without the words of its municipality's name
and of its reference (``ts_delete``): the vector is already there, stemmed by the same Snowball German stemmer
as ``matching.text``, so no message text travels to Python. On SQLite (development, tests) the subject and the
message are read and go through ``matching.text.terms``, which on that scale costs nothing.

Both sides then get the engine's treatment of German: compounds split against the catalogue's vocabulary
("parkraumsensor" also counts as "park", "raum", "sensor"), the engine's stop words left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from django.db import connection

from cases.models import CloseReason, Enquiry, State
from core.text import fold
from matching.models import Match
from matching.text import MIN_PART, STOPWORDS, Vocabulary, stem, terms

# A term is a folded stem of letters only, at least this long ("ki" and "it" say too little to group by).
_TERM = re.compile(r"[a-z]{3,40}")
# Closed as these, an enquiry is no demand.
NOT_DEMAND = (CloseReason.SPAM, CloseReason.DUPLICATE)
# A proposal among the engine's first this many counts for the group's projects.
PROPOSED_RANKS = 3
# Parts of a compound shorter than this are not counted as terms of their own.
MIN_COMPOUND_PART = 4


@dataclass(slots=True)
class Doc:
    """One enquiry as the radar reads it (not frozen: 40,000 frozen instances cost half a second to make)."""

    id: int
    municipality_id: int
    state: str
    # seconds since the epoch: 40,000 datetimes cost a quarter of a second to parse, a float nothing
    created: float
    topic_ids: frozenset[int]
    terms: frozenset[str]
    # the model projects the engine proposed for it among its first PROPOSED_RANKS
    proposed: tuple[int, ...] = ()

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.created, tz=dt.UTC)


@lru_cache(maxsize=1)
def stop_terms() -> frozenset[str]:
    """The engine's stop words as stems too: the search vector holds stems."""
    return frozenset(STOPWORDS) | frozenset(stem(w) for w in STOPWORDS)


def _expansions(lexemes: set[str], vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Each of the period's distinct lexemes -> its terms: itself folded, with its compound parts; none for a
    number, an address or a stop word."""
    stops = stop_terms()
    out: dict[str, tuple[str, ...]] = {}
    for lexeme in lexemes:
        if not lexeme.isalpha():
            out[lexeme] = ()  # numbers (the reference's, years) and e-mail addresses: never a term
            continue
        term = fold(lexeme)
        parts = vocabulary.split(term) if len(term) >= 2 * MIN_PART else ()
        candidates = [term, *(stem(part) for part in parts if len(part) >= MIN_COMPOUND_PART)]
        out[lexeme] = tuple(dict.fromkeys(t for t in candidates if _TERM.fullmatch(t) and t not in stops))
    return out


def docs_load(
    *,
    start: dt.datetime,
    end: dt.datetime,
    topic_id: int | None,
    bundesland: str | None,
    vocabulary: Vocabulary,
) -> list[Doc]:
    """The enquiries created in [start, end) (not closed as spam or duplicate), narrowed to a field of action and
    a Land when given, each with its topics and terms. One query on PostgreSQL, three on SQLite."""
    if connection.vendor == "postgresql":
        rows = _postgres_rows(start=start, end=end, topic_id=topic_id, bundesland=bundesland)
    else:
        rows = _python_rows(start=start, end=end, topic_id=topic_id, bundesland=bundesland)
    # each distinct lexeme is looked at once; per enquiry only lookups and a set built in C remain
    terms_of = _expansions(set().union(*(row[5] or () for row in rows)), vocabulary).__getitem__
    return [
        Doc(
            id=pk,
            municipality_id=municipality_id,
            state=state,
            created=created,
            topic_ids=frozenset(topic_ids or ()),
            terms=frozenset(chain.from_iterable(map(terms_of, lexemes or ()))),
            proposed=tuple(proposed or ()),
        )
        for pk, municipality_id, state, created, topic_ids, lexemes, proposed in rows
    ]


def _postgres_rows(*, start, end, topic_id, bundesland):
    enquiry = Enquiry._meta.db_table
    through = Enquiry.topics.through._meta.db_table
    municipality = Enquiry._meta.get_field("municipality").related_model._meta.db_table
    where = ["e.created_at >= %s", "e.created_at < %s", "NOT (e.state = %s AND e.close_reason = ANY(%s))"]
    # the SELECT's parameters come first
    params: list = [Match.Kind.MODEL_PROJECT, PROPOSED_RANKS, start, end, State.CLOSED, [str(r) for r in NOT_DEMAND]]
    if bundesland:
        where.append("m.bundesland = %s")
        params.append(bundesland)
    if topic_id is not None:
        where.append(f"EXISTS (SELECT 1 FROM {through} x WHERE x.enquiry_id = e.id AND x.topic_id = %s)")  # noqa: S608
        params.append(topic_id)
    match = Match._meta.db_table
    # Of the reference only its prefix ("KTS") is a word; numbers are dropped in Python (``_TERM``: a regular
    # expression per lexeme in SQL cost more than the whole array). A case whose search fields are not written yet (the
    # deferred job) is read from its text. (The place's words computed once per place in a CTE made the query
    # slower: it is no longer run in parallel.)
    sql = f"""
        SELECT e.id, e.municipality_id, e.state, extract(epoch FROM e.created_at)::float8,
            ARRAY(SELECT t.topic_id FROM {through} t WHERE t.enquiry_id = e.id),
            tsvector_to_array(ts_delete(
                ts_filter(
                    coalesce(e.search_vector, setweight(to_tsvector('german', e.subject || ' ' || e.message), 'A')),
                    '{{a,b}}'
                ),
                tsvector_to_array(to_tsvector('german', m.name || ' ' || m.short_name))
                || lower(split_part(e.reference, '-', 1))
            )),
            ARRAY(SELECT p.model_project_id FROM {match} p WHERE p.enquiry_id = e.id AND p.kind = %s AND p.rank <= %s)
        FROM {enquiry} e JOIN {municipality} m ON m.id = e.municipality_id
        WHERE {" AND ".join(where)}
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _python_rows(*, start, end, topic_id, bundesland):
    enquiries = (
        Enquiry.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(state=State.CLOSED, close_reason__in=NOT_DEMAND)
        .order_by()
    )
    if bundesland:
        enquiries = enquiries.filter(municipality__bundesland=bundesland)
    if topic_id is not None:
        enquiries = enquiries.filter(topics=topic_id)
    rows = list(enquiries.values_list("pk", "municipality_id", "state", "created_at", "subject", "message"))
    ids = [r[0] for r in rows]
    topics: dict[int, list[int]] = {}
    for enquiry_id, tid in Enquiry.topics.through.objects.filter(enquiry_id__in=ids).values_list(
        "enquiry_id", "topic_id"
    ):
        topics.setdefault(enquiry_id, []).append(tid)
    proposed: dict[int, list[int]] = {}
    matches = Match.objects.filter(enquiry_id__in=ids, kind=Match.Kind.MODEL_PROJECT, rank__lte=PROPOSED_RANKS)
    for enquiry_id, project_id in matches.values_list("enquiry_id", "model_project_id"):
        proposed.setdefault(enquiry_id, []).append(project_id)
    return [
        (
            pk,
            municipality_id,
            state,
            created_at.timestamp(),
            topics.get(pk, []),
            terms(f"{subject}\n{message}"),
            proposed.get(pk, []),
        )
        for pk, municipality_id, state, created_at, subject, message in rows
    ]

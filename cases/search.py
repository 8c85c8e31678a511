"""Full-text search over the cases (``?q=`` of the workspace list) and the list's denormalised sort key.

What is searched, by weight: A the reference and the subject; B the message and the municipality's name;
C the contact (name, e-mail) and the timeline (every Activity's text, every TransitionLog comment).

- **PostgreSQL**: a stored ``search_vector`` (``to_tsvector('german', ...)`` with ``setweight`` A/B/C) behind
  a GIN index; the query is ``plainto_tsquery('german', q)`` (every word required), ranked by ``ts_rank``
  with PostgreSQL's default weights (A 1.0, B 0.4, C 0.2). The german configuration stems: "Papierkörbe" finds
  "Papierkorb" and the other way round.
- **SQLite** (the embedded default): three stored word lists ``search_a/b/c``, folded (lower case, umlauts and
  accents to their base letter, ß -> ss, as the german stemmer does). Every word of the query must begin a
  word of one of them (a prefix match, after a few common German endings are cut off the query word, so
  "Papierkörbe" finds "Papierkorb" and "Papierkorb" finds "Papierkörbe"); the rank adds up, per query word,
  the weight of the best list it was found in (A 1.0, B 0.4, C 0.2), the same weights as on PostgreSQL. The
  commonest German stop words of the query are dropped, as the german configuration does.

One door keeps it current: ``search_refresh(enquiry_ids)``. The receivers in ``cases.apps`` call it after the
commit of every transition (``transition_happened``), every other change of a case (``enquiry_changed``) and
every new timeline entry (``Activity`` saved: notes, follow-ups, introductions); ``manage.py search_rebuild``
rebuilds every case (after bulk loads, which bypass the signals). The same refresh recomputes ``next_due``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, DateTimeField, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least, NullIf

from cases.deadlines import DEADLINES
from cases.models import Activity, Enquiry, TransitionLog
from ops.jobs import job_defer

FAR = datetime(9999, 1, 1, tzinfo=UTC)
WEIGHTS = {"a": 1.0, "b": 0.4, "c": 0.2}
BATCH = 2_000
# cut off the query word on SQLite before the prefix match (longest first; at least 4 letters stay)
_ENDINGS = ("ern", "en", "er", "es", "em", "e", "n", "s")
_WORD = re.compile(r"[^\W_]+")
# the commonest words of PostgreSQL's german stop list (folded): not required on SQLite either
_STOPWORDS = frozenset(
    [
        "aber",
        "alle",
        "als",
        "am",
        "an",
        "auch",
        "auf",
        "aus",
        "bei",
        "bin",
        "bis",
        "da",
        "das",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "es",
        "fur",
        "hat",
        "ich",
        "ihr",
        "im",
        "in",
        "ist",
        "mit",
        "nach",
        "nicht",
        "noch",
        "oder",
        "sich",
        "sie",
        "sind",
        "so",
        "um",
        "und",
        "uns",
        "von",
        "vor",
        "war",
        "was",
        "wie",
        "wir",
        "wird",
        "zu",
        "zum",
        "zur",
    ]
)


def fold(text: str) -> str:
    """Lower case, ß -> ss, accents and umlauts to their base letter ("Körbe" -> "korbe")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


# --- querying ------------------------------------------------------------------------------------------------


# a word found in (nearly) every case would have every match ranked before the first page (1.4 s at a million
# on PostgreSQL): only the newest matches are ranked
RANKED_AT_MOST = 2_000


def _terms(q: str) -> list[str]:
    terms = words(q)
    if connection.vendor != "postgresql":
        terms = [term for term in terms if term not in _STOPWORDS] or terms
    return terms


def _postgres_query(terms: list[str]) -> Any:
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(" ".join(terms), config="german", search_type="plain")


def _folded_found(term: str) -> dict[str, Q]:
    needle = " " + _stem(term)
    return {part: Q(**{f"search_{part}__contains": needle}) for part in WEIGHTS}


def enquiries_matching(*, enquiries: QuerySet[Enquiry], q: str) -> QuerySet[Enquiry]:
    """``enquiries`` that contain every word of ``q``: a filter only (the API's ``?q=``), no rank, no bound on
    the matches, the order left as it is. On PostgreSQL ``search_vector @@ plainto_tsquery('german', q)``,
    which the GIN index ``crm_enq_search_idx`` answers for a rare word; for a word in nearly every case the
    planner walks the sort index and checks each row instead (the first page is then as quick as without)."""
    terms = _terms(q)
    if not terms:
        return enquiries
    if connection.vendor == "postgresql":
        return enquiries.filter(search_vector=_postgres_query(terms))
    for term in terms:
        found = _folded_found(term)
        enquiries = enquiries.filter(found["a"] | found["b"] | found["c"])
    return enquiries


def enquiries_search(*, enquiries: QuerySet[Enquiry], q: str) -> QuerySet[Enquiry]:
    """``enquiries`` that contain every word of ``q``, annotated with ``search_rank`` (higher is better).
    A query without any word leaves ``enquiries`` as they are (rank 0).

    Of more than ``RANKED_AT_MOST`` matches, the newest ``RANKED_AT_MOST`` are ranked and listed: the planner
    finds them by walking the primary key backwards for a common word and through the index for a rare one,
    so the cost of a search no longer grows with the number of its matches."""
    terms = _terms(q)
    if not terms:
        return enquiries.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        query = _postgres_query(terms)
        newest = enquiries.filter(search_vector=query).order_by("-pk").values("pk")[:RANKED_AT_MOST]
        return Enquiry.objects.filter(pk__in=newest).annotate(search_rank=SearchRank(F("search_vector"), query))
    rank: Any = Value(0.0, output_field=FloatField())
    for term in terms:
        found = _folded_found(term)
        enquiries = enquiries.filter(found["a"] | found["b"] | found["c"])
        rank = rank + Case(
            *(When(found[part], then=Value(weight)) for part, weight in WEIGHTS.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )
    newest = enquiries.order_by("-pk").values("pk")[:RANKED_AT_MOST]
    return Enquiry.objects.filter(pk__in=newest).annotate(search_rank=rank)


# --- keeping it current --------------------------------------------------------------------------------------


def search_refresh(enquiry_ids: Iterable[int]) -> None:
    """Recompute the search fields and ``next_due`` of these enquiries (missing ids are skipped)."""
    ids = sorted({int(i) for i in enquiry_ids})
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        _next_due_refresh(batch)
        if connection.vendor == "postgresql":
            _postgres_refresh(batch)
        else:
            _folded_refresh(batch)


SEARCH_JOB = "cases.search"


def search_job(keys: list[str]) -> None:
    """The deferred job (ops.jobs): search fields and next deadline of these cases."""
    search_refresh(int(key) for key in keys)


def search_refresh_after_commit(enquiry_ids: Iterable[int]) -> None:
    """For the receivers: the refresh as a deferred job (ops.jobs), written with the change and run by a worker
    after its commit; a transition's log, timeline entries and event ask for it once per transaction. A failed
    run keeps its job; ``search_rebuild`` repairs everything."""
    job_defer(SEARCH_JOB, enquiry_ids)


def _next_due_refresh(ids: list[int]) -> None:
    """The earliest deadline not yet met, as ``cases.deadlines.DEADLINES`` defines them; NULL while paused
    (awaiting the municipality) and once no deadline is left. One UPDATE; Least() of NULLs differs between
    the databases, so a deadline that is not pending counts as FAR and FAR becomes NULL again."""
    pending = []
    for due_field, _breached_field, states, met_field in DEADLINES.values():
        condition = Q(state__in=states)
        if met_field:
            condition &= Q(**{f"{met_field}__isnull": True})
        pending.append(Coalesce(Case(When(condition, then=F(due_field))), Value(FAR)))
    Enquiry.objects.filter(pk__in=ids).update(
        next_due=Case(
            When(paused_at__isnull=False, then=Value(None)),
            default=NullIf(Least(*pending), Value(FAR)),
            output_field=DateTimeField(),
        )
    )


def _postgres_refresh(ids: list[int]) -> None:
    enquiry = Enquiry._meta.db_table
    municipality = Enquiry._meta.get_field("municipality").related_model._meta.db_table
    activity = Activity._meta.db_table
    log = TransitionLog._meta.db_table
    # table names from the models, the ids a parameter
    sql = f"""
        UPDATE {enquiry} e SET search_vector =
            setweight(to_tsvector('german', translate(e.reference, '-', ' ') || ' ' || e.subject), 'A')
            || setweight(to_tsvector('german', e.message || ' ' || coalesce(m.name, '') || ' '
                || coalesce(m.short_name, '')), 'B')
            || setweight(to_tsvector('german', e.contact_name || ' ' || e.contact_email || ' '
                || translate(e.contact_email, '@.', '  ') || ' '
                || coalesce((SELECT string_agg(a.text, ' ') FROM {activity} a WHERE a.enquiry_id = e.id), '')
                || ' '
                || coalesce((SELECT string_agg(t.comment, ' ') FROM {log} t WHERE t.enquiry_id = e.id), '')),
                'C')
        FROM {municipality} m
        WHERE m.id = e.municipality_id AND e.id = ANY(%s)
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids])


def _folded_refresh(ids: list[int]) -> None:
    timeline: dict[int, list[str]] = defaultdict(list)
    for enquiry_id, text in (
        Activity.objects.filter(enquiry_id__in=ids).exclude(text="").values_list("enquiry_id", "text")
    ):
        timeline[enquiry_id].append(text)
    for enquiry_id, comment in (
        TransitionLog.objects.filter(enquiry_id__in=ids).exclude(comment="").values_list("enquiry_id", "comment")
    ):
        timeline[enquiry_id].append(comment)
    changed = []
    for enquiry in (
        Enquiry.objects.filter(pk__in=ids)
        .select_related("municipality")
        .only(
            "pk",
            "reference",
            "subject",
            "message",
            "contact_name",
            "contact_email",
            "municipality__name",
            "municipality__short_name",
        )
    ):
        municipality = enquiry.municipality
        enquiry.search_a = _joined(enquiry.reference, enquiry.subject)
        enquiry.search_b = _joined(enquiry.message, municipality.name, municipality.short_name)
        enquiry.search_c = _joined(enquiry.contact_name, enquiry.contact_email, *timeline[enquiry.pk])
        changed.append(enquiry)
    Enquiry.objects.bulk_update(changed, ["search_a", "search_b", "search_c"], batch_size=500)


def _joined(*texts: str) -> str:
    """ " word word ...": the leading space lets ``LIKE '% word%'`` match at the start of every word."""
    return " " + " ".join(w for text in texts for w in words(text or ""))


def search_rebuild_all(*, batch: int = 10_000) -> int:
    """Every enquiry, in batches of ids (for ``manage.py search_rebuild``); returns the number refreshed."""
    done = 0
    last = 0
    while True:
        ids = list(Enquiry.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        with transaction.atomic():
            search_refresh(ids)
        done += len(ids)
        last = ids[-1]

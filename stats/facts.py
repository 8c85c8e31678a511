"""Keeps ``EnquiryStats`` (one narrow row per enquiry) up to date, in the database: one
INSERT ... SELECT ... ON CONFLICT DO UPDATE over the given enquiries, or over those changed since the newest row.

Who calls it: after the commit of each change of a case, for that case (``stats.hooks``); the periodic sweep
``stats.refresh_rows`` for everything changed since the newest row or in the last two hours;
``generate_load_data`` after a bulk load; a rebuild after the municipality directory changed. Never a
selector: reading the figures writes nothing. Once a refresh has committed, the rows' version
(``stats_rows_version``) changes: the dashboard keys its cached figures by it.

A row carries the outcome of the case's current resolution only: a reopened case keeps its Outcome row as
history, but its row counts it open and unresolved until it is resolved again (issue 13, item 15).

Speed figures leave out the time spent in awaiting_reply, taken from the TransitionLog: a milestone is never
reached while waiting, so waiting before T = sum(left awaiting_reply at <= T) - sum(entered at < T).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from cases.models import Enquiry, State, SurveyResponse, TransitionLog
from matching.models import Introduction
from stats.aggregates import Epoch
from stats.models import EnquiryStats, EnquiryTopicStats, StatsFlag

AWAITING = State.AWAITING_REPLY
# A transaction that changed an enquiry may commit a little after a later one: look back this far.
LOOKBACK = dt.timedelta(minutes=10)
# Each change refreshes its own rows after commit, so the newest row is always recent: the sweep also looks
# this far back from now, so that a refresh lost a while ago gets a dozen runs of the sweep to be caught.
SWEEP_WINDOW = dt.timedelta(hours=2)
# PostgreSQL: two refreshes of the same rows at once would upsert them in different order and both replace a
# case's topic rows (duplicates: the topic table has no unique key). The sweep and the rebuild hold
# ADVISORY_LOCK alone; a case's refresh after its change holds it shared, so refreshes of different cases run
# side by side in the request processes, plus one lock per case (ADVISORY_LOCK_CASE, id) for its own rows.
ADVISORY_LOCK = 7_260_601
ADVISORY_LOCK_CASE = 7_260_602
_INT4 = 2_147_483_647
# A token that changes after every refresh of the rows commits; caches of figures are keyed by it.
VERSION_CACHE_KEY = "stats:rows-version"


def stats_rows_version() -> str:
    """The version of the statistics rows: a token that changes once each refresh of the rows has committed
    (after every change of a case, and each sweep). A cache of figures keyed by it (the dashboard) never
    shows older figures than the API, which always reads the rows afresh; an entry of an older version is
    simply never read again. Read it before computing the figures to be cached under it."""
    version = cache.get(VERSION_CACHE_KEY)
    if version is None:
        # first reader, or the cache lost the key: any new token will do, but all readers must agree on it
        cache.add(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_CACHE_KEY)
    return version or ""


def _rows_changed() -> None:
    cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)


def _lock_rows(enquiry_ids: list[int] | None) -> None:
    with connection.cursor() as cursor:
        if enquiry_ids is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        else:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [ADVISORY_LOCK])
            # in one order, so that two refreshes of overlapping cases never wait for each other in a circle
            for key in sorted({pk % _INT4 for pk in enquiry_ids}):
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CASE, key])
        cursor.execute("SET LOCAL jit = off")


def _waited_before(milestone: str):
    """Seconds spent in awaiting_reply before the enquiry's ``milestone`` timestamp."""
    episodes = (
        TransitionLog.objects.filter(enquiry=OuterRef("pk"))
        .filter(Q(from_state=AWAITING, at__lte=OuterRef(milestone)) | Q(to_state=AWAITING, at__lt=OuterRef(milestone)))
        .order_by()
        .values("enquiry")
        .annotate(
            seconds=Sum(
                Case(When(from_state=AWAITING, then=Epoch("at")), default=-Epoch("at"), output_field=FloatField())
            )
        )
        .values("seconds")
    )
    # the partial index crm_tlog_awaiting_idx answers this per enquiry; most enquiries have no such rows
    return Coalesce(Subquery(episodes, output_field=FloatField()), Value(0.0))


def _duration(milestone: str):
    """Seconds from receipt to the milestone without the waiting time; NULL while the moment is not reached."""
    return Epoch(milestone) - Epoch("created_at") - _waited_before(milestone)


def _flag_conditions() -> dict[StatsFlag, Q]:
    sat_answered = Q(sat_survey__answered_at__isnull=False)
    conditions = {
        StatsFlag.ESCALATED: Q(escalated_at__isnull=False),
        StatsFlag.SATISFACTION_SENT: Q(sat_survey__isnull=False),
        StatsFlag.SATISFACTION_ANSWERED: sat_answered,
        StatsFlag.USEFUL_YES: sat_answered & Q(sat_survey__useful=True),
        StatsFlag.USEFUL_ANSWERED: sat_answered & Q(sat_survey__useful__isnull=False),
        StatsFlag.ADOPTION_SENT: Q(adoption_survey__isnull=False),
    }
    for name, at, due in (
        ("FIRST_RESPONSE", "first_response_at", "first_response_due"),
        ("ASSIGNMENT", "assigned_at", "assignment_due"),
        ("RESOLUTION", "resolved_at", "resolution_due"),
    ):
        reached = Q(**{f"{at}__isnull": False})
        conditions[StatsFlag[f"{name}_REACHED"]] = reached
        conditions[StatsFlag[f"{name}_DUE_REACHED"]] = reached & Q(**{f"{due}__isnull": False})
        conditions[StatsFlag[f"{name}_MET"]] = reached & Q(**{f"{at}__lte": F(due)})
    return conditions


def _flags():
    """The StatsFlag bits as one integer: a sum of CASE expressions (portable to SQLite)."""
    bits = [Case(When(q, then=Value(int(flag))), default=Value(0)) for flag, q in _flag_conditions().items()]
    total = bits[0]
    for bit in bits[1:]:
        total = total + bit
    return ExpressionWrapper(total, output_field=IntegerField())


def _row_values() -> dict:
    """EnquiryStats column -> expression over Enquiry (in the column order of the INSERT)."""
    return {
        "enquiry_id": F("pk"),
        "source_updated_at": F("updated_at"),
        "created_at": F("created_at"),
        "month": TruncMonth("created_at", output_field=DateField(), tzinfo=timezone.get_current_timezone()),
        "state": F("state"),
        "municipality_id": F("municipality_id"),
        "size_class": F("municipality__size_class"),
        "bundesland": F("municipality__bundesland"),
        "partner_id": F("assigned_partner_id"),
        "channel": F("channel"),
        "funded": F("funded"),
        # the outcome of the current resolution only: a reopened case keeps its Outcome row as history
        # (resolved_at cleared, cases.models.OutcomeQuerySet.current) and counts as open until resolved again
        "outcome": Case(
            When(resolved_at__isnull=False, outcome__isnull=False, then=F("outcome__category")), default=Value("")
        ),
        "escalated": ExpressionWrapper(Q(escalated_at__isnull=False), output_field=BooleanField()),
        "first_response_at": F("first_response_at"),
        "first_response_due": F("first_response_due"),
        "assigned_at": F("assigned_at"),
        "assignment_due": F("assignment_due"),
        "resolved_at": F("resolved_at"),
        "resolution_due": F("resolution_due"),
        "first_response_seconds": _duration("first_response_at"),
        "assignment_seconds": _duration("assigned_at"),
        "resolution_seconds": _duration("resolved_at"),
        # the two surveys, through LEFT JOINs on crm_survey_one_per_kind (see _surveys)
        "satisfaction_sent": ExpressionWrapper(Q(sat_survey__isnull=False), output_field=BooleanField()),
        "satisfaction_answered": ExpressionWrapper(
            Q(sat_survey__answered_at__isnull=False), output_field=BooleanField()
        ),
        "satisfaction_score": Case(When(sat_survey__answered_at__isnull=False, then=F("sat_survey__score"))),
        "satisfaction_useful": Case(When(sat_survey__answered_at__isnull=False, then=F("sat_survey__useful"))),
        "adoption_sent": ExpressionWrapper(Q(adoption_survey__isnull=False), output_field=BooleanField()),
        "flags": _flags(),
        "introduced": Exists(Introduction.objects.filter(enquiry=OuterRef("pk"))),
        "adoption_answer": Case(
            When(adoption_survey__answered_at__isnull=False, then=F("adoption_survey__adopted")), default=Value("")
        ),
    }


def _surveys() -> dict:
    """One LEFT JOIN per survey kind (at most one survey of each kind per enquiry)."""
    return {
        "sat_survey": FilteredRelation("surveys", condition=Q(surveys__kind=SurveyResponse.Kind.SATISFACTION)),
        "adoption_survey": FilteredRelation("surveys", condition=Q(surveys__kind=SurveyResponse.Kind.ADOPTION)),
    }


def stats_rows_refresh(
    *, enquiry_ids: list[int] | None = None, missing_only: bool = False, rebuild: bool = False
) -> None:
    """Rebuild the rows of ``enquiry_ids`` (after a change of those cases), else of the enquiries changed (or
    escalated) since the newest row (the sweep); ``missing_only`` fills the rows of enquiries that have none
    (after a bulk load); ``rebuild`` recomputes every row (after the municipality directory was re-imported:
    size classes and Länder are copied into the rows)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _lock_rows(enquiry_ids)
        enquiries = Enquiry.objects.filter(created_at__isnull=False)
        if enquiry_ids is not None:
            enquiries = enquiries.filter(pk__in=enquiry_ids)
        elif missing_only:
            # topic rows are written last: an enquiry without them still lacks something after the upsert
            enquiries = enquiries.filter(
                ~Exists(EnquiryStats.objects.filter(pk=OuterRef("pk")))
                | ~Exists(EnquiryTopicStats.objects.filter(enquiry=OuterRef("pk")))
            )
        elif not rebuild:
            newest = EnquiryStats.objects.aggregate(newest=Max("source_updated_at"))["newest"]
            if newest is not None:
                since = min(newest - LOOKBACK, timezone.now() - SWEEP_WINDOW)
                enquiries = enquiries.filter(Q(updated_at__gte=since) | Q(escalated_at__gte=since))
        values = _row_values()
        # aliases differ from the model's field names so that Django does not mistake them for the columns
        select = (
            enquiries.order_by().annotate(**_surveys()).annotate(**{f"v_{name}": expr for name, expr in values.items()})
        )
        sql, params = select.values(*(f"v_{name}" for name in values)).query.sql_with_params()
        quote = connection.ops.quote_name
        columns = [quote(EnquiryStats._meta.get_field(name.removesuffix("_id")).column) for name in values]
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(EnquiryStats._meta.db_table)} ({', '.join(columns)}) {sql} "
                f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}",
                params,
            )
        _topic_rows_refresh(enquiries.order_by().values("pk"))
    # after the commit that makes the new rows visible (at once when no outer transaction holds them back):
    # a figure computed before it is cached under the old version, which nobody reads any more
    transaction.on_commit(_rows_changed)


# EnquiryTopicStats copies these columns of the EnquiryStats row.
_TOPIC_ROW_COLUMNS = [
    "created_at",
    "state",
    "municipality_id",
    "size_class",
    "bundesland",
    "partner_id",
    "channel",
    "funded",
    "outcome",
    "first_response_seconds",
    "assignment_seconds",
    "resolution_seconds",
    "satisfaction_score",
    "adoption_answer",
    "flags",
]


def _topic_rows_refresh(enquiry_ids) -> None:
    """Replace the per-topic rows of these enquiries (their EnquiryStats rows are current)."""
    EnquiryTopicStats.objects.filter(enquiry_id__in=enquiry_ids).delete()
    values = {"enquiry_id": F("pk"), "topic_id": F("topic_links__topic")} | {
        name: F(name) for name in _TOPIC_ROW_COLUMNS
    }
    # LEFT JOIN of the enquiry-topic table: an enquiry without topics keeps one row with topic NULL
    select = (
        EnquiryStats.objects.filter(pk__in=enquiry_ids)
        .order_by()
        .annotate(**{f"v_{name}": expr for name, expr in values.items()})
        .values(*(f"v_{name}" for name in values))
    )
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = [quote(EnquiryTopicStats._meta.get_field(name.removesuffix("_id")).column) for name in values]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(EnquiryTopicStats._meta.db_table)} ({', '.join(columns)}) {sql}", params)

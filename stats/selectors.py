"""Every figure of SPEC section 8, computed in the database (aggregates, conditional counts, month
truncation, percentiles); no Python loop over enquiries.

The figures are summed from ``EnquiryStats``, one narrow row per enquiry that ``stats.facts`` brings up to
date when a case changes (after its commit) and in a periodic sweep; the selectors only read. The period
selects enquiries by the day they were received; the other filters narrow that set. Each figure reads the
same filtered set (``stats_rows``):

- speed: durations from receipt to the first response, the assignment and the resolution, minus the time
  spent in awaiting_reply before that moment. The waiting time comes from the TransitionLog: a milestone is
  never reached while waiting, so waiting before T = sum(left awaiting_reply at <= T) - sum(entered at < T).
- deadlines: an enquiry counts for a deadline once the moment was reached, or while it is still open past
  the due time; it met the deadline when the moment came at or before the due time.
- outcomes: enquiries whose current resolution carries an Outcome are "resolved"; transfer rate = successful /
  resolved. A reopened case is open again: its old Outcome stays in its history but counts nowhere until
  the case is resolved again, then once with its new outcome (``stats.facts``, the row's ``outcome``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import OPEN_STATES, SUCCESSFUL_OUTCOMES, Channel, Enquiry, Outcome, OutcomeCategory, State
from catalogue.models import ConsortiumPartner, ModelProject, Municipality, Topic
from core.errors import GuardFailed
from matching.models import Introduction, Match
from stats.aggregates import Percentiles
from stats.batch import Part, fetch_together, one_row, part_of, part_raw
from stats.event_figures import event_figure_part, event_figures
from stats.filters import BUNDESLAENDER, StatsFilters, size_class_labels
from stats.models import EnquiryStats, EnquiryTopicStats, StatsFlag

AWAITING = State.AWAITING_REPLY
SMALL_SIZE_CLASSES = ["lt5k", "5k_20k"]
HELPED_INTRODUCTION_STATES = [Introduction.State.ACCEPTED, Introduction.State.COMPLETED]
# (figure name, timestamp of the moment, its due time)
MILESTONES = [
    ("first_response", "first_response_at", "first_response_due"),
    ("assignment", "assigned_at", "assignment_due"),
    ("resolution", "resolved_at", "resolution_due"),
]
DIMENSIONS = ["topic", "bundesland", "size_class", "partner", "model_project", "channel", "month"]
_CODE_DIMENSIONS = {"bundesland", "size_class", "channel"}
# The grouping column of each breakdown (month and model_project are built apart).
_DIMENSION_PATHS = {
    "bundesland": "bundesland",
    "size_class": "size_class",
    "partner": "partner",
    "channel": "channel",
}


# --- the filtered set -------------------------------------------------------------------------------------


def _helped_by(project_id: int, *, ref: str = "pk") -> Q:
    """Enquiries the model project helped with: an accepted match or an accepted/completed introduction."""
    accepted_match = Match.objects.filter(
        enquiry=OuterRef(ref), model_project_id=project_id, decision=Match.Decision.ACCEPTED
    )
    introduction = Introduction.objects.filter(
        enquiry=OuterRef(ref), model_project_id=project_id, state__in=HELPED_INTRODUCTION_STATES
    )
    return Q(Exists(accepted_match)) | Q(Exists(introduction))


def _rows_q(filters: StatsFilters, *, prefix: str = "", ref: str = "pk") -> Q:
    """The filters as a condition on the statistics row, reached from another model through ``prefix``;
    ``ref`` names the enquiry id there (for the EXISTS subqueries)."""
    q = Q(**{f"{prefix}created_at__gte": filters.start, f"{prefix}created_at__lt": filters.end})
    if filters.topic is not None:
        # EXISTS, not a join: a join would collide with the topic breakdown's own join.
        tagged = Enquiry.topics.through.objects.filter(enquiry_id=OuterRef(ref), topic_id=filters.topic.pk)
        q &= Q(Exists(tagged))
    if filters.bundesland:
        q &= Q(**{f"{prefix}bundesland": filters.bundesland})
    if filters.size_class:
        q &= Q(**{f"{prefix}size_class": filters.size_class})
    if filters.partner is not None:
        q &= Q(**{f"{prefix}partner": filters.partner})
    if filters.model_project is not None:
        q &= _helped_by(filters.model_project.pk, ref=ref)
    if filters.channel:
        q &= Q(**{f"{prefix}channel": filters.channel})
    if filters.funded is not None:
        q &= Q(**{f"{prefix}funded": filters.funded})
    return q


def stats_rows(*, filters: StatsFilters) -> QuerySet[EnquiryStats]:
    """The statistics rows of the enquiries received in the period that match every filter."""
    return EnquiryStats.objects.filter(_rows_q(filters)).order_by()


def enquiries_for_stats(*, filters: StatsFilters) -> QuerySet[Enquiry]:
    """The enquiries behind ``stats_rows`` (for the case list and the map)."""
    return Enquiry.objects.filter(pk__in=stats_rows(filters=filters).values("pk")).order_by()


# --- expressions ------------------------------------------------------------------------------------------


# Rows are counted per distinct value of these columns (a few hundred groups at most), then added up.
_GROUP_COLUMNS = ["state", "outcome", "adoption_answer", "flags"]


def _grouped(qs: QuerySet[EnquiryStats], *, key=None) -> QuerySet:
    """Row counts per (key,) state, outcome, adoption answer and StatsFlag combination: one hashed pass that
    PostgreSQL splits over parallel workers; ``_add_up`` turns the groups into the figures."""
    columns = list(_GROUP_COLUMNS)
    if key is not None:
        qs = qs.annotate(key=key)
        columns.insert(0, "key")
    return (
        qs.values(*columns)
        .annotate(n=Count("pk"), score_sum=Sum("satisfaction_score"), score_n=Count("satisfaction_score"))
        .order_by()
    )


# (bit, figure name) of each StatsFlag: plain integers, since a breakdown adds up thousands of groups and
# building and iterating an IntFlag per group cost more than the query's own Python
_FLAG_BITS = [(int(flag), flag.name.lower()) for flag in StatsFlag]


def _add_up(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """The additive figures from the groups of ``_grouped`` (a sum over groups, not over enquiries)."""
    totals: dict[str, Any] = defaultdict(int)
    for group in groups:
        n, flags, state, outcome = group["n"], group["flags"], group["state"], group["outcome"]
        totals["received"] += n
        totals[f"state_{state}"] += n
        if state in OPEN_STATES:
            totals["open"] += n
        if outcome:
            totals["resolved"] += n
            totals[f"outcome_{outcome}"] += n
            if outcome in SUCCESSFUL_OUTCOMES:
                totals["successful"] += n
        for bit, name in _FLAG_BITS:
            if flags & bit:
                totals[name] += n
        answer = group["adoption_answer"]
        if answer:
            totals["adoption_answered"] += n
            totals[f"adoption_{answer}"] += n
        totals["score_sum"] += group["score_sum"] or 0
        totals["score_n"] += group["score_n"]
    for name, _at, _due in MILESTONES:
        totals[f"{name}_count"] = totals[f"{name}_reached"]
    totals["satisfaction_mean"] = totals["score_sum"] / totals["score_n"] if totals["score_n"] else None
    return totals


def _percentile_aggregates() -> dict[str, Any]:
    """Median and 90th percentile per breakdown row (one sort per row and figure)."""
    return {f"{name}_pct": Percentiles(F(f"{name}_seconds"), [0.5, 0.9]) for name, _at, _due in MILESTONES}


def _municipalities_by_key(qs: QuerySet[EnquiryStats], key) -> Part:
    """Distinct municipalities (and small ones) per breakdown key: the distinct (key, municipality) pairs
    come from a hashed GROUP BY that PostgreSQL splits over workers; COUNT(DISTINCT) per group would sort
    a million rows once more."""
    pairs = qs.annotate(key=key).values("key", "municipality", "size_class").distinct().order_by()
    sql, params = pairs.query.sql_with_params()
    small = ", ".join(["%s"] * len(SMALL_SIZE_CLASSES))
    return part_raw(
        # the column names are those Django gives the values() above; the size classes are parameters
        f"SELECT pairs.key, COUNT(*), SUM(CASE WHEN pairs.size_class IN ({small}) THEN 1 ELSE 0 END) "  # noqa: S608
        f"FROM ({sql}) pairs GROUP BY pairs.key",
        [*SMALL_SIZE_CLASSES, *params],
        ["key", "municipalities", "small_municipalities"],
    )


def _municipalities_keyed(rows: list[dict[str, Any]]) -> dict[Any, dict[str, int]]:
    return {
        _month_key(row["key"]): {
            "municipalities": row["municipalities"],
            "small_municipalities": row["small_municipalities"] or 0,
        }
        for row in rows
    }


def _month_key(value: Any) -> Any:
    """Months as "YYYY-MM" whether they come as datetimes (PostgreSQL, the ORM) or text (raw SQLite)."""
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:7]
    return value


def _percentile_walks(qs: QuerySet[EnquiryStats], column: str, count: int) -> list[tuple[float, int, QuerySet]]:
    """Median and 90th percentile of ``column`` over ``qs`` (``count`` non-NULL values), exactly as
    PostgreSQL's percentile_cont: linear interpolation between the values at ranks floor(f * (n - 1)) and
    the next one. The two values come from an ordered walk (the partial covering index of the column,
    from the nearer end) instead of sorting every value; the summary's whole period sorted three columns
    of a million rows for over a second. One (position, lower rank, walk) per fraction; ``_percentile``
    reads the result."""
    if not count:
        return []
    values = qs.filter(**{f"{column}__isnull": False}).values(column)
    walks = []
    for fraction in (0.5, 0.9):
        position = fraction * (count - 1)
        lower = math.floor(position)
        if lower < count / 2:
            walk = values.order_by(column)[lower : lower + 2]
        else:
            start = max(count - 2 - lower, 0)
            walk = values.order_by(f"-{column}")[start : count - lower]
        walks.append((position, lower, walk))
    return walks


def _percentile(position: float, lower: int, rows: list[dict[str, Any]], column: str) -> float:
    # the one or two neighbouring values, in ascending order whichever end the walk started from
    pair = sorted(row[column] for row in rows)
    low, high = pair[0], pair[-1]
    return low + (high - low) * (position - lower)


def _municipalities(filters: StatsFilters) -> QuerySet:
    """Distinct municipalities reached: one index probe per municipality of the directory (EXISTS), far
    cheaper than a COUNT(DISTINCT) over a million rows."""
    reached = Municipality.objects.filter(
        Exists(EnquiryStats.objects.filter(_rows_q(filters, ref="enquiry_id"), municipality=OuterRef("pk")))
    )
    return one_row(
        reached,
        municipalities=Count("pk"),
        small_municipalities=Count("pk", filter=Q(size_class__in=SMALL_SIZE_CLASSES)),
    )


def _share(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600.0, 2)


def _core_row(values: dict[str, Any]) -> dict[str, Any]:
    row = {
        "received": values["received"],
        "municipalities": values["municipalities"],
        "small_municipalities": values["small_municipalities"],
        "small_share": _share(values["small_municipalities"], values["municipalities"]),
        "open": values["open"],
        "resolved": values["resolved"],
        "successful": values["successful"],
        "transfer_rate": _share(values["successful"], values["resolved"]),
        "escalated": values["escalated"],
    }
    for name, _at, _due in MILESTONES:
        pct = values[f"{name}_pct"] or [None, None]
        row[f"{name}_median_hours"] = _hours(pct[0])
        row[f"{name}_p90_hours"] = _hours(pct[1])
    return row


def _survey_row(values: dict[str, Any]) -> dict[str, Any]:
    mean = values["satisfaction_mean"]
    return {
        "satisfaction": {
            "sent": values["satisfaction_sent"],
            "answered": values["satisfaction_answered"],
            "response_rate": _share(values["satisfaction_answered"], values["satisfaction_sent"]),
            "mean_score": None if mean is None else round(float(mean), 2),
            "useful_share": _share(values["useful_yes"], values["useful_answered"]),
        },
        "adoption": {
            "sent": values["adoption_sent"],
            "answered": values["adoption_answered"],
            "adopted": values["adoption_yes"],
            "planned": values["adoption_planned"],
            "share": _share(values["adoption_yes"] + values["adoption_planned"], values["adoption_answered"]),
        },
    }


@contextmanager
def _analytic_transaction():
    """PostgreSQL: the percentile sorts get enough memory to stay off disk, for these read-only queries
    only (SET LOCAL ends with the transaction)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # one snapshot for all queries: the percentile walks rank by the counts of the first one;
            # JIT compiling these one-off aggregates costs more (over a second) than it saves. The planner's
            # default costs of parallel workers are made for short queries: with them it read the distinct
            # municipalities and sorted for the percentiles in one process; told that a worker is cheap, it
            # splits both over the workers (a breakdown at a million: 2.2 -> 1.5 s on 2 cores).
            # One round trip (several statements, no parameters).
            settings = [
                "SET LOCAL work_mem = '128MB'",
                "SET LOCAL jit = off",
                "SET LOCAL parallel_setup_cost = 0",
                "SET LOCAL parallel_tuple_cost = 0",
            ]
            if outermost:
                settings.insert(0, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            with connection.cursor() as cursor:
                cursor.execute("; ".join(settings))
        yield


# --- the summary ------------------------------------------------------------------------------------------


def stats_summary(*, filters: StatsFilters, now: dt.datetime | None = None) -> dict[str, Any]:
    """Volume, backlog, speed, deadlines, outcomes, satisfaction, adoption, model projects and events (the
    filters that apply to the events' block: ``stats.event_figures``).

    Partners and the monthly trend are the breakdowns ``partner`` and ``month`` (stats_breakdown)."""
    now = now or timezone.now()
    qs = stats_rows(filters=filters)
    # What depends on the clock is counted over the open cases only (a partial index finds them).
    clock_aggregates: dict[str, Any] = {}
    for name, at, due in MILESTONES:
        # while awaiting_reply the deadlines are paused (the due time moves on when the reply comes)
        clock_aggregates[f"{name}_overdue"] = Count(
            "pk", filter=Q(**{f"{at}__isnull": True, f"{due}__lt": now}) & ~Q(state=AWAITING)
        )
    age = {
        "lt7": Q(created_at__gt=now - dt.timedelta(days=7)),
        "7_30": Q(created_at__lte=now - dt.timedelta(days=7), created_at__gt=now - dt.timedelta(days=30)),
        "30_90": Q(created_at__lte=now - dt.timedelta(days=30), created_at__gt=now - dt.timedelta(days=90)),
        "gt90": Q(created_at__lte=now - dt.timedelta(days=90)),
    }
    clock_aggregates |= {f"age_{key}": Count("pk", filter=q) for key, q in age.items()}

    with _analytic_transaction():
        # round trip 1: the grouped counts, the clock-dependent ones, the municipalities reached and the events
        groups, clock, municipalities, event_rows = fetch_together(
            [
                part_of(_grouped(qs)),
                part_of(one_row(qs.filter(state__in=OPEN_STATES), **clock_aggregates)),
                part_of(_municipalities(filters)),
                event_figure_part(filters=filters, rows=qs),
            ]
        )
        values = _add_up(groups) | clock[0] | municipalities[0]
        events = event_figures(event_rows, received=values["received"])
        # round trip 2: the percentile walks (they need the counts) and the model projects
        walks = {
            name: _percentile_walks(qs, f"{name}_seconds", values[f"{name}_count"]) for name, _at, _due in MILESTONES
        }
        walk_parts = [part_of(walk) for name in walks for _position, _lower, walk in walks[name]]
        project_parts = _model_project_parts(qs)
        results = fetch_together([*walk_parts, *project_parts])
        walked = iter(results[: len(walk_parts)])
        for name, _at, _due in MILESTONES:
            column = f"{name}_seconds"
            pct = [_percentile(position, lower, next(walked), column) for position, lower, _walk in walks[name]]
            values[f"{name}_pct"] = pct or None
        projects = _model_project_rows(*results[len(walk_parts) :])

    for name, _at, _due in MILESTONES:
        # measured: the moment came (with a due time set), or the case is open past its due time
        values[f"{name}_measured"] = values[f"{name}_due_reached"] + values[f"{name}_overdue"]
    core = _core_row(values)
    summary: dict[str, Any] = {
        "period": {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat()},
        "filters": filters.as_params(),
        "volume": {
            "received": core["received"],
            "municipalities": core["municipalities"],
            "small_municipalities": core["small_municipalities"],
            "small_share": core["small_share"],
        },
        "backlog": {
            "open": core["open"],
            "by_state": {state: values[f"state_{state}"] for state in OPEN_STATES},
            "by_age": {key: values[f"age_{key}"] for key in age},
        },
        "speed": {
            name: {
                "count": values[f"{name}_count"],
                "median_hours": core[f"{name}_median_hours"],
                "p90_hours": core[f"{name}_p90_hours"],
            }
            for name, _at, _due in MILESTONES
        },
        "deadlines": {
            **{
                name: {
                    "measured": values[f"{name}_measured"],
                    "met": values[f"{name}_met"],
                    "share": _share(values[f"{name}_met"], values[f"{name}_measured"]),
                }
                for name, _at, _due in MILESTONES
            },
            "escalated": core["escalated"],
            "escalated_share": _share(core["escalated"], core["received"]),
        },
        "outcomes": {
            "resolved": core["resolved"],
            "by_category": {category: values[f"outcome_{category}"] for category in OutcomeCategory.values},
            "successful": core["successful"],
            "transfer_rate": core["transfer_rate"],
        },
        **_survey_row(values),
        "model_projects": projects,
        # events held, municipalities reached through them, enquiries they answered (stats.event_figures)
        "events": events,
    }
    return summary


# --- model projects ---------------------------------------------------------------------------------------


def _model_project_parts(qs: QuerySet[EnquiryStats]) -> list[Part]:
    """Introductions requested / accepted / completed per project, the enquiries each helped with, and the
    projects' names: three queries for one batch (``_model_project_rows`` reads their rows)."""
    in_set = qs.values("pk")
    introductions = (
        # only rows marked ``introduced`` (a partial covering index): the join probes a third of the rows
        Introduction.objects.filter(enquiry__in=qs.filter(introduced=True).values("pk"))
        .order_by()
        .values("model_project")
        .annotate(
            requested=Count("pk", filter=Q(requested_at__isnull=False)),
            accepted=Count("pk", filter=Q(state__in=HELPED_INTRODUCTION_STATES)),
            completed=Count("pk", filter=Q(state=Introduction.State.COMPLETED)),
            # one introduction per enquiry and project (crm_intro_one_per_project): a plain count, which
            # PostgreSQL can split over parallel workers (COUNT(DISTINCT) it cannot)
            helped=Count("pk", filter=Q(state__in=HELPED_INTRODUCTION_STATES)),
        )
    )
    # Accepted matches help too, unless an introduction to the same project already counted the enquiry.
    counted = Introduction.objects.filter(
        enquiry=OuterRef("enquiry"), model_project=OuterRef("model_project"), state__in=HELPED_INTRODUCTION_STATES
    )
    matches = (
        Match.objects.filter(
            enquiry__in=in_set,
            kind=Match.Kind.MODEL_PROJECT,
            decision=Match.Decision.ACCEPTED,
            model_project__isnull=False,
        )
        .exclude(Exists(counted))
        .order_by()
        .values("model_project")
        .annotate(helped=Count("enquiry", distinct=True))
    )
    names = ModelProject.objects.order_by().values("pk", "name")
    return [part_of(introductions), part_of(matches), part_of(names)]


def _model_project_rows(
    introductions: list[dict[str, Any]], matches: list[dict[str, Any]], projects: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}

    def row_for(project_id: int) -> dict[str, Any]:
        return rows.setdefault(
            project_id,
            {
                "key": project_id,
                "introductions_requested": 0,
                "introductions_accepted": 0,
                "introductions_completed": 0,
                "enquiries_helped": 0,
            },
        )

    for item in introductions:
        row = row_for(item["model_project"])
        row["introductions_requested"] = item["requested"]
        row["introductions_accepted"] = item["accepted"]
        row["introductions_completed"] = item["completed"]
        row["enquiries_helped"] += item["helped"]
    for item in matches:
        row_for(item["model_project"])["enquiries_helped"] += item["helped"]
    names = {project["pk"]: project["name"] for project in projects}
    for project_id, row in rows.items():
        row["label"] = names.get(project_id, "")
    return sorted(rows.values(), key=lambda r: (-r["enquiries_helped"], -r["introductions_requested"], r["label"]))


# --- breakdowns -------------------------------------------------------------------------------------------


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "topic":
        return {t.pk: t.name for t in Topic.objects.filter(pk__in=[k for k in keys if k is not None])}
    if dimension == "partner":
        return dict(
            ConsortiumPartner.objects.filter(pk__in=[k for k in keys if k is not None]).values_list("pk", "short_name")
        )
    if dimension == "bundesland":
        return BUNDESLAENDER
    if dimension == "size_class":
        return size_class_labels()
    if dimension == "channel":
        return {value: str(label) for value, label in Channel.choices}
    return {}


def _none_label(dimension: str) -> str:
    return {
        "topic": _("ohne Handlungsfeld"),
        "partner": _("nicht zugewiesen"),
    }.get(dimension, _("unbekannt"))


def _every_month(grouped: list[dict[str, Any]], filters: StatsFilters) -> list[dict[str, Any]]:
    """Every month of the period, those without enquiries with zeros (counts 0, shares and times None, as
    for any row without a denominator): a trend that skips a month reads as if nothing had dropped."""
    found = {_month_key(item["key"]): item for item in grouped}
    empty = _add_up([]) | {"municipalities": 0, "small_municipalities": 0}
    months = []
    month = filters.date_from.replace(day=1)
    while month <= filters.date_to:
        months.append(found.get(_month_key(month)) or (empty | {"key": month}))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def stats_breakdown(*, filters: StatsFilters, dimension: str) -> list[dict[str, Any]]:
    """One row per value of the dimension that occurs (an empty set gives an empty list); for ``month`` one
    row per month of the period, also those without enquiries (zeros)."""
    if dimension not in DIMENSIONS:
        raise GuardFailed(_("Unbekannte Aufschlüsselung."), field="dimension")
    qs = stats_rows(filters=filters)
    with _analytic_transaction():
        if dimension == "model_project":
            return _model_project_rows(*fetch_together(_model_project_parts(qs)))
        if dimension == "topic":
            # the per-topic rows (one table, no join); same columns and filters as the statistics rows
            qs = EnquiryTopicStats.objects.filter(_rows_q(filters, ref="enquiry_id")).order_by()
            group = F("topic")
        elif dimension == "month":
            group = F("month")
        elif dimension in _CODE_DIMENSIONS and connection.vendor == "postgresql":
            # codes, not words: byte order sorts and groups them several times faster than the locale's
            group = Collate(F(_DIMENSION_PATHS[dimension]), "C")
        else:
            group = F(_DIMENSION_PATHS[dimension])
        ranked_qs = qs.annotate(key=group).values("key").annotate(**_percentile_aggregates()).order_by("key")
        # one round trip: grouped counts, municipalities and percentiles per key
        groups, municipality_rows, ranked = fetch_together(
            [part_of(_grouped(qs, key=group)), _municipalities_by_key(qs, group), part_of(ranked_qs, order=[0])]
        )
        groups_by_key: dict[Any, list] = defaultdict(list)
        for item in groups:
            groups_by_key[item["key"]].append(item)
        municipalities = _municipalities_keyed(municipality_rows)
    grouped = [item | _add_up(groups_by_key[item["key"]]) | municipalities[_month_key(item["key"])] for item in ranked]
    if dimension == "month":
        grouped = _every_month(grouped, filters)

    labels = _labels(dimension, [item["key"] for item in grouped])
    rows = []
    for item in grouped:
        key = item["key"]
        if dimension == "month":
            label = f"{key:%m/%Y}"
            out_key: Any = f"{key:%Y-%m}"
        else:
            label = _none_label(dimension) if key is None else str(labels.get(key, key))
            out_key = key
        row = {"key": out_key, "label": label, **_core_row(item)}
        survey_values = _survey_row(item)
        row["satisfaction_mean"] = survey_values["satisfaction"]["mean_score"]
        row["satisfaction_response_rate"] = survey_values["satisfaction"]["response_rate"]
        row["adoption_share"] = survey_values["adoption"]["share"]
        rows.append(row)
    return rows


def stats_cases(*, filters: StatsFilters) -> QuerySet[Enquiry]:
    """The filtered case list for the export, newest first, with what each row shows."""
    return (
        enquiries_for_stats(filters=filters)
        .select_related("municipality", "assigned_partner")
        # ``enquiry.outcome`` is the outcome of the current resolution only: a reopened case's old Outcome
        # row is history, and the prefetch leaves such a case without one (as the figures count it)
        .prefetch_related("topics", Prefetch("outcome", queryset=Outcome.objects.current()))
        .order_by("-created_at", "-id")
    )

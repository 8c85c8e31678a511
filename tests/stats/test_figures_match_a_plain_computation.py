"""The figures of ``stats.selectors`` (grouped counts, index walks for the percentiles, combined queries) equal a
plain computation in Python over the same statistics rows, on a varied synthetic history: several hundred
enquiries in every state, with outcomes, surveys, escalations, waiting times, introductions and accepted
matches, for the whole period and under filters."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import OPEN_STATES, SUCCESSFUL_OUTCOMES, Enquiry, OutcomeCategory, State
from catalogue.models import ModelProject, Topic
from events.models import Event, Invitation
from matching.models import Introduction, Match
from stats.filters import stats_filters_parse
from stats.models import EnquiryStats, EnquiryTopicStats
from stats.selectors import DIMENSIONS, MILESTONES, stats_breakdown, stats_summary
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db

SMALL = {"lt5k", "5k_20k"}
HELPED = {Introduction.State.ACCEPTED, Introduction.State.COMPLETED}


@pytest.fixture
def varied(partner, other_partner, coordinator):
    for slug in ["mobilitaet", "energie", "verwaltung", "beteiligung"]:
        f.TopicFactory(slug=slug)
    f.MunicipalityFactory(ags="09162000", name="München", population=1_500_000)
    f.MunicipalityFactory(ags="09111001", name="Kleinhausen", population=2_000)
    f.MunicipalityFactory(ags="09111002", name="Mitteldorf", population=9_000)
    f.MunicipalityFactory(ags="05111000", name="Düsseldorf", population=620_000, bundesland="NW")
    f.MunicipalityFactory(ags="05111001", name="Kleinstadt", population=40_000, bundesland="NW")
    f.MunicipalityFactory(ags="05111", name="Kreis Beispiel", population=300_000, bundesland="NW", kind="kreis")
    first = f.ModelProjectFactory()
    second = f.ModelProjectFactory()
    call_command("generate_load_data", enquiries=400, days=400)
    # accepted matches help a project too (the load data make introductions only): some with an
    # introduction to the same project (counted once), some without
    enquiries = list(Enquiry.objects.order_by("pk").values_list("pk", flat=True))
    for index, pk in enumerate(enquiries[::7]):
        project = first if index % 2 else second
        Match.objects.create(
            enquiry_id=pk,
            kind=Match.Kind.MODEL_PROJECT,
            model_project=project,
            score=1.0,
            rank=1,
            decision=Match.Decision.ACCEPTED if index % 3 else Match.Decision.PROPOSED,
            computed_at=timezone.now(),
        )
    # events (issue 15): two held (on different topics, some invited came), one of them long ago
    topics = {t.slug: t for t in Topic.objects.all()}
    invited = list(Enquiry.objects.order_by("pk")[:24])
    b.event_held(
        by=coordinator,
        topics=[topics["mobilitaet"]],
        starts_at=timezone.now() - dt.timedelta(days=30),
        enquiries=invited[:16],
        attended=invited[:9],
    )
    b.event_held(
        by=coordinator,
        topics=[topics["energie"], topics["verwaltung"]],
        starts_at=timezone.now() - dt.timedelta(days=200),
        enquiries=invited[12:],
        attended=invited[14:20],
    )
    b.event_held(by=coordinator, topics=[topics["energie"]], starts_at=dt.datetime(2019, 6, 1, tzinfo=dt.UTC))
    return first


def _percentiles(values: list[float]) -> tuple[float | None, float | None]:
    ordered = sorted(values)
    if not ordered:
        return None, None
    result = []
    for fraction in (0.5, 0.9):
        position = fraction * (len(ordered) - 1)
        lower, upper = math.floor(position), math.ceil(position)
        result.append(ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower))
    return result[0], result[1]


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def _hours(seconds):
    return None if seconds is None else round(seconds / 3600.0, 2)


def _in_filters(rows, filters):
    """The filters applied row by row."""
    topic_ids = None
    if filters.topic is not None:
        topic_ids = set(Enquiry.topics.through.objects.filter(topic=filters.topic).values_list("enquiry_id", flat=True))
    helped = None
    if filters.model_project is not None:
        helped = set(
            Introduction.objects.filter(model_project=filters.model_project, state__in=HELPED).values_list(
                "enquiry_id", flat=True
            )
        ) | set(
            Match.objects.filter(model_project=filters.model_project, decision=Match.Decision.ACCEPTED).values_list(
                "enquiry_id", flat=True
            )
        )
    kept = []
    for row in rows:
        if not filters.start <= row.created_at < filters.end:
            continue
        if topic_ids is not None and row.enquiry_id not in topic_ids:
            continue
        if helped is not None and row.enquiry_id not in helped:
            continue
        if filters.bundesland and row.bundesland != filters.bundesland:
            continue
        if filters.size_class and row.size_class != filters.size_class:
            continue
        if filters.partner is not None and row.partner_id != filters.partner.pk:
            continue
        if filters.channel and row.channel != filters.channel:
            continue
        if filters.funded is not None and row.funded != filters.funded:
            continue
        kept.append(row)
    return kept


def _core(rows) -> dict:
    municipalities = {row.municipality_id: row.size_class for row in rows}
    small = sum(1 for size in municipalities.values() if size in SMALL)
    resolved = [row for row in rows if row.outcome]
    successful = sum(1 for row in resolved if row.outcome in SUCCESSFUL_OUTCOMES)
    figures = {
        "received": len(rows),
        "municipalities": len(municipalities),
        "small_municipalities": small,
        "small_share": _share(small, len(municipalities)),
        "open": sum(1 for row in rows if row.state in OPEN_STATES),
        "resolved": len(resolved),
        "successful": successful,
        "transfer_rate": _share(successful, len(resolved)),
        "escalated": sum(1 for row in rows if row.escalated),
    }
    for name, _at, _due in MILESTONES:
        median, p90 = _percentiles([getattr(row, f"{name}_seconds") for row in rows if getattr(row, _at)])
        figures[f"{name}_median_hours"] = _hours(median)
        figures[f"{name}_p90_hours"] = _hours(p90)
    return figures


def _surveys(rows) -> dict:
    scores = [row.satisfaction_score for row in rows if row.satisfaction_score is not None]
    sent = sum(1 for row in rows if row.satisfaction_sent)
    answered = sum(1 for row in rows if row.satisfaction_answered)
    useful = [row.satisfaction_useful for row in rows if row.satisfaction_useful is not None]
    adoption = [row.adoption_answer for row in rows if row.adoption_answer]
    yes, planned = adoption.count("yes"), adoption.count("planned")
    return {
        "satisfaction": {
            "sent": sent,
            "answered": answered,
            "response_rate": _share(answered, sent),
            "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
            "useful_share": _share(sum(1 for u in useful if u), len(useful)),
        },
        "adoption": {
            "sent": sum(1 for row in rows if row.adoption_sent),
            "answered": len(adoption),
            "adopted": yes,
            "planned": planned,
            "share": _share(yes + planned, len(adoption)),
        },
    }


def _projects(rows) -> list[dict]:
    ids = {row.enquiry_id for row in rows}
    table: dict[int, dict] = {}
    helped: dict[int, set] = defaultdict(set)
    for intro in Introduction.objects.filter(enquiry_id__in=ids):
        item = table.setdefault(intro.model_project_id, defaultdict(int))
        item["introductions_requested"] += intro.requested_at is not None
        item["introductions_accepted"] += intro.state in HELPED
        item["introductions_completed"] += intro.state == Introduction.State.COMPLETED
        if intro.state in HELPED:
            helped[intro.model_project_id].add(intro.enquiry_id)
    for match in Match.objects.filter(
        enquiry_id__in=ids, kind=Match.Kind.MODEL_PROJECT, decision=Match.Decision.ACCEPTED
    ):
        table.setdefault(match.model_project_id, defaultdict(int))
        helped[match.model_project_id].add(match.enquiry_id)
    names = dict(ModelProject.objects.values_list("pk", "name"))
    result = [
        {
            "key": pk,
            "label": names[pk],
            "introductions_requested": item["introductions_requested"],
            "introductions_accepted": item["introductions_accepted"],
            "introductions_completed": item["introductions_completed"],
            "enquiries_helped": len(helped[pk]),
        }
        for pk, item in table.items()
    ]
    return sorted(result, key=lambda r: (-r["enquiries_helped"], -r["introductions_requested"], r["label"]))


def _plain_events(filters, rows) -> dict:
    """The events' block, row by row (stats.event_figures says which filters apply)."""
    events = [e for e in Event.objects.prefetch_related("topics") if filters.start <= e.starts_at < filters.end]
    if filters.topic is not None:
        events = [e for e in events if filters.topic in e.topics.all()]
    came = Invitation.objects.filter(event__in=events, attended=True).select_related("municipality")
    municipalities = {
        i.municipality_id
        for i in came
        if (not filters.bundesland or i.municipality.bundesland == filters.bundesland)
        and (not filters.size_class or i.municipality.size_class == filters.size_class)
    }
    by_event = {
        i.enquiry_id for i in Invitation.objects.all() if i.enquiry_id and (i.attended or i.resolved_at is not None)
    }
    answered = sum(1 for row in rows if row.enquiry_id in by_event)
    return {
        "held": sum(1 for e in events if e.state == Event.State.HELD),
        "municipalities_reached": len(municipalities),
        "enquiries_answered": answered,
        "share_answered": _share(answered, len(rows)),
    }


def _plain_summary(filters, now) -> dict:
    rows = _in_filters(list(EnquiryStats.objects.all()), filters)
    core = _core(rows)
    open_rows = [row for row in rows if row.state in OPEN_STATES]
    ages = {"lt7": 0, "7_30": 0, "30_90": 0, "gt90": 0}
    for row in open_rows:
        days = now - row.created_at
        key = (
            "lt7"
            if days < dt.timedelta(days=7)
            else "7_30"
            if days < dt.timedelta(days=30)
            else "30_90"
            if days < dt.timedelta(days=90)
            else "gt90"
        )
        ages[key] += 1
    speed, deadlines = {}, {}
    for name, at, due in MILESTONES:
        reached = [row for row in rows if getattr(row, at)]
        measured = [row for row in reached if getattr(row, due)] + [
            row
            for row in open_rows
            if not getattr(row, at)
            and getattr(row, due)
            and getattr(row, due) < now
            and row.state != State.AWAITING_REPLY
        ]
        met = [row for row in reached if getattr(row, due) and getattr(row, at) <= getattr(row, due)]
        speed[name] = {
            "count": len(reached),
            "median_hours": core[f"{name}_median_hours"],
            "p90_hours": core[f"{name}_p90_hours"],
        }
        deadlines[name] = {"measured": len(measured), "met": len(met), "share": _share(len(met), len(measured))}
    by_category = {category: sum(1 for row in rows if row.outcome == category) for category in OutcomeCategory.values}
    return {
        "period": {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat()},
        "filters": filters.as_params(),
        "volume": {key: core[key] for key in ["received", "municipalities", "small_municipalities", "small_share"]},
        "backlog": {
            "open": len(open_rows),
            "by_state": {state: sum(1 for row in open_rows if row.state == state) for state in OPEN_STATES},
            "by_age": ages,
        },
        "speed": speed,
        "deadlines": {
            **deadlines,
            "escalated": core["escalated"],
            "escalated_share": _share(core["escalated"], core["received"]),
        },
        "outcomes": {
            "resolved": core["resolved"],
            "by_category": by_category,
            "successful": core["successful"],
            "transfer_rate": core["transfer_rate"],
        },
        **_surveys(rows),
        "model_projects": _projects(rows),
        "events": _plain_events(filters, rows),
    }


def _plain_breakdown(filters, dimension: str) -> dict:
    """Breakdown rows by key (label left out): the figures of each group of rows."""
    if dimension == "model_project":
        return {row["key"]: row for row in _projects(_in_filters(list(EnquiryStats.objects.all()), filters))}
    rows = _in_filters(list(EnquiryStats.objects.all()), filters)
    groups = defaultdict(list)
    if dimension == "topic":
        # an enquiry counts once under each of its topics; one without topics under None
        topics = defaultdict(list)
        for enquiry_id, topic_id in Enquiry.topics.through.objects.values_list("enquiry_id", "topic_id"):
            topics[enquiry_id].append(topic_id)
        for row in rows:
            for topic_id in topics.get(row.enquiry_id) or [None]:
                groups[topic_id].append(row)
    else:
        for row in rows:
            value = getattr(row, {"partner": "partner_id"}.get(dimension, dimension))
            groups[f"{value:%Y-%m}" if dimension == "month" else value].append(row)
    result = {}
    for key, group in groups.items():
        surveys = _surveys(group)
        result[key] = {
            "key": key,
            **_core(group),
            "satisfaction_mean": surveys["satisfaction"]["mean_score"],
            "satisfaction_response_rate": surveys["satisfaction"]["response_rate"],
            "adoption_share": surveys["adoption"]["share"],
        }
    return result


FILTER_SETS = [
    {"from": "2020-01-01"},
    {"from": "2020-01-01", "bundesland": "NW", "funded": "false"},
    {"from": "2020-01-01", "topic": "energie"},
    {"from": "2020-01-01", "size_class": "gt100k", "channel": "web"},
]


def test_the_summary_equals_a_plain_computation_over_the_rows(varied):
    now = timezone.now()
    for params in [*FILTER_SETS, {"from": "2020-01-01", "model_project": str(varied.pk)}]:
        filters = stats_filters_parse(params=params)
        summary = stats_summary(filters=filters, now=now)
        assert summary["volume"]["received"] > 10, params
        assert summary["speed"]["first_response"]["count"] > 0, params
        assert summary == _plain_summary(filters, now), params
    everything = stats_summary(filters=stats_filters_parse(params=FILTER_SETS[0]), now=now)["events"]
    assert everything["held"] == 2 and everything["municipalities_reached"] > 0
    assert everything["enquiries_answered"] == 15 and everything["share_answered"] > 0


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_every_breakdown_equals_a_plain_computation_over_the_rows(varied, dimension):
    for params in FILTER_SETS:
        filters = stats_filters_parse(params=params)
        rows = stats_breakdown(filters=filters, dimension=dimension)
        expected = _plain_breakdown(filters, dimension)
        if dimension == "month":
            # every month of the period is listed, those without enquiries with zeros
            assert len(rows) >= len(expected)
            rows = [row for row in rows if row["received"]]
        got = {row["key"]: {k: v for k, v in row.items() if k != "label"} for row in rows}
        expected = {key: {k: v for k, v in row.items() if k != "label"} for key, row in expected.items()}
        assert rows, params
        assert got == expected, params


def test_the_topics_of_the_data_set_are_varied(varied):
    # the comparison above is only as good as the data: several topics, Länder, states and outcomes
    assert EnquiryTopicStats.objects.values("topic").distinct().count() >= 3
    assert Topic.objects.count() >= 4
    assert EnquiryStats.objects.values("bundesland").distinct().count() == 2
    assert EnquiryStats.objects.values("state").distinct().count() >= 5
    assert EnquiryStats.objects.exclude(outcome="").values("outcome").distinct().count() >= 4
    assert EnquiryStats.objects.filter(escalated=True).exists()
    assert EnquiryStats.objects.filter(satisfaction_score__isnull=False).exists()

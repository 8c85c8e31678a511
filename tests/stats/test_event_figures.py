"""The events' block of the summary (issue 15): events held, municipalities reached through them, and the
enquiries an event answered with their share, under the filters that apply (stats.event_figures)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.outcomes import event_resolve_cases
from events.services import event_cancel
from stats.facts import stats_rows_refresh
from stats.filters import stats_filters_parse
from stats.selectors import stats_summary
from tests import builders as b
from tests.stats.conftest import NOW, at

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-01-01", "to": "2026-04-30"}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def events(history, coordinator, partner_user):
    """GIVEN the history, E6 (Mittelstadt, energie, DIFU) taken on by DIFU, and on 04-05 a workshop on
    energie to which E6, E5 (Großstadt) and E1 (Kleinhausen) were invited: E6 and E1 came, E6's case was
    resolved as exchange_held. Besides: a workshop held in December 2025 (before the period) and one
    cancelled in the period."""
    energy, mobility = history.e6.topics.get(slug="energie"), history.e1.topics.get(slug="mobilitaet")
    history.e6.refresh_from_db()
    b.enquiry_moved(history.e6, "accept", by=partner_user, at=at(4, 2, 9))
    workshop = b.event_held(
        by=coordinator,
        topics=[energy],
        starts_at=at(4, 5, 10),
        enquiries=[history.e6, history.e5, history.e1],
        attended=[history.e6, history.e1],
    )
    with time_machine.travel(at(4, 5, 15), tick=False):
        assert len(event_resolve_cases(event=workshop, by=partner_user).resolved) == 1
    b.event_held(by=coordinator, topics=[mobility], starts_at=dt.datetime(2025, 12, 1, 10, tzinfo=dt.UTC))
    with time_machine.travel(at(3, 1, 9), tick=False):
        cancelled = b.event_created(by=coordinator, topics=[energy], starts_in=dt.timedelta(days=20))
        event_cancel(event=cancelled, by=coordinator, reason="zu wenige Anmeldungen")
    stats_rows_refresh(rebuild=True)
    return workshop


def _events(**params):
    return stats_summary(filters=stats_filters_parse(params={**PERIOD, **params}))["events"]


def test_the_summary_counts_events_held_municipalities_reached_and_enquiries_answered(events):
    assert _events() == {
        "held": 1,
        "municipalities_reached": 2,
        "enquiries_answered": 2,
        "share_answered": round(2 / 7, 4),
    }


def test_the_period_is_the_events_start_for_events_and_the_receipt_for_enquiries(events):
    assert _events(**{"from": "2026-04-06"}) == {
        "held": 0,
        "municipalities_reached": 0,
        "enquiries_answered": 0,
        "share_answered": 0.0,
    }
    assert _events(**{"from": "2025-11-01"})["held"] == 2


def test_the_topic_filters_the_events_and_the_enquiries(events):
    """E1 (mobilitaet) came to the energie workshop: it counts as answered under mobilitaet (one of 4
    enquiries on the topic), but the workshop is not a mobilitaet event."""
    assert _events(topic="mobilitaet") == {
        "held": 0,
        "municipalities_reached": 0,
        "enquiries_answered": 1,
        "share_answered": 0.25,
    }
    assert _events(topic="energie")["held"] == 1


def test_the_land_narrows_the_municipalities_reached(events):
    assert _events(bundesland="NW")["municipalities_reached"] == 1
    assert _events(bundesland="NW")["held"] == 1


def test_the_block_travels_with_the_other_figures_and_leaves_them_unchanged(events, history):
    filters = stats_filters_parse(params=PERIOD)
    with CaptureQueriesContext(connection) as captured:
        summary = stats_summary(filters=filters)
    statements = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(("SELECT", "SET", "WITH"))]
    if connection.vendor == "postgresql":
        assert len(statements) == 3, statements
    assert summary["volume"]["received"] == 7
    assert summary["outcomes"]["by_category"]["exchange_held"] == 1


def test_partner_staff_see_the_share_of_their_own_enquiries(events, partner_client, manager_client):
    """DIFU handles E1, E2 and E6: two of its three came to the workshop."""
    query = "from=2026-01-01&to=2026-04-30"
    own = partner_client.get(f"/api/v1/stats/summary/?{query}").json()["events"]
    everything = manager_client.get(f"/api/v1/stats/summary/?{query}").json()["events"]

    assert (own["enquiries_answered"], own["share_answered"]) == (2, 0.6667)
    assert everything["enquiries_answered"] == 2 and everything["share_answered"] == 0.2857


def test_the_csv_export_of_the_summary_has_the_events_rows(events, manager_client):
    response = manager_client.get("/api/v1/stats/summary/?from=2026-01-01&to=2026-04-30&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = {row[0]: row[1] for row in csv.reader(io.StringIO(text), delimiter=";") if len(row) > 1}

    assert table["Veranstaltungen durchgeführt"] == "1"
    assert table["Kommunen erreicht durch Veranstaltungen"] == "2"

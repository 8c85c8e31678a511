"""Few round trips per statistics request: on PostgreSQL the summary's aggregates travel together (``stats.batch``),
two statements after the settings; elsewhere they run one by one (no network), still a fixed number."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from stats.batch import fetch_together, part_of, part_raw
from stats.filters import stats_filters_parse
from stats.models import EnquiryStats
from stats.selectors import DIMENSIONS, stats_breakdown, stats_summary
from tests.stats.conftest import NOW

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-01-01", "to": "2026-04-30"}
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _statements(captured) -> list[str]:
    # the transaction's own statements (BEGIN, savepoints in a test) are no round trip of the figures
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith(("SELECT", "SET", "WITH"))]


def test_the_summary_takes_a_fixed_small_number_of_queries(history):
    filters = stats_filters_parse(params=PERIOD)
    with CaptureQueriesContext(connection) as captured:
        summary = stats_summary(filters=filters)
    assert summary["volume"]["received"] == 7
    statements = _statements(captured)
    if POSTGRES:
        # the settings, then the counts, then the percentile walks with the model projects
        assert len(statements) == 3, statements
    else:
        # one query each (no batch); the events' three counts are one of them (stats.event_figures)
        assert len(statements) <= 13, statements


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_each_breakdown_takes_a_fixed_small_number_of_queries(history, dimension):
    filters = stats_filters_parse(params=PERIOD)
    with CaptureQueriesContext(connection) as captured:
        rows = stats_breakdown(filters=filters, dimension=dimension)
    assert rows
    statements = _statements(captured)
    # the settings, one batch, the labels (topics and partners only)
    assert len(statements) <= (3 if POSTGRES else 5), statements


def test_the_api_answers_a_breakdown_in_a_fixed_number_of_queries(
    history, manager_client, django_assert_max_num_queries
):
    manager_client.get("/api/v1/stats/by/partner/", PERIOD)
    with django_assert_max_num_queries(8 if POSTGRES else 10):
        response = manager_client.get("/api/v1/stats/by/partner/", PERIOD)
    assert response.status_code == 200
    with django_assert_max_num_queries(8 if POSTGRES else 19):
        response = manager_client.get("/api/v1/stats/summary/", PERIOD)
    assert response.status_code == 200


def test_a_batch_gives_the_rows_each_query_gives_alone(history):
    """GIVEN three queries (grouped values, an ordered one with NULL keys and dates, raw SQL)
    WHEN they run as one batch THEN each part's rows equal the rows of the query run alone, in order."""
    grouped = EnquiryStats.objects.order_by().values("state").annotate(n=Count("pk"))
    ordered = EnquiryStats.objects.order_by("partner", "enquiry").values("partner", "month", "resolution_seconds")
    raw = part_raw("SELECT COUNT(*), MAX(created_at) FROM stats_enquirystats", [], ["n", "newest"])
    together = fetch_together([part_of(grouped), part_of(ordered, order=[0]), raw])
    assert sorted(together[0], key=lambda r: r["state"]) == sorted(grouped, key=lambda r: r["state"])
    assert [r["partner"] for r in together[1]] == [r["partner"] for r in ordered]
    assert sorted(
        together[1], key=lambda r: (r["partner"] or 0, str(r["month"]), r["resolution_seconds"] or 0)
    ) == sorted(ordered, key=lambda r: (r["partner"] or 0, str(r["month"]), r["resolution_seconds"] or 0))
    assert together[2][0]["n"] == 7

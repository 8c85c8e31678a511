"""Every figure of SPEC section 8 on the known history of conftest.py (exact numbers)."""

from __future__ import annotations

import datetime as dt

import pytest

from stats.filters import StatsFilters, stats_filters_parse
from stats.selectors import stats_breakdown, stats_summary
from tests.stats.conftest import NOW

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-01-01", "to": "2026-04-30"}


def figures(**params) -> dict:
    return stats_summary(filters=stats_filters_parse(params=PERIOD | params), now=NOW)


def rows(dimension: str, **params) -> dict:
    return {
        row["key"]: row
        for row in stats_breakdown(filters=stats_filters_parse(params=PERIOD | params), dimension=dimension)
    }


def test_volume_counts_enquiries_municipalities_and_the_share_of_small_ones(history):
    """GIVEN seven enquiries from three municipalities, one under 20,000 inhabitants
    WHEN the summary is computed THEN it counts 7 enquiries, 3 municipalities and a small share of 1/3."""
    assert figures()["volume"] == {
        "received": 7,
        "municipalities": 3,
        "small_municipalities": 1,
        "small_share": 0.3333,
    }


def test_backlog_lists_open_enquiries_by_state_and_age(history):
    """GIVEN E4 (new, 95 days old), E6 (assigned, 9 days) and E7 (new, 1 day) still open
    WHEN the summary is computed on 2026-04-10 THEN the backlog shows them by state and age bucket."""
    backlog = figures()["backlog"]
    assert backlog["open"] == 3
    assert backlog["by_state"] == {"new": 2, "triaged": 0, "assigned": 1, "in_progress": 0, "awaiting_reply": 0}
    assert backlog["by_age"] == {"lt7": 1, "7_30": 1, "30_90": 0, "gt90": 1}


def test_speed_is_median_and_p90_without_the_time_spent_awaiting_reply(history):
    """GIVEN E2 waited 72 h before its assignment and 24 h more before its resolution
    WHEN the speed is computed THEN the waiting time is left out:
    first response 30, 24, 120 h; assignment 24, 3, 1, 1 h; resolution 192, 144, 384 h."""
    speed = figures()["speed"]
    assert speed["first_response"] == {"count": 3, "median_hours": 30.0, "p90_hours": 102.0}
    assert speed["assignment"] == {"count": 4, "median_hours": 2.0, "p90_hours": 17.7}
    assert speed["resolution"] == {"count": 3, "median_hours": 192.0, "p90_hours": 345.6}


def test_deadlines_count_met_and_missed_ones_and_escalations(history):
    """GIVEN E3 answered after its first-response deadline, E4 and E6 are open past it, E7 is not yet due
    WHEN the deadlines are computed THEN 2 of 5 met the first response, 4 of 5 the assignment, 3 of 4 the
    resolution deadline, and the escalation run escalated E3 and E4."""
    deadlines = figures()["deadlines"]
    assert deadlines["first_response"] == {"measured": 5, "met": 2, "share": 0.4}
    assert deadlines["assignment"] == {"measured": 5, "met": 4, "share": 0.8}
    assert deadlines["resolution"] == {"measured": 4, "met": 3, "share": 0.75}
    assert deadlines["escalated"] == 2
    assert deadlines["escalated_share"] == 0.2857


def test_outcomes_by_category_and_transfer_rate(history):
    """GIVEN three resolved enquiries, one with a successful outcome
    WHEN the outcomes are computed THEN the transfer rate is 1/3."""
    outcomes = figures()["outcomes"]
    assert outcomes["resolved"] == 3
    assert outcomes["by_category"] == {
        "information_provided": 1,
        "contact_established": 1,
        "exchange_held": 0,
        "solution_adopted": 0,
        "not_pursued": 1,
    }
    assert (outcomes["successful"], outcomes["transfer_rate"]) == (1, 0.3333)


def test_satisfaction_and_adoption_surveys(history):
    """GIVEN three satisfaction surveys (5/useful, 3/not useful, unanswered) and two adoption answers
    (planned, no) WHEN the survey figures are computed THEN mean 4.0, useful 1/2, response rate 2/3,
    adoption share 1/2."""
    summary = figures()
    assert summary["satisfaction"] == {
        "sent": 3,
        "answered": 2,
        "response_rate": 0.6667,
        "mean_score": 4.0,
        "useful_share": 0.5,
    }
    assert summary["adoption"] == {"sent": 2, "answered": 2, "adopted": 0, "planned": 1, "share": 0.5}


def test_model_projects_count_introductions_and_the_enquiries_they_helped(history):
    """GIVEN introductions to one project for E1 (completed), E2 (requested), E3 (declined)
    WHEN the model-project figures are computed THEN 3 requested, 1 accepted, 1 completed, 1 helped."""
    (row,) = figures()["model_projects"]
    assert row == {
        "key": history.project.pk,
        "label": "Modellprojekt Beispielstadt",
        "introductions_requested": 3,
        "introductions_accepted": 1,
        "introductions_completed": 1,
        "enquiries_helped": 1,
    }
    assert figures(model_project=str(history.project.pk))["volume"]["received"] == 1


def test_partners_show_cases_median_resolution_and_transfer_rate(history):
    """GIVEN DIFU handled E1, E2 and E6 and CCC handled E3
    WHEN the partner breakdown is computed THEN each partner has its own cases and figures."""
    by_partner = rows("partner")
    difu, ccc = by_partner[history.partner.pk], by_partner[history.other_partner.pk]
    assert (difu["label"], difu["received"], difu["resolved"], difu["transfer_rate"]) == ("DIFU", 3, 2, 0.5)
    assert difu["resolution_median_hours"] == 168.0
    assert (ccc["received"], ccc["resolution_median_hours"], ccc["transfer_rate"]) == (1, 384.0, 0.0)
    assert by_partner[None]["received"] == 3


def test_trend_per_month(history):
    """GIVEN enquiries in January (1), March (4) and April (2), none in February
    WHEN the month breakdown is computed THEN each month of the period carries its own figures, February
    with zeros (issue 13, item 17: a month without enquiries is not left out)."""
    by_month = rows("month")
    assert list(by_month) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [r["received"] for r in by_month.values()] == [1, 0, 4, 2]
    february = by_month["2026-02"]
    assert february["label"] == "02/2026"
    assert (february["municipalities"], february["open"], february["resolved"], february["escalated"]) == (0, 0, 0, 0)
    assert (february["transfer_rate"], february["resolution_median_hours"], february["satisfaction_mean"]) == (
        None,
        None,
        None,
    )
    march = by_month["2026-03"]
    assert (march["resolved"], march["transfer_rate"], march["first_response_median_hours"]) == (3, 0.3333, 30.0)
    assert march["satisfaction_mean"] == 4.0


def test_breakdowns_by_topic_bundesland_size_class_and_channel(history):
    by_topic = {row["label"]: row["received"] for row in rows("topic").values()}
    assert by_topic == {"Mobilität": 4, "Energie": 4}
    assert {k: r["received"] for k, r in rows("bundesland").items()} == {"BY": 4, "NW": 3}
    assert {k: r["received"] for k, r in rows("size_class").items()} == {"lt5k": 2, "20k_100k": 3, "gt100k": 2}
    assert {k: r["received"] for k, r in rows("channel").items()} == {"web": 5, "email": 1, "phone": 1}


def test_filters_combine(history):
    """GIVEN the history WHEN topic, Land, size class, partner and channel filters are combined
    THEN only the enquiries matching all of them count."""
    assert figures(topic="mobilitaet")["volume"]["received"] == 4
    assert figures(topic="mobilitaet", bundesland="BY")["volume"]["received"] == 3
    assert figures(topic="mobilitaet", bundesland="BY", size_class="gt100k")["volume"]["received"] == 1
    assert figures(partner=str(history.partner.pk))["volume"]["received"] == 3
    assert figures(partner=str(history.partner.pk), channel="email")["speed"]["resolution"]["median_hours"] == 144.0
    assert figures(from_="x")["volume"]["received"] == 7  # unknown keys are ignored


def test_the_period_selects_by_day_of_receipt_inclusive(history):
    """GIVEN E6 received on 2026-04-01 and E7 on 2026-04-09 WHEN the period is exactly those days THEN both count."""
    summary = stats_summary(filters=StatsFilters(date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 9)), now=NOW)
    assert summary["volume"]["received"] == 2


def test_an_empty_result_is_an_empty_table_not_an_error(history):
    assert figures(funded="true")["volume"]["received"] == 0
    assert figures(funded="true")["speed"]["resolution"] == {"count": 0, "median_hours": None, "p90_hours": None}
    for dimension in ["topic", "bundesland", "size_class", "partner", "model_project", "channel"]:
        assert rows(dimension, funded="true") == {}
    # the trend shows every month of the period, each with nothing received
    by_month = rows("month", funded="true")
    assert list(by_month) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert {row["received"] for row in by_month.values()} == {0}


def test_the_trend_covers_every_month_of_a_period_that_starts_and_ends_mid_month(history):
    by_month = rows("month", **{"from": "2025-11-15", "to": "2026-02-03"})
    assert list(by_month) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [row["received"] for row in by_month.values()] == [0, 0, 1, 0]


def test_breakdown_survey_figures_follow_the_filters(history):
    """GIVEN E1 (mobility, DIFU, satisfaction 5) and E2 (energy, DIFU, satisfaction 3)
    WHEN the partner breakdown is filtered by topic or model project THEN only E1's survey counts."""
    assert rows("partner")[history.partner.pk]["satisfaction_mean"] == 4.0
    assert rows("partner", topic="mobilitaet")[history.partner.pk]["satisfaction_mean"] == 5.0
    by_channel = rows("channel", model_project=str(history.project.pk))
    assert list(by_channel) == ["web"]
    assert by_channel["web"]["satisfaction_mean"] == 5.0
    assert by_channel["web"]["adoption_share"] == 1.0


def test_a_rebuild_picks_up_a_changed_directory(history):
    """GIVEN the rows are computed WHEN Kleinhausen's Land changes in the directory and the rows are rebuilt
    THEN its enquiries count for the new Land."""
    from catalogue.models import Municipality
    from stats.facts import stats_rows_refresh

    assert rows("bundesland")["BY"]["received"] == 4
    Municipality.objects.filter(pk=history.small.pk).update(bundesland="TH")
    stats_rows_refresh(rebuild=True)
    assert {k: r["received"] for k, r in rows("bundesland").items()} == {"BY": 2, "NW": 3, "TH": 2}


def test_a_survey_sent_and_answered_after_the_figures_were_computed_counts_at_the_next_computation(
    history, django_capture_on_commit_callbacks
):
    """GIVEN the figures were computed when E3 had no adoption survey
    WHEN the survey goes out THEN the next computation counts it as sent;
    WHEN the municipality answers "yes" (the case itself does not change) THEN the next one counts the answer."""
    from cases.surveys import survey_answer, survey_send

    assert figures()["adoption"] == {"sent": 2, "answered": 2, "adopted": 0, "planned": 1, "share": 0.5}
    # as after a real commit: the services' after-commit refresh of the case's rows runs
    with django_capture_on_commit_callbacks(execute=True):
        survey = survey_send(
            enquiry_id=history.e3.pk, kind="adoption", now=dt.datetime(2026, 4, 12, 9, 0, tzinfo=dt.UTC)
        )
    assert figures()["adoption"]["sent"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        survey_answer(token=survey.token, adopted="yes", now=dt.datetime(2026, 4, 12, 10, 0, tzinfo=dt.UTC))
    assert figures()["adoption"] == {"sent": 3, "answered": 3, "adopted": 1, "planned": 1, "share": 0.6667}
    assert rows("partner")[history.other_partner.pk]["adoption_share"] == 1.0


def test_the_topic_breakdown_follows_changed_topics_and_lists_enquiries_without_one(history):
    """GIVEN the topic breakdown was computed (E7: mobility)
    WHEN E7 loses its topics and E4 gains energy (each saved, as the admin does)
    THEN the next computation counts E7 as "ohne Handlungsfeld" and E4 under energy as well."""
    from catalogue.models import Topic

    before = {key: row["received"] for key, row in rows("topic").items()}
    mobility, energy = Topic.objects.get(slug="mobilitaet"), Topic.objects.get(slug="energie")
    history.e7.topics.clear()
    history.e7.save()
    history.e4.topics.add(energy)
    history.e4.save()
    # saved behind the services' back (the admin sends enquiry_changed): the periodic sweep picks them up
    from stats.tasks import refresh_rows

    refresh_rows()
    after = rows("topic")
    assert after[mobility.pk]["received"] == before[mobility.pk] - 1
    assert after[energy.pk]["received"] == before[energy.pk] + 1
    assert (after[None]["received"], after[None]["label"]) == (1, "ohne Handlungsfeld")

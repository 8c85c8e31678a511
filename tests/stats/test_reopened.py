"""A reopened case is open again in the statistics: its old outcome stays in its history (the Outcome row,
the TransitionLog, the timeline) but the figures count only the outcome of the case's current resolution,
and the dashboard shows what the API shows right after each step (issue 13, item 15)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from cases.models import Enquiry, Outcome, TransitionLog
from tests import builders as b
from tests.stats.conftest import NOW

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-01-01&to=2026-04-30"
BREAKDOWNS = ["topic", "bundesland", "size_class", "partner", "channel", "month"]
ROW_FIGURES = ["received", "open", "resolved", "successful", "transfer_rate"]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def dashboard_client(manager) -> Client:
    client = Client()
    client.force_login(manager)
    return client


def step(enquiry: Enquiry, name: str, by: Any, **payload: Any) -> Enquiry:
    """The transition with its after-commit effects run, as after a real commit (the rows refresh then)."""
    return b.enquiry_moved(Enquiry.objects.get(pk=enquiry.pk), name, by=by, effects=True, **payload)


def api_figures(client) -> dict[str, Any]:
    summary = client.get(f"/api/v1/stats/summary/?{PERIOD}").json()
    breakdowns = {}
    for dimension in BREAKDOWNS:
        response = client.get(f"/api/v1/stats/by/{dimension}/?{PERIOD}")
        assert response.status_code == 200, dimension
        breakdowns[dimension] = response.json()["results"]
    return {"summary": summary, "breakdowns": breakdowns}


def figures_of(summary: dict[str, Any], breakdowns: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """What both the page and the API show, in one shape to compare."""
    return {
        "received": summary["volume"]["received"],
        "open": summary["backlog"]["open"],
        "by_state": summary["backlog"]["by_state"],
        "outcomes": summary["outcomes"],
        "breakdowns": {
            dimension: {str(row["key"]): [row[name] for name in ROW_FIGURES] for row in rows}
            for dimension, rows in breakdowns.items()
        },
    }


def dashboard_figures(client: Client) -> dict[str, Any]:
    response = client.get(f"/statistik/?{PERIOD}")
    assert response.status_code == 200
    summary = response.context["summary"]
    breakdowns = {item["dimension"]: item["rows"] for item in response.context["breakdowns"]}
    breakdowns["month"] = response.context["trend"]
    html = response.content.decode()
    # the tiles say the same as the figures handed to the template
    assert f'data-kpi="open"><span class="kpi-value">{summary["backlog"]["open"]}<' in html
    resolved, successful = summary["outcomes"]["resolved"], summary["outcomes"]["successful"]
    assert f"{successful} von {resolved} erledigten" in html
    return figures_of(summary, breakdowns)


def assert_consistent(figures: dict[str, Any]) -> None:
    """No case is open and resolved at once: never more resolved than received, in the summary and in every
    row of every breakdown (also per Bundesland)."""
    assert figures["outcomes"]["resolved"] + figures["open"] <= figures["received"]
    for dimension, rows in figures["breakdowns"].items():
        for key, (received, open_, resolved, successful, _rate) in rows.items():
            assert resolved + open_ <= received, (dimension, key)
            assert successful <= resolved, (dimension, key)


def test_a_reopened_case_counts_as_open_until_it_is_resolved_again_with_its_new_outcome(
    history, coordinator, partner_user, manager_client, dashboard_client
):
    """GIVEN E1 (BY, DIFU) resolved with contact_established, E2 information_provided, E3 not_pursued, and the
    dashboard's figures already cached
    WHEN a coordinator reopens E1 THEN the API (summary and each breakdown) counts it open, not resolved and
    not successful, the page shows the same at once, and the old outcome stays in its history
    WHEN E1 is routed again and resolved as solution_adopted THEN it counts once, with the new outcome."""
    before = figures_of(**api_figures(manager_client))
    assert dashboard_figures(dashboard_client) == before
    assert before["outcomes"]["resolved"] == 3
    assert before["outcomes"]["successful"] == 1
    assert before["outcomes"]["transfer_rate"] == 0.3333
    assert before["breakdowns"]["bundesland"]["BY"] == [4, 1, 2, 1, 0.5]
    assert before["open"] == 3

    step(history.e1, "reopen", coordinator)

    reopened = figures_of(**api_figures(manager_client))
    assert reopened["open"] == 4
    assert reopened["by_state"]["triaged"] == 1
    assert reopened["outcomes"]["resolved"] == 2
    assert reopened["outcomes"]["successful"] == 0
    assert reopened["outcomes"]["transfer_rate"] == 0.0
    assert reopened["outcomes"]["by_category"]["contact_established"] == 0
    # Bayern: E1 reopened, E3 not pursued, E4 new, E5 closed out of scope
    assert reopened["breakdowns"]["bundesland"]["BY"] == [4, 2, 1, 0, 0.0]
    assert reopened["breakdowns"]["partner"]["None"][:4] == [4, 3, 0, 0]
    assert reopened["breakdowns"]["month"]["2026-03"] == [4, 1, 2, 0, 0.0]
    assert_consistent(reopened)
    assert dashboard_figures(dashboard_client) == reopened
    # the outcome stays in the case's history
    assert Outcome.objects.get(enquiry=history.e1).category == "contact_established"
    assert TransitionLog.objects.filter(enquiry=history.e1, transition="resolve").count() == 1
    # and the case list of the statistics shows no outcome for the open case
    cases = manager_client.get(f"/api/v1/stats/cases/?{PERIOD}").json()["results"]
    assert next(c for c in cases if c["id"] == history.e1.pk)["outcome"] is None

    step(history.e1, "assign", coordinator, partner=history.partner.pk)
    step(history.e1, "accept", partner_user)
    assigned = figures_of(**api_figures(manager_client))
    assert assigned["outcomes"]["resolved"] == 2
    assert dashboard_figures(dashboard_client) == assigned

    step(history.e1, "resolve", partner_user, category="solution_adopted", notes="Übernommen.")

    again = figures_of(**api_figures(manager_client))
    assert again["open"] == 3
    assert again["outcomes"]["resolved"] == 3
    assert again["outcomes"]["successful"] == 1
    assert again["outcomes"]["transfer_rate"] == 0.3333
    assert again["outcomes"]["by_category"]["solution_adopted"] == 1
    assert again["outcomes"]["by_category"]["contact_established"] == 0
    assert again["breakdowns"]["bundesland"]["BY"] == [4, 1, 2, 1, 0.5]
    assert_consistent(again)
    assert dashboard_figures(dashboard_client) == again
    cases = manager_client.get(f"/api/v1/stats/cases/?{PERIOD}").json()["results"]
    assert next(c for c in cases if c["id"] == history.e1.pk)["outcome"] == "solution_adopted"


def test_a_reopened_case_closed_without_resolving_keeps_no_outcome_in_the_figures(history, coordinator, manager_client):
    """GIVEN E1 resolved with contact_established WHEN a coordinator reopens it and closes it as a duplicate
    THEN it is neither open nor resolved in the figures: the old outcome belongs to an earlier resolution."""
    step(history.e1, "reopen", coordinator)
    step(history.e1, "close", coordinator, reason="duplicate")

    figures = figures_of(**api_figures(manager_client))
    assert figures["outcomes"]["resolved"] == 2
    assert figures["outcomes"]["successful"] == 0
    assert figures["breakdowns"]["bundesland"]["BY"] == [4, 1, 1, 0, 0.0]
    assert_consistent(figures)


def test_the_migration_clears_the_old_outcome_of_rows_written_before_the_fix(history, coordinator):
    """GIVEN E1 reopened while its rows still carry contact_established (written by the old code)
    WHEN the data migration runs THEN its rows carry no outcome; the rows of resolved cases keep theirs."""
    from importlib import import_module

    from django.apps import apps

    from stats.models import EnquiryStats, EnquiryTopicStats

    step(history.e1, "reopen", coordinator)
    EnquiryStats.objects.filter(pk=history.e1.pk).update(outcome="contact_established")
    EnquiryTopicStats.objects.filter(enquiry=history.e1).update(outcome="contact_established")

    import_module("stats.migrations.0002_reopened_cases_without_outcome").clear_outcomes_of_reopened_cases(apps, None)

    assert EnquiryStats.objects.get(pk=history.e1.pk).outcome == ""
    assert set(EnquiryTopicStats.objects.filter(enquiry=history.e1).values_list("outcome", flat=True)) == {""}
    assert EnquiryStats.objects.get(pk=history.e3.pk).outcome == "not_pursued"


def test_the_dashboard_shows_the_apis_model_project_figures_right_after_an_introduction_is_answered(
    history, partner_user, manager_client, dashboard_client
):
    """GIVEN E6 (assigned) with an introduction requested of the model project, and the dashboard cached
    WHEN the project accepts and staff complete the contact THEN the page shows the API's model-project
    figures after each step, not the cached ones."""
    from matching.introductions import introduction_answer, introduction_complete
    from matching.models import Introduction
    from stats.facts import stats_rows_refresh
    from tests.stats.conftest import at

    def projects(client) -> list[dict[str, Any]]:
        return client.get(f"/statistik/?{PERIOD}").context["summary"]["model_projects"]

    introduction = Introduction.objects.create(
        enquiry=history.e6,
        model_project=history.project,
        state="requested",
        created_at=at(4, 2, 9),
        requested_at=at(4, 2, 9),
    )
    stats_rows_refresh(enquiry_ids=[history.e6.pk])
    step(history.e6, "accept", partner_user)
    api = manager_client.get(f"/api/v1/stats/summary/?{PERIOD}").json()["model_projects"]
    assert projects(dashboard_client) == api
    assert api[0]["introductions_accepted"] == 1

    with b.after_commit():
        introduction_answer(token=introduction.token, accept=True)
    api = manager_client.get(f"/api/v1/stats/summary/?{PERIOD}").json()["model_projects"]
    assert api[0]["introductions_accepted"] == 2
    assert projects(dashboard_client) == api

    with b.after_commit():
        introduction_complete(introduction=Introduction.objects.get(pk=introduction.pk), by=partner_user)
    api = manager_client.get(f"/api/v1/stats/summary/?{PERIOD}").json()["model_projects"]
    assert api[0]["introductions_completed"] == 2
    assert projects(dashboard_client) == api

"""Learning from outcomes: a resolved case changes its projects' success rates and the next ranking."""

from __future__ import annotations

import pytest

from cases.models import SurveyResponse
from cases.services import enquiry_transition
from matching.engine import projects_rank, query_for_enquiry
from matching.learning import project_success_refresh
from matching.models import Match, ProjectTopicSuccess
from tests import factories as f

pytestmark = pytest.mark.django_db

# Two twin projects that differ in nothing but their id: the success history decides between them.
NEUTRAL = {"subject": "Anfrage", "message": "Wir haben eine Frage.", "topics": ["energy"]}


@pytest.fixture
def twins(catalogue):
    home = f.MunicipalityFactory(ags="01059050", kind="gemeinde", bundesland="SH", population=3_500, lat=54.6, lon=9.8)
    first = f.ModelProjectFactory(name="Zwilling A", lead_municipality=home, topics=[catalogue.energy])
    second = f.ModelProjectFactory(name="Zwilling B", lead_municipality=home, members=[home], topics=[catalogue.energy])
    return first, second


def _order(enquiry, twins):
    ranked = [p.target_id for p in projects_rank(query=query_for_enquiry(enquiry=enquiry))]
    return [pk for pk in ranked if pk in {t.pk for t in twins}]


def test_a_successful_outcome_moves_the_project_up_in_the_next_ranking(in_progress, submit, twins, partner_user):
    """GIVEN two otherwise equal projects, A ranked before B by id
    WHEN a case with an accepted proposal of B is resolved with a successful outcome
    THEN B's success rate rises and B ranks before A for the next enquiry on that topic."""
    a, b = twins
    probe = submit(**NEUTRAL)
    assert _order(probe, twins) == [a.pk, b.pk]

    case = in_progress(**NEUTRAL)
    Match.objects.update_or_create(
        enquiry=case,
        model_project=b,
        defaults={
            "kind": "model_project",
            "score": 1,
            "rank": 9,
            "decision": "accepted",
            "computed_at": case.created_at,
        },
    )
    enquiry_transition(
        enquiry=case,
        name="resolve",
        by=partner_user,
        payload={"category": "exchange_held", "notes": "Austausch mit Zwilling B"},
    )
    row = ProjectTopicSuccess.objects.get(model_project=b, topic__slug="energy")
    assert (row.successes, row.trials) == (1, 1)
    assert _order(probe, twins) == [b.pk, a.pk]
    success = next(
        e
        for p in projects_rank(query=query_for_enquiry(enquiry=probe))
        if p.target_id == b.pk
        for e in p.explanation
        if e["signal"] == "success"
    )
    assert success["text"] == "1 von 1 früheren Vermittlungen erfolgreich"


def test_an_unsuccessful_outcome_moves_the_project_down(in_progress, submit, twins, partner_user):
    a, b = twins
    probe = submit(**NEUTRAL)
    case = in_progress(**NEUTRAL)
    Match.objects.create(
        enquiry=case,
        kind="model_project",
        model_project=a,
        score=1,
        rank=9,
        decision="accepted",
        computed_at=case.created_at,
    )
    enquiry_transition(
        enquiry=case, name="resolve", by=partner_user, payload={"category": "not_pursued", "notes": "kein Bedarf"}
    )
    assert _order(probe, twins) == [b.pk, a.pk]


def test_an_adoption_survey_answer_counts_as_success(in_progress, twins, partner_user):
    a, _b = twins
    case = in_progress(**NEUTRAL)
    Match.objects.create(
        enquiry=case,
        kind="model_project",
        model_project=a,
        score=1,
        rank=9,
        decision="accepted",
        computed_at=case.created_at,
    )
    enquiry_transition(
        enquiry=case, name="resolve", by=partner_user, payload={"category": "information_provided", "notes": "Infos"}
    )
    assert ProjectTopicSuccess.objects.get(model_project=a, topic=None).successes == 0
    SurveyResponse.objects.create(enquiry=case, kind="adoption", sent_at=case.created_at, adopted="planned")
    project_success_refresh(enquiry=case)
    row = ProjectTopicSuccess.objects.get(model_project=a, topic=None)
    assert (row.successes, row.trials) == (1, 1)


def test_rebuilding_twice_counts_a_case_once(in_progress, twins, partner_user):
    a, _b = twins
    case = in_progress(**NEUTRAL)
    Match.objects.create(
        enquiry=case,
        kind="model_project",
        model_project=a,
        score=1,
        rank=9,
        decision="accepted",
        computed_at=case.created_at,
    )
    enquiry_transition(
        enquiry=case, name="resolve", by=partner_user, payload={"category": "solution_adopted", "notes": "x"}
    )
    project_success_refresh(enquiry=case)
    project_success_refresh(enquiry=case)
    assert ProjectTopicSuccess.objects.get(model_project=a, topic=None).trials == 1


def test_a_reopened_case_has_no_verdict_until_it_is_resolved_again(in_progress, twins, partner_user, coordinator):
    """GIVEN a case with an accepted proposal of A resolved as exchange_held (1 of 1 for A)
    WHEN a coordinator reopens it THEN its old outcome is history and no verdict for A (issue 13, item 15)
    WHEN it is resolved again as not_pursued THEN it counts once, with the new outcome: 0 of 1."""
    a, _b = twins
    case = in_progress(**NEUTRAL)
    Match.objects.create(
        enquiry=case,
        kind="model_project",
        model_project=a,
        score=1,
        rank=9,
        decision="accepted",
        computed_at=case.created_at,
    )
    enquiry_transition(
        enquiry=case, name="resolve", by=partner_user, payload={"category": "exchange_held", "notes": "Austausch"}
    )
    row = ProjectTopicSuccess.objects.get(model_project=a, topic=None)
    assert (row.successes, row.trials) == (1, 1)

    case.refresh_from_db()
    enquiry_transition(enquiry=case, name="reopen", by=coordinator, payload={})
    assert not ProjectTopicSuccess.objects.filter(model_project=a, topic=None, trials__gt=0).exists()

    case.refresh_from_db()
    enquiry_transition(
        enquiry=case, name="assign", by=coordinator, payload={"partner": partner_user.membership.partner_id}
    )
    case.refresh_from_db()
    enquiry_transition(enquiry=case, name="accept", by=partner_user, payload={})
    case.refresh_from_db()
    enquiry_transition(
        enquiry=case, name="resolve", by=partner_user, payload={"category": "not_pursued", "notes": "kein Bedarf"}
    )
    row = ProjectTopicSuccess.objects.get(model_project=a, topic=None)
    assert (row.successes, row.trials) == (0, 1)

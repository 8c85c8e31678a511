"""Learning from outcomes: each model project's success rate per topic, rebuilt from the cases it was part of.

A project took part in a case when staff accepted it as a proposal or an introduction was requested. Such a
case counts as a success for the project when its outcome is successful (cases.models.SUCCESSFUL_OUTCOMES) or
the adoption survey says the solution was adopted or is planned, and the project did not decline the
introduction. Rebuilding (rather than adding one) keeps the counts right when a case is reopened, resolved
again or a survey answer arrives later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cases.models import SUCCESSFUL_OUTCOMES, Enquiry, Outcome, SurveyResponse
from matching.engine import ranking_state_changed
from matching.models import Introduction, Match, ProjectTopicSuccess

INVOLVED_INTRODUCTION_STATES = [
    Introduction.State.REQUESTED,
    Introduction.State.ACCEPTED,
    Introduction.State.DECLINED,
    Introduction.State.COMPLETED,
]
ADOPTED = [SurveyResponse.Adopted.YES, SurveyResponse.Adopted.PLANNED]


def projects_involved(*, enquiry: Enquiry) -> set[int]:
    accepted = Match.objects.filter(
        enquiry=enquiry, kind=Match.Kind.MODEL_PROJECT, decision=Match.Decision.ACCEPTED
    ).values_list("model_project", flat=True)
    introduced = Introduction.objects.filter(enquiry=enquiry, state__in=INVOLVED_INTRODUCTION_STATES).values_list(
        "model_project", flat=True
    )
    return {pk for pk in [*accepted, *introduced] if pk is not None}


def project_success_refresh(*, enquiry: Enquiry) -> None:
    """After a resolve or a survey answer of this enquiry: rebuild the rates of the projects it involved."""
    projects_success_rebuild(project_ids=projects_involved(enquiry=enquiry))


def projects_success_rebuild(*, project_ids: Iterable[int]) -> None:
    """Six queries whatever the number of projects and cases."""
    project_ids = set(project_ids)
    if not project_ids:
        return
    cases: dict[int, set[int]] = defaultdict(set)  # project -> enquiries
    declined: set[tuple[int, int]] = set()
    for project_id, enquiry_id in Match.objects.filter(
        kind=Match.Kind.MODEL_PROJECT, decision=Match.Decision.ACCEPTED, model_project__in=project_ids
    ).values_list("model_project", "enquiry"):
        cases[project_id].add(enquiry_id)
    for project_id, enquiry_id, state in Introduction.objects.filter(
        model_project__in=project_ids, state__in=INVOLVED_INTRODUCTION_STATES
    ).values_list("model_project", "enquiry", "state"):
        cases[project_id].add(enquiry_id)
        if state == Introduction.State.DECLINED:
            declined.add((project_id, enquiry_id))
    enquiry_ids = {e for ids in cases.values() for e in ids}
    # a reopened case's old outcome is history: no verdict until it is resolved again
    outcomes = dict(Outcome.objects.current().filter(enquiry__in=enquiry_ids).values_list("enquiry", "category"))
    adopted = set(
        SurveyResponse.objects.filter(
            enquiry__in=enquiry_ids, kind=SurveyResponse.Kind.ADOPTION, adopted__in=ADOPTED
        ).values_list("enquiry", flat=True)
    )
    topics: dict[int, set[int]] = defaultdict(set)
    for enquiry_id, topic_id in Enquiry.topics.through.objects.filter(enquiry__in=enquiry_ids).values_list(
        "enquiry", "topic"
    ):
        topics[enquiry_id].add(topic_id)

    counts: dict[tuple[int, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for project_id, enquiry_ids_of_project in cases.items():
        for enquiry_id in enquiry_ids_of_project:
            if enquiry_id not in outcomes:
                continue  # not resolved yet: no verdict
            success = (outcomes[enquiry_id] in SUCCESSFUL_OUTCOMES or enquiry_id in adopted) and (
                project_id,
                enquiry_id,
            ) not in declined
            for topic_id in [None, *sorted(topics[enquiry_id])]:
                row = counts[(project_id, topic_id)]
                row[0] += int(success)
                row[1] += 1
    now = timezone.now()
    with transaction.atomic():
        ProjectTopicSuccess.objects.filter(model_project__in=project_ids).delete()
        ProjectTopicSuccess.objects.bulk_create(
            [
                ProjectTopicSuccess(model_project_id=p, topic_id=t, successes=s, trials=n, updated_at=now)
                for (p, t), (s, n) in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1] or 0))
            ]
        )
        ranking_state_changed()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Vermittlung")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from cases.events import survey_answered, transition_happened
        from catalogue.models import ConsortiumPartner, Measure, ModelProject, Topic

        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from matching import tasks  # noqa: F401
        from matching.engine import ranking_state_changed
        from matching.hooks import (
            catalogue_changed,
            matching_after_survey_answer,
            matching_after_transition,
            ranking_state_after_transition,
        )
        from matching.models import Introduction, ProjectTopicSuccess

        transition_happened.connect(matching_after_transition, dispatch_uid="matching.after_transition")
        # the cached ranking state (open introductions, success rates, partner workload) follows every change
        transition_happened.connect(ranking_state_after_transition, dispatch_uid="matching.ranking_state")
        for model in (Introduction, ProjectTopicSuccess, ConsortiumPartner):
            post_save.connect(ranking_state_changed, sender=model, dispatch_uid=f"ranking-state-save-{model.__name__}")
            post_delete.connect(
                ranking_state_changed, sender=model, dispatch_uid=f"ranking-state-delete-{model.__name__}"
            )
        survey_answered.connect(matching_after_survey_answer, dispatch_uid="matching.after_survey_answer")
        from matching.hooks import proposals_job
        from matching.models import PROPOSALS_JOB
        from ops.jobs import job_handler_register

        job_handler_register(PROPOSALS_JOB, proposals_job)

        # The engine's in-memory catalogue index is dropped whenever the catalogue changes.
        for model in (ModelProject, Measure, ConsortiumPartner, Topic):
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"matching-index-save-{model.__name__}")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"matching-index-delete-{model.__name__}")
        for through in (
            ModelProject.municipalities.through,
            ModelProject.topics.through,
            Measure.topics.through,
            ConsortiumPartner.expertise.through,
        ):
            m2m_changed.connect(
                catalogue_changed, sender=through, dispatch_uid=f"matching-index-m2m-{through.__name__}"
            )

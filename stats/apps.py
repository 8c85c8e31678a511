from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistik")

    def ready(self) -> None:
        from cases.events import enquiry_changed, transition_happened

        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from stats import tasks  # noqa: F401
        from stats.hooks import stats_after_change, stats_after_transition

        transition_happened.connect(stats_after_transition, dispatch_uid="stats.after_transition")
        enquiry_changed.connect(stats_after_change, dispatch_uid="stats.after_change")
        from ops.jobs import job_handler_register
        from stats.hooks import STATS_ROWS_JOB, stats_rows_job

        job_handler_register(STATS_ROWS_JOB, stats_rows_job)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Postausgang")

    def ready(self) -> None:
        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from ops.jobs import job_handler_register
        from outbox import tasks  # noqa: F401
        from outbox.services import OUTBOX_SEND_JOB, outbox_send_job

        job_handler_register(OUTBOX_SEND_JOB, outbox_send_job)

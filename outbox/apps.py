from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Postausgang")

    def ready(self) -> None:
        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from outbox import tasks  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Betrieb")

    def ready(self) -> None:
        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from ops import tasks  # noqa: F401

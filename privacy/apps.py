from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Datenschutz")

    def ready(self) -> None:
        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from privacy import tasks  # noqa: F401

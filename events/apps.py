from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from events import tasks  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationConfig(AppConfig):
    name = "conversation"
    verbose_name = _("E-Mail-Verkehr")

    def ready(self) -> None:
        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from conversation import checks, tasks  # noqa: F401

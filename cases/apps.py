from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Anfragen")

    def ready(self) -> None:
        # the Celery tasks register in every process (web, worker, beat), not only where something imports them
        from cases import tasks  # noqa: F401
        from cases.deadlines import deadlines_after_transition
        from cases.events import transition_happened
        from cases.inbox import inbox_after_transition
        from cases.notifications import notifications_after_transition

        # deadlines first, as before: the notifications render the enquiry with its new deadlines
        transition_happened.connect(deadlines_after_transition, dispatch_uid="cases.deadlines")
        transition_happened.connect(notifications_after_transition, dispatch_uid="cases.notifications")
        transition_happened.connect(inbox_after_transition, dispatch_uid="cases.inbox")

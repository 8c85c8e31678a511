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
        self._connect_search()
        from cases.search import SEARCH_JOB, search_job
        from ops.jobs import job_handler_register

        job_handler_register(SEARCH_JOB, search_job)

    def _connect_search(self) -> None:
        """The workspace's full text and next deadline follow every change of a case (cases.search)."""
        from django.db.models.signals import post_save

        from cases.events import enquiry_changed, transition_happened
        from cases.models import Activity
        from cases.search import search_refresh_after_commit

        def after_transition(*, enquiry, **kwargs) -> None:
            search_refresh_after_commit([enquiry.pk])

        def after_change(*, enquiry_ids, **kwargs) -> None:
            search_refresh_after_commit(enquiry_ids)

        def after_timeline_entry(*, instance, created, raw=False, **kwargs) -> None:
            # notes, follow-ups and introductions write timeline entries outside a transition
            if created and not raw:
                search_refresh_after_commit([instance.enquiry_id])

        transition_happened.connect(after_transition, dispatch_uid="cases.search", weak=False)
        enquiry_changed.connect(after_change, dispatch_uid="cases.search", weak=False)
        post_save.connect(after_timeline_entry, sender=Activity, dispatch_uid="cases.search", weak=False)

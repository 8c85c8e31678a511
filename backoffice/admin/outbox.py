"""The outbox in the admin: what was sent, what waits, what failed and why; failed messages can be retried."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ops.jobs import job_retry_now
from ops.models import BeatHeartbeat, DeferredJob
from outbox.models import OutboxMessage
from outbox.services import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "template", "recipient_list", "status", "attempts", "short_error", "created_at", "sent_at"]
    list_filter = ["status", "template", "auto_submitted"]
    # the Message-ID: to find the mail a reply's In-Reply-To names
    search_fields = ["subject", "recipients", "enquiry__reference", "message_id"]
    date_hierarchy = "created_at"
    raw_id_fields = ["enquiry"]
    actions = ["retry"]
    readonly_fields = [
        "template",
        "enquiry",
        "recipients",
        "subject",
        "text",
        "html",
        "language",
        "message_id",
        "reply_to",
        "auto_submitted",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Read-only: the status only changes through sending or the retry action.
        return False

    @admin.display(description=_("Empfänger"))
    def recipient_list(self, obj: OutboxMessage) -> str:
        return ", ".join(obj.recipients)

    @admin.display(description=_("letzter Fehler"))
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Fehlgeschlagene erneut senden"))
    def retry(self, request, queryset) -> None:
        count = outbox_retry(message_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(
            request,
            ngettext("%d Nachricht wird erneut gesendet.", "%d Nachrichten werden erneut gesendet.", count) % count,
            messages.SUCCESS,
        )


@admin.register(BeatHeartbeat)
class BeatHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["id", "last_beat_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DeferredJob)
class DeferredJobAdmin(admin.ModelAdmin):
    """The deferred work of changes (ops.jobs): what waits, what failed and why; "run now" tries again."""

    list_display = ["id", "name", "key", "attempts", "short_error", "created_at", "run_after"]
    list_filter = ["name"]
    search_fields = ["key", "last_error"]
    readonly_fields = ["name", "key", "created_at", "run_after", "attempts", "last_error"]
    actions = ["run_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("letzter Fehler"))
    def short_error(self, obj: DeferredJob) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Jetzt erneut ausführen"))
    def run_now(self, request, queryset) -> None:
        count = job_retry_now(job_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(
            request,
            ngettext("%d Nacharbeit wird erneut ausgeführt.", "%d Nacharbeiten werden erneut ausgeführt.", count)
            % count,
            messages.SUCCESS,
        )

"""Workspace notifications: what is new for one staff user (a reply, an introduction answer, a reopened case,
a follow-up due, a case assigned or declined back). Written by ``cases.inbox`` after the change commits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.enquiry import Enquiry


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY_RECEIVED = "reply_received", _("Antwort der Kommune")
        INTRODUCTION_ANSWERED = "introduction_answered", _("Antwort auf Kontaktvermittlung")
        REOPENED = "reopened", _("Anfrage wieder geöffnet")
        FOLLOWUP_DUE = "followup_due", _("Wiedervorlage fällig")
        ASSIGNED = "assigned", _("Anfrage zugewiesen")
        DECLINED = "declined", _("Anfrage abgelehnt")
        EMAIL_RECEIVED = "email_received", _("E-Mail eingegangen")
        MESSAGE_RECEIVED = "message_received", _("Nachricht der Kommune")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Empfänger/in"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    enquiry = models.ForeignKey(Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Art"), max_length=24, choices=Kind.choices)
    text = models.TextField(_("Text"))
    created_at = models.DateTimeField(_("erstellt"))
    read_at = models.DateTimeField(_("gelesen"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        indexes = [
            # the unread count of every workspace page (web.context_processors): a partial index of unread rows
            models.Index(fields=["recipient"], name="crm_notif_unread_idx", condition=models.Q(read_at=None)),
            # the notification page: one user's rows newest first; notifications_mark_seen by case
            models.Index(fields=["recipient", "-created_at"], name="crm_notif_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

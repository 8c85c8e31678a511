"""The outbox: e-mail written in the transaction that causes it and sent afterwards. It points at an enquiry
by name only (``cases.Enquiry``), so that it imports nothing from the apps above it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail, written in the transaction of the change that causes it and sent afterwards.

    A row moves pending -> sending (claimed by one worker with a compare-and-swap UPDATE) -> sent; a failed
    attempt puts it back to pending with a later ``next_attempt_at``, and after the last attempt to failed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENDING = "sending", _("wird versandt")
        SENT = "sent", _("versandt")
        FAILED = "failed", _("fehlgeschlagen")

    template = models.CharField(_("Vorlage"), max_length=60)
    enquiry = models.ForeignKey(
        "cases.Enquiry",
        verbose_name=_("Anfrage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    recipients = models.JSONField(_("Empfänger"), default=list)
    subject = models.CharField(_("Betreff"), max_length=255)
    text = models.TextField(_("Text"))
    html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    # The Message-ID the mail is sent with (kept, so that a reply's In-Reply-To finds its case), the Reply-To
    # (the case's plus-address for mail to the municipality) and RFC 3834's Auto-Submitted for system mail.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    reply_to = models.CharField(_("Antwort an"), max_length=320, blank=True)
    auto_submitted = models.BooleanField(_("automatisch erzeugt"), default=False)
    # small generated files sent with the mail (a calendar file): [{"filename", "content_type", "content"}],
    # the content as text, written with the message so that a retry sends the same file
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    claimed_at = models.DateTimeField(_("beansprucht"), null=True, blank=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("E-Mail (Postausgang)")
        verbose_name_plural = _("Postausgang")
        # the sweep reads due pending rows and stale claims (outbox.services.outbox_sweep)
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="wf_outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.template} → {', '.join(self.recipients)}"

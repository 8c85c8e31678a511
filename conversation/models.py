"""Inbound e-mail: one row per message (deduplicated by Message-ID), the original kept in the mail storage, its
attachments beside it. A row is filed on a case (with the timeline entry it made) or waits for a coordinator."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def mail_storage():
    """The storage of STORAGES["mail"] (a folder under var/ by default; any backend in production)."""
    return storages["mail"]


def _raw_path(instance: InboundEmail, filename: str) -> str:
    return f"raw/{uuid.uuid4().hex}.eml"


def _attachment_path(instance: InboundAttachment, filename: str) -> str:
    # never the sender's file name on disk (path tricks, clashes); the name is kept in the row
    suffix = PurePosixPath(filename).suffix.lower()[:10] if filename else ""
    return f"attachments/{uuid.uuid4().hex}{suffix if suffix.isascii() else ''}"


class InboundEmail(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Antwort der Kommune")
        THIRD_PARTY = "third_party", _("von Dritten")
        AUTO_REPLY = "auto_reply", _("automatische Antwort")
        BOUNCE = "bounce", _("Unzustellbarkeitsmeldung")
        NEW = "new", _("neue Nachricht")

    class Status(models.TextChoices):
        FILED = "filed", _("einem Fall zugeordnet")
        UNMATCHED = "unmatched", _("wartet auf Zuordnung")
        DISMISSED = "dismissed", _("verworfen")

    class MatchedBy(models.TextChoices):
        KEY = "key", _("Schlüssel in der Empfängeradresse")
        HEADER = "header", _("In-Reply-To/References")
        SUBJECT = "subject", _("Aktenzeichen im Betreff")
        COORDINATOR = "coordinator", _("von der Koordination zugeordnet")
        NONE = "", _("nicht zugeordnet")

    class Source(models.TextChoices):
        PIPE = "pipe", _("receive_email (MTA)")
        IMAP = "imap", _("IMAP-Postfach")

    # the message's own Message-ID (normalised, without <>); a mail without one gets "sha256:<hash of the raw bytes>"
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    from_address = models.CharField(_("Absender"), max_length=254, blank=True)
    from_name = models.CharField(_("Name des Absenders"), max_length=200, blank=True)
    to_addresses = models.TextField(_("Empfänger"), blank=True)
    subject = models.CharField(_("Betreff"), max_length=255, blank=True)
    in_reply_to = models.TextField(_("In-Reply-To"), blank=True)
    references = models.TextField(_("References"), blank=True)
    sent_at = models.DateTimeField(_("gesendet"), null=True, blank=True)
    received_at = models.DateTimeField(_("empfangen"), db_index=True)
    # what the timeline shows (quoted part and signature removed) and the whole text body
    text = models.TextField(_("Text"), blank=True)
    full_text = models.TextField(_("vollständiger Text"), blank=True)
    from_html = models.BooleanField(_("aus HTML umgewandelt"), default=False)
    raw = models.FileField(_("Original"), storage=mail_storage, upload_to=_raw_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("Größe (Bytes)"), default=0)
    source = models.CharField(_("Quelle"), max_length=8, choices=Source.choices)
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices)
    matched_by = models.CharField(_("zugeordnet über"), max_length=12, choices=MatchedBy.choices, blank=True)
    # what could not be used (an attachment refused, an unknown charset): shown to staff with the mail
    problems = models.TextField(_("Hinweise"), blank=True)
    enquiry = models.ForeignKey(
        "cases.Enquiry",
        verbose_name=_("Anfrage"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbound_emails",
    )
    # the timeline entry it made (an incoming e-mail, or the receive_reply step it caused)
    activity = models.OneToOneField(
        "cases.Activity",
        verbose_name=_("Eintrag im Verlauf"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_email",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zugeordnet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("zugeordnet am"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("eingegangene E-Mail")
        verbose_name_plural = _("eingegangene E-Mails")
        indexes = [
            # the coordinators' list of mail that belongs to no case
            models.Index(fields=["status", "received_at"], name="conv_inbound_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"

    @property
    def third_party(self) -> bool:
        return self.kind == self.Kind.THIRD_PARTY


class InboundAttachment(models.Model):
    email = models.ForeignKey(
        InboundEmail, verbose_name=_("E-Mail"), on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Typ"), max_length=100)
    size = models.PositiveIntegerField(_("Größe (Bytes)"))
    file = models.FileField(_("Datei"), storage=mail_storage, upload_to=_attachment_path, max_length=200)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")

    def __str__(self) -> str:
        return self.name

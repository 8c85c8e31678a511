"""Idempotency keys of submissions: a repeated ``Idempotency-Key`` (API header, hidden field of the public form)
gets the first answer back instead of a second enquiry. Written and read by ``cases.idempotency``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.enquiry import Enquiry


class SubmissionKey(models.Model):
    class Door(models.TextChoices):
        API = "api", _("API")
        FORM = "form", _("Formular")

    door = models.CharField(_("Eingang"), max_length=8, choices=Door.choices)
    key = models.CharField(_("Schlüssel"), max_length=255)
    # sha256 of the submitted body: the same key with another body is refused (422)
    fingerprint = models.CharField(_("Prüfsumme"), max_length=64)
    enquiry = models.ForeignKey(
        Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.PositiveSmallIntegerField(_("HTTP-Status"), default=0)
    response = models.JSONField(_("Antwort"), default=dict, blank=True)
    # cases.idempotency deletes keys older than KEY_LIFETIME on each write (index below)
    created_at = models.DateTimeField(_("angelegt"), db_index=True)

    class Meta:
        verbose_name = _("Idempotenz-Schlüssel")
        verbose_name_plural = _("Idempotenz-Schlüssel")
        constraints = [models.UniqueConstraint(fields=["door", "key"], name="submission_key_unique_per_door")]

    def __str__(self) -> str:
        return f"{self.door}:{self.key}"

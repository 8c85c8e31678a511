"""Reply templates (Textbausteine): texts with German placeholders that pre-fill the message of a request for
information or an internal note. The placeholder syntax and its check live in ``cases.replies``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyTemplate(models.Model):
    class Use(models.TextChoices):
        REQUEST_INFO = "request_info", _("Rückfrage")
        NOTE = "note", _("Notiz")
        BOTH = "both", _("Rückfrage und Notiz")

    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text"))
    use = models.CharField(_("Verwendung"), max_length=12, choices=Use.choices, default=Use.BOTH)
    active = models.BooleanField(_("aktiv"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")

    def __str__(self) -> str:
        return self.title

"""What the health check reads: the last run of the periodic heartbeat."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BeatHeartbeat(models.Model):
    """One row (id 1), touched by the periodic heartbeat task; /healthz reads its age."""

    last_beat_at = models.DateTimeField(_("letzter Lauf"))

    class Meta:
        verbose_name = _("Zeitplan-Lebenszeichen")
        verbose_name_plural = _("Zeitplan-Lebenszeichen")

    def __str__(self) -> str:
        return f"{self.last_beat_at:%Y-%m-%d %H:%M:%S}"


class DeferredJob(models.Model):
    """Work that follows a change but need not happen before its answer (``ops.jobs``): written in the change's
    transaction, so it is never lost when the broker is down, and done by a worker after the commit (or by the
    first reader that needs it). One row per (name, key); done rows are deleted."""

    name = models.CharField(_("Art"), max_length=60)
    key = models.CharField(_("Schlüssel"), max_length=60)
    created_at = models.DateTimeField(_("angelegt"))
    run_after = models.DateTimeField(_("frühestens"))
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True, default="")

    class Meta:
        verbose_name = _("Nacharbeit")
        verbose_name_plural = _("Nacharbeiten")
        constraints = [models.UniqueConstraint(fields=["name", "key"], name="ops_job_name_key_uniq")]
        indexes = [models.Index(fields=["run_after", "id"], name="ops_job_due_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.key}"

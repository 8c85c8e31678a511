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

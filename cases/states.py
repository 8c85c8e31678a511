"""The states of an enquiry and the reasons of closing it (SPEC section 3). Apart from the models, so that the table of transitions
(``cases.transitions``), which the model's state machine reads, can name them without importing the model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NEW = "new", _("neu")
    TRIAGED = "triaged", _("gesichtet")
    ASSIGNED = "assigned", _("zugewiesen")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    AWAITING_REPLY = "awaiting_reply", _("wartet auf Rückmeldung")
    RESOLVED = "resolved", _("erledigt")
    CLOSED = "closed", _("abgeschlossen")


OPEN_STATES = [State.NEW, State.TRIAGED, State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_REPLY]


class CloseReason(models.TextChoices):
    COMPLETED = "completed", _("abgeschlossen")
    DUPLICATE = "duplicate", _("Dublette")
    OUT_OF_SCOPE = "out_of_scope", _("nicht zuständig")
    SPAM = "spam", _("Spam")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    NO_REPLY = "no_reply", _("keine Rückmeldung")

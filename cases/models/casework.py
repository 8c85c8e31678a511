"""What happens on a case: timeline, audit log, outcome, follow-ups, surveys."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.enquiry import Enquiry


class Activity(models.Model):
    """One entry of a case's timeline."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Notiz")
        EMAIL_IN = "email_in", _("E-Mail eingegangen")
        EMAIL_OUT = "email_out", _("E-Mail versandt")
        CALL = "call", _("Telefonat")
        MEETING = "meeting", _("Termin")
        TRANSITION = "transition", _("Statuswechsel")
        SYSTEM = "system", _("System")
        # a message the municipality wrote on its status page outside a question (cases.public_messages)
        MESSAGE_IN = "message_in", _("Nachricht der Kommune")

    # indexed with the time (crm_activity_timeline_idx), which serves the lookups by the enquiry alone too
    enquiry = models.ForeignKey(
        Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, related_name="activities", db_index=False
    )
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    transition = models.CharField(_("Übergang"), max_length=20, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Autor/in"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # "system", "municipality" or the username: who acted when no user did.
    actor = models.CharField(_("Akteur"), max_length=150, blank=True)
    text = models.TextField(_("Text"), blank=True)
    # Public entries are shown to the municipality on its status page.
    public = models.BooleanField(_("für die Kommune sichtbar"), default=False)
    at = models.DateTimeField(_("Zeitpunkt"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("Aktivität")
        verbose_name_plural = _("Aktivitäten")
        # the timeline endpoint and the public status page read a case's entries oldest first
        indexes = [models.Index(fields=["enquiry", "at"], name="crm_activity_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class TransitionLog(models.Model):
    """Written in the same transaction as the state change; never edited (like healthchecks' Flip)."""

    # indexed with the time (crm_tlog_enquiry_at_idx), which serves the lookups by the enquiry alone too
    enquiry = models.ForeignKey(
        Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, related_name="transition_logs", db_index=False
    )
    transition = models.CharField(_("Übergang"), max_length=20)
    from_state = models.CharField(_("von Status"), max_length=20)
    to_state = models.CharField(_("zu Status"), max_length=20)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("durch"), null=True, blank=True, on_delete=models.SET_NULL
    )
    by = models.CharField(_("durch (Name)"), max_length=150)
    comment = models.TextField(_("Kommentar"), blank=True)
    at = models.DateTimeField(_("Zeitpunkt"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("Statuswechsel")
        verbose_name_plural = _("Statuswechsel")
        indexes = [
            # a case's history (timeline, admin) and the awaiting_reply waiting time of statistics
            models.Index(fields=["enquiry", "at"], name="crm_tlog_enquiry_at_idx"),
            # statistics by transition over a period (cases and stats selectors)
            models.Index(fields=["transition", "at"], name="crm_tlog_transition_at_idx"),
            # the waiting time in awaiting_reply of stats.selectors reads only these rows
            models.Index(
                fields=["enquiry", "at"],
                name="crm_tlog_awaiting_idx",
                condition=models.Q(from_state="awaiting_reply") | models.Q(to_state="awaiting_reply"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state} → {self.to_state}"


class OutcomeCategory(models.TextChoices):
    INFORMATION_PROVIDED = "information_provided", _("Information bereitgestellt")
    CONTACT_ESTABLISHED = "contact_established", _("Kontakt hergestellt")
    EXCHANGE_HELD = "exchange_held", _("Austausch fand statt")
    SOLUTION_ADOPTED = "solution_adopted", _("Lösung übernommen")
    NOT_PURSUED = "not_pursued", _("nicht weiterverfolgt")


SUCCESSFUL_OUTCOMES = [
    OutcomeCategory.CONTACT_ESTABLISHED,
    OutcomeCategory.EXCHANGE_HELD,
    OutcomeCategory.SOLUTION_ADOPTED,
]


class OutcomeQuerySet(models.QuerySet):
    def current(self) -> OutcomeQuerySet:
        """The outcomes of the cases' current resolutions. Reopening a case clears its ``resolved_at`` and
        keeps its Outcome row as history (with the TransitionLog and the timeline) until a new resolve
        overwrites it: until then the row is no outcome of the case (statistics, learning, case lists)."""
        return self.filter(enquiry__resolved_at__isnull=False)


class Outcome(models.Model):
    """The transfer outcome; required to resolve. A reopened case keeps it as history, no longer as its outcome
    (``OutcomeQuerySet.current``, ``Enquiry.current_outcome``); resolving again overwrites it."""

    enquiry = models.OneToOneField(Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, related_name="outcome")
    category = models.CharField(_("Ergebnis"), max_length=30, choices=OutcomeCategory.choices, db_index=True)
    notes = models.TextField(_("Notizen"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("erfasst von"), null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("erfasst am"))

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Transferergebnis")
        verbose_name_plural = _("Transferergebnisse")

    def __str__(self) -> str:
        return self.get_category_display()

    @property
    def successful(self) -> bool:
        return self.category in SUCCESSFUL_OUTCOMES


class FollowUp(models.Model):
    """Wiedervorlage."""

    class Kind(models.TextChoices):
        CALL_BACK = "call_back", _("Rückruf")
        REMINDER = "reminder", _("Erinnerung")
        SURVEY = "survey", _("Befragung")

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices, default=Kind.REMINDER)
    due_at = models.DateTimeField(_("fällig am"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuständig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    note = models.TextField(_("Notiz"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt"))
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    # Claimed by the reminder job before it sends (compare-and-swap), so that two workers never send twice.
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("Wiedervorlage")
        verbose_name_plural = _("Wiedervorlagen")
        # the periodic reminder job scans open follow-ups by due date (cases.tasks)
        indexes = [models.Index(fields=["done_at", "reminded_at", "due_at"], name="crm_followup_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d}"


def new_survey_token() -> str:
    return secrets.token_urlsafe(24)


class SurveyResponse(models.Model):
    """A survey sent through a token link; the row exists from sending on and is filled when answered."""

    class Kind(models.TextChoices):
        SATISFACTION = "satisfaction", _("Zufriedenheit")
        ADOPTION = "adoption", _("Übernahme")

    class Adopted(models.TextChoices):
        YES = "yes", _("ja")
        PLANNED = "planned", _("geplant")
        NO = "no", _("nein")

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    token = models.CharField(max_length=64, unique=True, default=new_survey_token, editable=False)
    sent_at = models.DateTimeField(_("versandt"))
    expires_at = models.DateTimeField(_("gültig bis"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("Bewertung (1-5)"), null=True, blank=True)
    useful = models.BooleanField(_("hilfreich"), null=True, blank=True)
    adopted = models.CharField(_("übernommen"), max_length=8, choices=Adopted.choices, blank=True)
    comment = models.TextField(_("Kommentar"), blank=True)
    answered_at = models.DateTimeField(_("beantwortet"), null=True, blank=True)

    class Meta:
        verbose_name = _("Befragung")
        verbose_name_plural = _("Befragungen")
        constraints = [models.UniqueConstraint(fields=["enquiry", "kind"], name="crm_survey_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enquiry_id}"

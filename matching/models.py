"""What the matching engine proposed, and the introductions (Kontaktvermittlung) that followed."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models.enquiry import Enquiry
from catalogue.models import ConsortiumPartner, Measure, ModelProject, Topic

# The deferred job (ops.jobs) that computes a new enquiry's proposals after its submission's answer
# (handler: matching.hooks.proposals_job; the first reader runs it itself: matching.selectors.matches_of).
PROPOSALS_JOB = "matching.proposals"


class Match(models.Model):
    class Kind(models.TextChoices):
        MODEL_PROJECT = "model_project", _("Modellprojekt")
        PARTNER = "partner", _("Konsortialpartner")

    class Decision(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    model_project = models.ForeignKey(
        ModelProject, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    partner = models.ForeignKey(
        ConsortiumPartner, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    measures = models.ManyToManyField(Measure, verbose_name=_("Maßnahmen"), blank=True, related_name="matches")
    score = models.FloatField(_("Punktzahl"))
    rank = models.PositiveSmallIntegerField(_("Rang"))
    # [{"signal", "weight", "value", "text"}] as SPEC section 5 serves it
    explanation = models.JSONField(_("Begründung"), default=list)
    decision = models.CharField(_("Entscheidung"), max_length=10, choices=Decision.choices, default=Decision.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    computed_at = models.DateTimeField(_("berechnet am"))

    class Meta:
        ordering = ["enquiry", "kind", "rank"]
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")
        # the matches endpoint reads one enquiry's proposals best first
        indexes = [models.Index(fields=["enquiry", "rank"], name="crm_match_enquiry_rank_idx")]

    def __str__(self) -> str:
        return f"#{self.rank} {self.model_project or self.partner}"

    @property
    def target(self) -> ModelProject | ConsortiumPartner | None:
        return self.model_project if self.kind == self.Kind.MODEL_PROJECT else self.partner


def new_introduction_token() -> str:
    return secrets.token_urlsafe(24)


class Introduction(ConcurrentTransitionMixin, models.Model):
    """Kontaktvermittlung: the model project is asked by e-mail whether it will talk to the municipality."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        REQUESTED = "requested", _("angefragt")
        ACCEPTED = "accepted", _("zugesagt")
        DECLINED = "declined", _("abgelehnt")
        COMPLETED = "completed", _("abgeschlossen")

    enquiry = models.ForeignKey(
        Enquiry, verbose_name=_("Anfrage"), on_delete=models.CASCADE, related_name="introductions"
    )
    model_project = models.ForeignKey(
        ModelProject, verbose_name=_("Modellprojekt"), on_delete=models.PROTECT, related_name="introductions"
    )
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="introductions")
    state = FSMField(_("Status"), max_length=12, choices=State.choices, default=State.PROPOSED, protected=True)
    token = models.CharField(max_length=64, unique=True, default=new_introduction_token, editable=False)
    created_at = models.DateTimeField(_("angelegt"))
    requested_at = models.DateTimeField(_("angefragt am"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    completed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    answer_note = models.TextField(_("Antwort des Modellprojekts"), blank=True)

    class Meta:
        verbose_name = _("Kontaktvermittlung")
        verbose_name_plural = _("Kontaktvermittlungen")
        constraints = [
            models.UniqueConstraint(fields=["enquiry", "model_project"], name="crm_intro_one_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id} → {self.model_project}"

    @transition(field=state, source=State.PROPOSED, target=State.REQUESTED)
    def request(self) -> None: ...

    @transition(field=state, source=State.REQUESTED, target=State.ACCEPTED)
    def accept(self) -> None: ...

    @transition(field=state, source=State.REQUESTED, target=State.DECLINED)
    def decline(self) -> None: ...

    @transition(field=state, source=State.ACCEPTED, target=State.COMPLETED)
    def complete(self) -> None: ...


# Introductions that occupy one of the project's places (ModelProject.capacity): read by the ranking's capacity
# feature and checked before a new introduction starts.
OPEN_INTRODUCTION_STATES = (Introduction.State.PROPOSED, Introduction.State.REQUESTED, Introduction.State.ACCEPTED)


class ProjectTopicSuccess(models.Model):
    """How often a model project's involvement in a case on a topic ended successfully (learning of matching).

    Rebuilt per project by ``matching.learning`` from outcomes and survey answers; ``topic`` empty is
    the project's total over all its cases. The success feature smooths these counts with a Beta prior.
    """

    model_project = models.ForeignKey(
        ModelProject, verbose_name=_("Modellprojekt"), on_delete=models.CASCADE, related_name="success_rates"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("Handlungsfeld"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    successes = models.PositiveIntegerField(_("erfolgreich"), default=0)
    trials = models.PositiveIntegerField(_("Fälle"), default=0)
    updated_at = models.DateTimeField(_("aktualisiert"))

    class Meta:
        verbose_name = _("Erfolgsquote")
        verbose_name_plural = _("Erfolgsquoten")
        # the success feature reads every row at once; learning rewrites one project's rows
        indexes = [models.Index(fields=["model_project", "topic"], name="crm_success_project_topic_idx")]

    def __str__(self) -> str:
        return f"{self.model_project_id}/{self.topic_id}: {self.successes}/{self.trials}"

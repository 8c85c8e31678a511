"""Transfer workshops and development communities: an event on a field of action that many enquiries ask about,
the model projects that present, the municipalities invited (token link, no account) and who came.

Event states (django-fsm, protected; changed only by ``events.services``): planned -> open (registration open)
<-> full (every seat taken; back to open when a seat frees and nobody waits) -> held; planned, open and full ->
cancelled. Every change of an event, an invitation or a presenter writes an EventLog row in its transaction.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Enquiry
from catalogue.models import ModelProject, Municipality, Topic


def new_token() -> str:
    """An unguessable link token (192 bits), never a sequential id."""
    return secrets.token_urlsafe(24)


class Event(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("geplant")
        OPEN = "open", _("Anmeldung offen")
        FULL = "full", _("ausgebucht")
        HELD = "held", _("durchgeführt")
        CANCELLED = "cancelled", _("abgesagt")

    class Format(models.TextChoices):
        ONLINE = "online", _("online")
        ON_SITE = "on_site", _("vor Ort")

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Transferworkshop")
        COMMUNITY = "community", _("Entwicklungsgemeinschaft")

    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices, default=Kind.WORKSHOP)
    description = models.TextField(_("Beschreibung"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("Handlungsfelder"), related_name="events")
    format = models.CharField(_("Format"), max_length=10, choices=Format.choices, default=Format.ONLINE)
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    online_url = models.URLField(_("Zugangslink"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"))
    capacity = models.PositiveIntegerField(_("Plätze"))
    state = FSMField(_("Status"), max_length=12, choices=State.choices, default=State.PLANNED, protected=True)
    # the radar group it was made from (matching.radar), kept for the record; the enquiries themselves are linked
    radar_key = models.CharField(_("Radar-Gruppe"), max_length=200, blank=True)
    enquiries = models.ManyToManyField(
        Enquiry, verbose_name=_("Anfragen"), blank=True, related_name="events", db_table="events_event_enquiries"
    )
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
    held_at = models.DateTimeField(_("durchgeführt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True)
    cancel_reason = models.TextField(_("Grund der Absage"), blank=True)
    # claimed by the reminder sweep before it writes the mails (events.registrations.events_send_reminders)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        # the reminder sweep reads events by state and start; the statistics count held events by start
        indexes = [models.Index(fields=["state", "starts_at"], name="ev_event_state_start_idx")]

    def __str__(self) -> str:
        return self.title

    @transition(field=state, source=State.PLANNED, target=State.OPEN)
    def open_registration(self) -> None: ...

    @transition(field=state, source=State.OPEN, target=State.FULL)
    def fill(self) -> None: ...

    @transition(field=state, source=State.FULL, target=State.OPEN)
    def free(self) -> None: ...

    @transition(field=state, source=[State.OPEN, State.FULL], target=State.HELD)
    def hold(self) -> None: ...

    @transition(field=state, source=[State.PLANNED, State.OPEN, State.FULL], target=State.CANCELLED)
    def cancel(self) -> None: ...


ACTIVE_EVENT_STATES = (Event.State.PLANNED, Event.State.OPEN, Event.State.FULL)


class Presenter(models.Model):
    """A model project asked to present at the event: its contact answers through a token link, as for an
    introduction (no account)."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("angefragt")
        ACCEPTED = "accepted", _("zugesagt")
        DECLINED = "declined", _("abgesagt")

    event = models.ForeignKey(
        Event, verbose_name=_("Veranstaltung"), on_delete=models.CASCADE, related_name="presenters"
    )
    model_project = models.ForeignKey(
        ModelProject, verbose_name=_("Modellprojekt"), on_delete=models.CASCADE, related_name="event_presenters"
    )
    state = models.CharField(_("Status"), max_length=10, choices=State.choices, default=State.REQUESTED)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    asked_at = models.DateTimeField(_("angefragt am"))
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    answer_note = models.TextField(_("Antwort"), blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("Mitwirkendes Modellprojekt")
        verbose_name_plural = _("Mitwirkende Modellprojekte")
        constraints = [models.UniqueConstraint(fields=["event", "model_project"], name="ev_presenter_once")]

    def __str__(self) -> str:
        return f"{self.model_project} @ {self.event_id}"


class Invitation(models.Model):
    """One municipality's contact invited to an event: the registration is the invitation's answer.

    invited -> registered | waitlisted | declined; registered -> withdrawn (the municipality cancels, a seat
    frees); waitlisted -> registered (a seat freed) | withdrawn. ``attended`` is recorded after the event."""

    class State(models.TextChoices):
        INVITED = "invited", _("eingeladen")
        REGISTERED = "registered", _("angemeldet")
        WAITLISTED = "waitlisted", _("Warteliste")
        DECLINED = "declined", _("abgelehnt")
        WITHDRAWN = "withdrawn", _("abgemeldet")

    event = models.ForeignKey(
        Event, verbose_name=_("Veranstaltung"), on_delete=models.CASCADE, related_name="invitations"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="event_invitations"
    )
    # the enquiry that brought the municipality in (on the event's topic); its case can be resolved after
    enquiry = models.ForeignKey(
        Enquiry,
        verbose_name=_("Anfrage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_invitations",
    )
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(_("Status"), max_length=12, choices=State.choices, default=State.INVITED)
    invited_at = models.DateTimeField(_("eingeladen am"))
    answered_at = models.DateTimeField(_("geantwortet am"), null=True, blank=True)
    registered_at = models.DateTimeField(_("angemeldet am"), null=True, blank=True)
    # the waiting list's order: first come, first moved up
    waitlisted_at = models.DateTimeField(_("auf der Warteliste seit"), null=True, blank=True)
    attended = models.BooleanField(_("teilgenommen"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(_("Teilnahme erfasst am"), null=True, blank=True)
    # set when the enquiry was resolved with the outcome exchange_held because of this event (statistics)
    resolved_at = models.DateTimeField(_("Anfrage gelöst am"), null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="ev_invitation_once_per_address")]
        # seats taken and the waiting list are counted per event and state
        indexes = [models.Index(fields=["event", "state"], name="ev_invitation_state_idx")]

    def __str__(self) -> str:
        return f"{self.municipality} @ {self.event_id}"


class EventLog(models.Model):
    """What happened to an event, written in the transaction of the change (like the enquiries' TransitionLog):
    the event's transitions and each invitation's and presenter's answer. Never edited."""

    event = models.ForeignKey(Event, verbose_name=_("Veranstaltung"), on_delete=models.CASCADE, related_name="log")
    invitation = models.ForeignKey(
        Invitation, verbose_name=_("Einladung"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    presenter = models.ForeignKey(
        Presenter, verbose_name=_("Modellprojekt"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(_("Aktion"), max_length=24)
    from_state = models.CharField(_("von"), max_length=24, blank=True)
    to_state = models.CharField(_("nach"), max_length=24, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.CharField(_("Akteur"), max_length=20, blank=True)
    comment = models.TextField(_("Kommentar"), blank=True)
    at = models.DateTimeField(_("Zeitpunkt"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        # the event page reads its log in order
        indexes = [models.Index(fields=["event", "at"], name="ev_log_event_at_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.action}"

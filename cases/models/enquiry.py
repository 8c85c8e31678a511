"""The case: an enquiry of a municipality, and its state machine.

The state is a protected django-fsm field: only the transition methods below (made from the table in
``cases.transitions``) change it, and only the
services in ``cases.services`` call those methods (inside one ``transaction.atomic()`` together with
the TransitionLog and the Activity). ``ConcurrentTransitionMixin`` turns a lost race into
``ConcurrentTransition`` at save time.
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Upper
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from cases.states import OPEN_STATES, CloseReason, State
from cases.transitions import fsm_methods
from catalogue.models import ConsortiumPartner, Municipality, Topic


class SupportType(models.TextChoices):
    INFORMATION = "information", _("Information")
    CONTACT = "contact", _("Kontakt zu einem Modellprojekt")
    WORKSHOP = "workshop", _("Workshop")
    VISIT = "visit", _("Besuch vor Ort")
    ADVICE = "advice", _("Beratung")


class Channel(models.TextChoices):
    WEB = "web", _("Webformular")
    EMAIL = "email", _("E-Mail")
    PHONE = "phone", _("Telefon")
    EVENT = "event", _("Veranstaltung")


class Priority(models.IntegerChoices):
    LOW = 1, _("niedrig")
    NORMAL = 2, _("normal")
    HIGH = 3, _("hoch")
    URGENT = 4, _("dringend")


class PostgresGinIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere (the embedded SQLite) a plain index on the same column, so that the
    model's tables can be created on either database (tests build them from the models, --nomigrations)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, using=using, **kwargs)

    def check_supported(self, schema_editor) -> None:
        return None


# how the workspace list sorts a case without a pending deadline (``next_due`` NULL): after every date
NO_DEADLINE = datetime(9999, 1, 1, tzinfo=UTC)


def new_public_token() -> str:
    """192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def new_mail_key() -> str:
    """The case's key in the plus-addressed Reply-To (``transferstelle+<key>@…``): 120 random bits in lower-case
    base32, since mail systems may fold the local part's case. Neither the id nor the status page's token."""
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()


class Enquiry(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(_("Aktenzeichen"), max_length=20, unique=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="enquiries"
    )
    funded = models.BooleanField(_("aus einem Modellprojekt"), default=False)
    contact_name = models.CharField(_("Name"), max_length=200)
    contact_email = models.EmailField(_("E-Mail"), max_length=254)
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    contact_role = models.CharField(_("Funktion"), max_length=200, blank=True)
    subject = models.CharField(_("Betreff"), max_length=200)
    message = models.TextField(_("Nachricht"))
    topics = models.ManyToManyField(Topic, verbose_name=_("Handlungsfelder"), blank=True, related_name="enquiries")
    topics_auto = models.BooleanField(_("Themen automatisch erkannt"), default=False)
    support_type = models.CharField(_("Art der Unterstützung"), max_length=20, choices=SupportType.choices)
    channel = models.CharField(_("Eingangskanal"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    # the language the enquiry was made in: e-mails to the enquirer are written in it
    language = models.CharField(_("Sprache"), max_length=8, choices=settings.LANGUAGES, default="de")
    consent_at = models.DateTimeField(_("Einwilligung erteilt am"))
    state = FSMField(_("Status"), max_length=20, choices=State.choices, default=State.NEW, protected=True)
    close_reason = models.CharField(_("Abschlussgrund"), max_length=20, choices=CloseReason.choices, blank=True)
    priority = models.PositiveSmallIntegerField(_("Priorität"), choices=Priority.choices, default=Priority.NORMAL)
    assigned_partner = models.ForeignKey(
        ConsortiumPartner,
        verbose_name=_("zuständiger Partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Bearbeiter/in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_enquiries",
    )
    # unique by the constraints below, not ``unique=True``: that would add a second (LIKE) index to every insert
    public_token = models.CharField(max_length=64, default=new_public_token, editable=False)
    # the e-mail conversation (SPEC section 10): the key in the Reply-To, and a contact address that bounced
    mail_key = models.CharField(max_length=32, default=new_mail_key, editable=False)
    contact_email_failed_at = models.DateTimeField(_("E-Mail-Adresse unzustellbar seit"), null=True, blank=True)
    contact_email_failure = models.CharField(_("Grund der Unzustellbarkeit"), max_length=500, blank=True)
    # The measure named when the enquiry was made from its catalogue page ("Zu dieser Maßnahme anfragen");
    # matching puts its project first.
    measure = models.ForeignKey(
        "catalogue.Measure",
        verbose_name=_("angefragte Maßnahme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("mögliche Dublette von"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_synthetic = models.BooleanField(_("synthetische Lastdaten"), default=False, db_index=True)

    # indexed with the id (crm_enq_created_id_idx), which serves every filter and order by the date alone too
    created_at = models.DateTimeField(_("eingegangen"))
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    first_response_at = models.DateTimeField(_("erste Reaktion"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("zugewiesen"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("erledigt"), null=True, blank=True)
    closed_at = models.DateTimeField(_("abgeschlossen"), null=True, blank=True)

    # Deadlines (SPEC section 3), shifted forward by the time spent in awaiting_reply.
    first_response_due = models.DateTimeField(_("Frist erste Reaktion"), null=True, blank=True)
    assignment_due = models.DateTimeField(_("Frist Zuweisung"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("Frist Erledigung"), null=True, blank=True)
    paused_at = models.DateTimeField(_("Fristen angehalten seit"), null=True, blank=True)
    waiting_seconds = models.PositiveIntegerField(_("Wartezeit auf Rückmeldung (s)"), default=0)
    escalated_at = models.DateTimeField(_("eskaliert"), null=True, blank=True)
    first_response_breached_at = models.DateTimeField(null=True, blank=True)
    assignment_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    awaiting_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    satisfaction_survey_sent_at = models.DateTimeField(null=True, blank=True)
    adoption_survey_sent_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisiert"), null=True, blank=True)

    # --- denormalised for the workspace's queues and list (cases.queues, cases.search) ---------------------
    # The name of the last transition, written by cases.services.transition_record: the queues "declined back"
    # (triaged after decline) and "reply received" (in progress after receive_reply) read it.
    last_transition = models.CharField(
        _("letzter Statuswechsel"), max_length=20, blank=True, default="", editable=False
    )
    # The earliest deadline not yet met (NULL while paused or closed), for sorting the list by next deadline;
    # kept by cases.search.search_refresh after every change of the case.
    next_due = models.DateTimeField(_("nächste Frist"), null=True, blank=True, editable=False)
    # Full text (cases.search): on PostgreSQL a weighted tsvector (german); on SQLite three folded word lists
    # (A: reference, subject; B: message, municipality; C: contact, timeline), empty on PostgreSQL.
    search_vector = SearchVectorField(null=True, editable=False)
    search_a = models.TextField(default="", blank=True, editable=False)
    search_b = models.TextField(default="", blank=True, editable=False)
    search_c = models.TextField(default="", blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Anfrage")
        verbose_name_plural = _("Anfragen")
        indexes = [
            # staff case list: filter by state, newest first (api.views.enquiries)
            models.Index(fields=["state", "-created_at"], name="crm_enq_state_created_idx"),
            # partner scope (cases.selectors.enquiries_visible_to)
            models.Index(fields=["assigned_partner", "state"], name="crm_enq_partner_state_idx"),
            # duplicate check: same municipality and e-mail (compared as ``iexact``: UPPER) within 30 days
            # (cases.intake); the e-mail in the index keeps its cost flat however many cases the town has
            models.Index(F("municipality"), Upper("contact_email"), F("created_at"), name="crm_enq_dup_upper_idx"),
            # statistics rows: the enquiries changed or escalated since the last refresh (stats.facts)
            models.Index(fields=["updated_at"], name="crm_enq_updated_idx"),
            models.Index(
                fields=["escalated_at"], name="crm_enq_escalated_idx", condition=models.Q(escalated_at__isnull=False)
            ),
            # the landing's queue counts (cases.queues.queue_counts) read the open cases only, from the index
            # alone (PostgreSQL: an index-only scan); the last transition a key too, so that "declined back"
            # seeks its few cases among a backlog of triaged ones (295 -> 0.1 ms among 920,000); SQLite ignores
            # INCLUDE
            models.Index(
                fields=["state", "last_transition"],
                include=[
                    "id",
                    "assigned_partner",
                    "first_response_due",
                    "assignment_due",
                    "resolution_due",
                    "first_response_at",
                    "assigned_at",
                    "paused_at",
                    "escalated_at",
                ],
                condition=models.Q(state__in=OPEN_STATES),
                name="crm_enq_open_queue_idx",
            ),
            # the workspace list's sort orders, read page by page with a keyset (web.views.workspace_list)
            models.Index(fields=["next_due", "id"], name="crm_enq_next_due_idx"),
            # the same order with NULL (no deadline pending) read as NO_DEADLINE, after every date: a page of the
            # workspace list by next deadline seeks into it from its cursor (one range, no OR over NULL); with
            # next_due included, ?page=N walks it alone (an index-only scan) to its OFFSET
            models.Index(
                Coalesce("next_due", Value(NO_DEADLINE)), "id", include=["next_due"], name="crm_enq_due_key_idx"
            ),
            models.Index(fields=["created_at", "id"], name="crm_enq_created_id_idx"),
            models.Index(fields=["priority", "created_at", "id"], name="crm_enq_priority_idx"),
            # ?q= on PostgreSQL (cases.search)
            PostgresGinIndex(fields=["search_vector"], name="crm_enq_search_idx"),
        ]
        # the link tokens are looked up by equality only: one unique index each (``unique=True`` on a CharField
        # adds a LIKE index on PostgreSQL, which every submission would write for nothing)
        constraints = [
            models.UniqueConstraint(fields=["public_token"], name="crm_enq_public_token_uniq"),
            models.UniqueConstraint(fields=["mail_key"], name="crm_enq_mail_key_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def current_outcome(self):
        """The Outcome of the current resolution, or None: a reopened case keeps its old Outcome row as history
        (cleared ``resolved_at``) until it is resolved again (``OutcomeQuerySet.current``)."""
        if self.resolved_at is None:
            return None
        return getattr(self, "outcome", None)

    # --- transitions: only cases.services calls these --------------------------------------------------
    # One method per entry of cases.transitions.TRANSITIONS (source and target read from the table); rights and
    # guards are checked by the services, the methods only move the state.
    locals().update(fsm_methods(state))


class ReferenceCounter(models.Model):
    """The last reference number handed out per year; incremented under a row lock (gaps are allowed)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

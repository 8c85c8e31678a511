"""One narrow row per enquiry with everything the statistics aggregate, so that a million enquiries are
summed from one small table instead of the wide enquiry joined to municipality, outcome and the
TransitionLog (SPEC section 7: fast with a million enquiries).

Derived data only: ``stats.facts.stats_rows_refresh`` rebuilds a case's rows after each change of the case
commits (``stats.hooks``, subscribed to ``cases.events``) and, in the periodic sweep, the rows of every enquiry
changed since the last refresh; a row is never edited by hand, and reading the figures writes nothing.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.enquiry import OPEN_STATES, Enquiry
from catalogue.models import ConsortiumPartner, Municipality, Topic


class StatsFlag(enum.IntFlag):
    """Yes/no facts of a row that do not change with the clock, packed into ``EnquiryStats.flags``: the
    statistics count rows per distinct (state, outcome, adoption answer, flags) in one hashed pass (a few
    hundred groups) and add the groups up, instead of evaluating some thirty conditional counts per row."""

    ESCALATED = 1 << 0
    FIRST_RESPONSE_REACHED = 1 << 1
    ASSIGNMENT_REACHED = 1 << 2
    RESOLUTION_REACHED = 1 << 3
    # the moment came and a due time was set: the deadline counts as measured
    FIRST_RESPONSE_DUE_REACHED = 1 << 4
    ASSIGNMENT_DUE_REACHED = 1 << 5
    RESOLUTION_DUE_REACHED = 1 << 6
    # the moment came at or before the due time
    FIRST_RESPONSE_MET = 1 << 7
    ASSIGNMENT_MET = 1 << 8
    RESOLUTION_MET = 1 << 9
    SATISFACTION_SENT = 1 << 10
    SATISFACTION_ANSWERED = 1 << 11
    USEFUL_YES = 1 << 12
    USEFUL_ANSWERED = 1 << 13
    ADOPTION_SENT = 1 << 14


class EnquiryStats(models.Model):
    enquiry = models.OneToOneField(Enquiry, primary_key=True, on_delete=models.CASCADE, related_name="stats_row")
    # the enquiry's updated_at when the row was computed: the refresh starts from the newest one
    source_updated_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(db_index=True)
    # the first day of the month of receipt in the office's time zone (the monthly trend groups by it)
    month = models.DateField()
    state = models.CharField(max_length=20)
    municipality = models.ForeignKey(Municipality, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    size_class = models.CharField(max_length=12)
    bundesland = models.CharField(max_length=2)
    partner = models.ForeignKey(
        ConsortiumPartner, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    channel = models.CharField(max_length=10)
    funded = models.BooleanField()
    outcome = models.CharField(max_length=30, blank=True)
    escalated = models.BooleanField()
    first_response_at = models.DateTimeField(null=True)
    first_response_due = models.DateTimeField(null=True)
    assigned_at = models.DateTimeField(null=True)
    assignment_due = models.DateTimeField(null=True)
    resolved_at = models.DateTimeField(null=True)
    resolution_due = models.DateTimeField(null=True)
    # seconds from receipt to the moment, without the time spent in awaiting_reply (from the TransitionLog)
    first_response_seconds = models.FloatField(null=True)
    assignment_seconds = models.FloatField(null=True)
    resolution_seconds = models.FloatField(null=True)
    # the enquiry's two surveys (at most one of each kind), copied so that the figures need no join;
    # sending or answering one is an ``enquiry_changed`` event, which refreshes the row
    satisfaction_sent = models.BooleanField(default=False)
    satisfaction_answered = models.BooleanField(default=False)
    # NULL unless answered
    satisfaction_score = models.PositiveSmallIntegerField(null=True)
    satisfaction_useful = models.BooleanField(null=True)
    adoption_sent = models.BooleanField(default=False)
    # the answer (yes / planned / no); empty while unanswered
    adoption_answer = models.CharField(max_length=8, blank=True, default="")
    # StatsFlag bits
    flags = models.PositiveIntegerField(default=0)
    # the enquiry has an introduction to a model project: the model-project figures join only these rows
    # (creating one is an ``enquiry_changed`` event, which refreshes the row)
    introduced = models.BooleanField(default=False)

    class Meta:
        # Exact medians and 90th percentiles of the whole period without sorting a million durations: walk
        # one of these indexes in order to the rank (stats.selectors._percentiles). The filter columns
        # follow as key columns (INCLUDE would warn on SQLite) so that the walk reads the index only.
        indexes = [
            models.Index(
                fields=[
                    f"{name}_seconds",
                    "enquiry",
                    "created_at",
                    "bundesland",
                    "size_class",
                    "partner",
                    "channel",
                    "funded",
                ],
                condition=models.Q(**{f"{name}_seconds__isnull": False}),
                name=f"crm_stats_{name[:5]}_secs_idx",
            )
            for name in ("first_response", "assignment", "resolution")
        ] + [
            models.Index(
                fields=["enquiry", "created_at", "bundesland", "size_class", "partner", "channel", "funded"],
                condition=models.Q(introduced=True),
                name="crm_stats_introduced_idx",
            ),
            # the open cases (a few percent): backlog ages and overdue deadlines depend on the clock
            models.Index(fields=["created_at"], condition=models.Q(state__in=OPEN_STATES), name="crm_stats_open_idx"),
        ]
        verbose_name = _("Statistikzeile")
        verbose_name_plural = _("Statistikzeilen")


class EnquiryTopicLink(models.Model):
    """The enquiry-topic table (Enquiry.topics) seen from the statistics row: the topic breakdown joins it to
    EnquiryStats directly (enquiry_id is both tables' key) instead of through the wide enquiry table."""

    stats_row = models.ForeignKey(
        EnquiryStats,
        db_column="enquiry_id",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="topic_links",
    )
    topic = models.ForeignKey(Topic, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        managed = False
        db_table = "cases_enquiry_topics"


class EnquiryTopicStats(models.Model):
    """The statistics row once per topic of the enquiry (topic NULL for an enquiry without topics), so that
    the topic breakdown reads one table instead of joining a million rows to the enquiry-topic table three
    times. Same column names as EnquiryStats: the same filters and figures apply. Derived data, rebuilt
    with the enquiry's EnquiryStats row by ``stats.facts.stats_rows_refresh``."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="stats_topic_rows")
    # no foreign-key indexes but the enquiry's (for the refresh); the breakdown reads crm_topicstats_topic_idx
    topic = models.ForeignKey(
        Topic, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    created_at = models.DateTimeField()
    state = models.CharField(max_length=20)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    size_class = models.CharField(max_length=12)
    bundesland = models.CharField(max_length=2)
    partner = models.ForeignKey(
        ConsortiumPartner, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    channel = models.CharField(max_length=10)
    funded = models.BooleanField()
    outcome = models.CharField(max_length=30, blank=True)
    first_response_seconds = models.FloatField(null=True)
    assignment_seconds = models.FloatField(null=True)
    resolution_seconds = models.FloatField(null=True)
    satisfaction_score = models.PositiveSmallIntegerField(null=True)
    adoption_answer = models.CharField(max_length=8, blank=True, default="")
    flags = models.PositiveIntegerField(default=0)

    class Meta:
        # the percentiles per topic read the rows in topic order from here instead of sorting them first
        indexes = [
            models.Index(
                fields=[
                    "topic",
                    "created_at",
                    "bundesland",
                    "size_class",
                    "partner",
                    "channel",
                    "funded",
                    "enquiry",
                    "first_response_seconds",
                    "assignment_seconds",
                    "resolution_seconds",
                ],
                name="crm_topicstats_topic_idx",
            )
        ]
        verbose_name = _("Statistikzeile je Handlungsfeld")
        verbose_name_plural = _("Statistikzeilen je Handlungsfeld")

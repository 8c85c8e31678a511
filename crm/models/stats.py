"""One narrow row per enquiry with everything the statistics aggregate, so that a million enquiries are
summed from one small table instead of the wide enquiry joined to municipality, outcome and the
TransitionLog (SPEC section 7: fast with a million enquiries).

Derived data only: ``crm.stats.facts.stats_rows_refresh`` rebuilds the rows of every enquiry changed since
the last refresh (the statistics selectors call it first), so a row is never edited by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.catalogue import ConsortiumPartner, Municipality
from crm.models.enquiry import Enquiry


class EnquiryStats(models.Model):
    enquiry = models.OneToOneField(Enquiry, primary_key=True, on_delete=models.CASCADE, related_name="stats_row")
    # the enquiry's updated_at when the row was computed: the refresh starts from the newest one
    source_updated_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(db_index=True)
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

    class Meta:
        verbose_name = _("Statistikzeile")
        verbose_name_plural = _("Statistikzeilen")

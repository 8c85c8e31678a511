"""Partner routing: expertise, region and workload; equal partners take turns; optional auto-assign."""

from __future__ import annotations

import pytest
import time_machine

from cases.models import Enquiry
from cases.services import enquiry_transition
from catalogue.models import ConsortiumPartner
from matching.engine import partners_rank, query_for_enquiry
from matching.routing import partner_propose
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def equal_partners(catalogue):
    return [
        f.PartnerFactory(short_name=name, name=f"Institut {name}", expertise=[catalogue.mobility], regions=[])
        for name in ("AAA", "BBB", "CCC")
    ]


def test_equal_partners_take_turns_least_recently_assigned_first(submit, coordinator, equal_partners):
    """GIVEN three partners equal in expertise, region and workload
    WHEN cases are triaged and assigned to the proposed partner one after another
    THEN each partner gets one before any gets a second."""
    chosen = []
    for day in range(1, 5):
        with time_machine.travel(f"2026-03-0{day} 10:00Z", tick=False):
            enquiry = submit(subject=f"Rufbus Nummer {day}")
            enquiry = enquiry_transition(enquiry=enquiry, name="triage", by=coordinator)
            best = partner_propose(enquiry=enquiry)
            chosen.append(best.target_id)
            enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": best.target_id})
            # the capacity feature would otherwise prefer the others; close the case to keep them equal
            enquiry_transition(
                enquiry=Enquiry.objects.get(pk=enquiry.pk),
                name="decline",
                by=_staff(best.target_id),
                payload={"reason": "gleich"},
            )
    ids = [p.pk for p in equal_partners]
    assert chosen[:3] == ids  # never assigned: by id; then by who waited longest
    assert chosen[3] == ids[0]
    assert ConsortiumPartner.objects.get(pk=ids[0]).last_assigned_at.day == 4


def _staff(partner_id):
    partner = ConsortiumPartner.objects.get(pk=partner_id)
    return f.UserFactory(
        username=f"staff-{partner.short_name}-{partner.last_assigned_at:%H%M%S%f}", role="partner", partner=partner
    )


def test_a_partner_with_the_expertise_beats_one_without(submit, catalogue):
    f.PartnerFactory(short_name="NRG", expertise=[catalogue.energy])
    mob = f.PartnerFactory(short_name="MOB", expertise=[catalogue.mobility])
    assert partner_propose(enquiry=submit()).target_id == mob.pk


def test_a_partner_of_the_enquirers_land_beats_one_of_another_land(submit, catalogue):
    f.PartnerFactory(short_name="BAY", expertise=[catalogue.mobility], regions=["BY"])
    sh = f.PartnerFactory(short_name="SHL", expertise=[catalogue.mobility], regions=["SH"])
    assert partner_propose(enquiry=submit()).target_id == sh.pk


def test_a_partner_that_does_not_serve_the_enquirers_land_is_not_proposed_at_all(submit, catalogue):
    """GIVEN a Bavarian partner with the right expertise and no other partner WHEN a village in
    Schleswig-Holstein asks THEN no partner is proposed; a nationwide one (no regions) would be."""
    f.PartnerFactory(short_name="BAY", expertise=[catalogue.mobility], regions=["BY"])
    enquiry = submit()
    assert partner_propose(enquiry=enquiry) is None
    assert partners_rank(query=query_for_enquiry(enquiry=enquiry)) == []
    nationwide = f.PartnerFactory(short_name="ALL", expertise=[catalogue.energy], regions=[])
    assert [p.target_id for p in partners_rank(query=query_for_enquiry(enquiry=enquiry))] == [nationwide.pk]


def test_a_busy_partner_loses_against_a_free_one(submit, coordinator, catalogue):
    busy = f.PartnerFactory(short_name="BUSY", expertise=[catalogue.mobility], capacity=2)
    free = f.PartnerFactory(short_name="FREE", expertise=[catalogue.mobility], capacity=2)
    enquiry = enquiry_transition(enquiry=submit(), name="triage", by=coordinator)
    enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": busy.pk})
    assert partner_propose(enquiry=submit(subject="Noch ein Rufbus")).target_id == free.pk


def test_auto_assign_assigns_the_proposed_partner_after_triage(
    submit, coordinator, catalogue, settings, django_capture_on_commit_callbacks
):
    """GIVEN KTS_AUTO_ASSIGN WHEN a coordinator triages THEN the proposed partner is assigned through the
    assign service, with its log entry."""
    settings.KTS_AUTO_ASSIGN = True
    mob = f.PartnerFactory(short_name="MOB", expertise=[catalogue.mobility])
    enquiry = submit()
    with django_capture_on_commit_callbacks(execute=True):
        enquiry_transition(enquiry=enquiry, name="triage", by=coordinator)
    enquiry.refresh_from_db()
    assert enquiry.state == "assigned"
    assert enquiry.assigned_partner == mob
    assert enquiry.transition_logs.filter(transition="assign").exists()


def test_without_auto_assign_triage_leaves_the_case_triaged(
    submit, coordinator, catalogue, django_capture_on_commit_callbacks
):
    f.PartnerFactory(short_name="MOB", expertise=[catalogue.mobility])
    enquiry = submit()
    with django_capture_on_commit_callbacks(execute=True):
        enquiry_transition(enquiry=enquiry, name="triage", by=coordinator)
    enquiry.refresh_from_db()
    assert enquiry.state == "triaged"

"""Issue 13, item 1: a manager could add a partner membership for his own account in the admin and then accept,
resolve, decide proposals and read contact data as that partner. Now a partner right needs the partner group
and the membership; only coordinators manage memberships; nobody changes his own."""

from __future__ import annotations

import pytest

from catalogue.models import PartnerMembership
from core.roles import is_partner_staff, partner_of
from tests import factories as f
from tests.catalogue.test_admin import logged_in
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ADD = "/admin/catalogue/partnermembership/add/"


def test_a_membership_without_the_partner_group_gives_no_partner_right(manager, partner, make_assigned_case):
    """GIVEN a manager who (somehow) holds a membership of partner P WHEN he acts on a case assigned to P THEN he
    is no partner staff: accept is a 403 and the case stays assigned."""
    PartnerMembership.objects.create(user=manager, partner=partner)
    manager.refresh_from_db()
    enquiry = make_assigned_case(partner)

    response = client_for(manager).post(f"/api/v1/enquiries/{enquiry.pk}/transitions/accept/", {}, format="json")

    assert partner_of(manager) is None and not is_partner_staff(manager)
    assert response.status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.state == "assigned"


def test_a_manager_cannot_add_a_membership_in_the_admin(manager, partner):
    client = logged_in(manager)

    page = client.get(ADD)
    response = client.post(ADD, {"user": manager.pk, "partner": partner.pk})

    assert page.status_code == 403 and response.status_code == 403
    assert not PartnerMembership.objects.filter(user=manager).exists()


def test_managers_still_read_the_memberships(manager, partner_user):
    response = logged_in(manager).get("/admin/catalogue/partnermembership/")

    assert response.status_code == 200
    assert partner_user.username in response.content.decode()


def test_a_coordinator_cannot_make_himself_partner_staff(coordinator, partner):
    """Even a coordinator who is also in the partner group cannot add his own membership."""
    from django.contrib.auth.models import Group

    coordinator.groups.add(Group.objects.get_or_create(name="partner")[0])
    client = logged_in(coordinator)

    response = client.post(ADD, {"user": coordinator.pk, "partner": partner.pk})

    assert response.status_code == 200  # the form again, with the error
    assert "eigene Partnerzugehörigkeit" in response.content.decode()
    assert not PartnerMembership.objects.filter(user=coordinator).exists()


def test_a_coordinator_adds_a_partner_account_but_not_one_outside_the_partner_group(coordinator, partner, manager):
    newcomer = f.UserFactory(username="neu-difu", role="partner")
    client = logged_in(coordinator)

    refused = client.post(ADD, {"user": manager.pk, "partner": partner.pk})
    added = client.post(ADD, {"user": newcomer.pk, "partner": partner.pk})

    assert refused.status_code == 200 and "Gruppe" in refused.content.decode()
    assert added.status_code == 302
    assert PartnerMembership.objects.filter(user=newcomer, partner=partner).exists()
    assert not PartnerMembership.objects.filter(user=manager).exists()


def test_nobody_removes_or_changes_his_own_membership(partner, other_partner, coordinator):
    """GIVEN a coordinator who is also partner staff (two groups) WHEN he opens his own membership THEN he may not
    change or delete it."""
    from django.contrib.auth.models import Group

    coordinator.groups.add(Group.objects.get_or_create(name="partner")[0])
    own = PartnerMembership.objects.create(user=coordinator, partner=partner)
    client = logged_in(coordinator)

    change = client.post(
        f"/admin/catalogue/partnermembership/{own.pk}/change/", {"user": coordinator.pk, "partner": other_partner.pk}
    )
    delete = client.post(f"/admin/catalogue/partnermembership/{own.pk}/delete/", {"post": "yes"})

    own.refresh_from_db()
    assert own.partner == partner
    assert change.status_code == 403 and delete.status_code == 403


@pytest.fixture
def make_assigned_case(coordinator):
    from tests import builders as b

    def make(partner):
        topic = f.TopicFactory(slug="mobilitaet")
        municipality = f.MunicipalityFactory(ags="09461000", bundesland="BY")
        enquiry = b.enquiry_submitted(municipality=municipality, topics=[topic.slug], contact_email="a@b.example")
        staff = f.UserFactory(username="staff-x", role="partner", partner=partner)
        return b.enquiry_brought_to(enquiry, "assigned", coordinator=coordinator, staff=staff, partner=partner)

    return make

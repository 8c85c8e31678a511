"""The admin shows proposals read-only and decides them through the same service as the API."""

from __future__ import annotations

import pytest

from crm.models import Match
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_coordinator(db):
    user = f.UserFactory(username="admin-koordination", role="coordinator", is_staff=True)
    user.is_superuser = True
    user.save()
    return user


def test_the_admin_lists_proposals_and_shows_an_explanation(submit, client, admin_coordinator):
    enquiry = submit()
    match = Match.objects.filter(enquiry=enquiry, kind="model_project").first()
    client.force_login(admin_coordinator)
    assert client.get("/admin/crm/match/").status_code == 200
    page = client.get(f"/admin/crm/match/{match.pk}/change/")
    assert page.status_code == 200
    assert "Handlungsfeld" in page.content.decode()
    assert client.get("/admin/crm/introduction/").status_code == 200
    assert client.get("/admin/crm/projecttopicsuccess/").status_code == 200


def test_the_admin_action_accepts_through_the_service(submit, client, admin_coordinator):
    enquiry = submit()
    match = Match.objects.filter(enquiry=enquiry, kind="model_project").first()
    client.force_login(admin_coordinator)
    response = client.post("/admin/crm/match/", {"action": "accept", "_selected_action": [match.pk]}, follow=True)
    assert response.status_code == 200
    match.refresh_from_db()
    assert match.decision == "accepted" and match.decided_by == admin_coordinator


def test_a_coordinator_without_superuser_rights_sees_and_decides_proposals(submit, client):
    """GIVEN a coordinator as create_staff makes one (staff flag, group, no model permissions)
    WHEN they open the proposals in the admin and accept one
    THEN the pages open and the decision is stored (QA: the admin answered 403 to every real coordinator)."""
    coordinator = f.UserFactory(username="koordination-echt", role="coordinator", is_staff=True)
    enquiry = submit()
    match = Match.objects.filter(enquiry=enquiry, kind="model_project").first()
    client.force_login(coordinator)
    for url in ("/admin/crm/match/", f"/admin/crm/match/{match.pk}/change/", "/admin/crm/introduction/"):
        assert client.get(url).status_code == 200, url
    assert "entschieden von" in client.get("/admin/crm/match/").content.decode().lower()
    client.post("/admin/crm/match/", {"action": "accept", "_selected_action": [match.pk]}, follow=True)
    match.refresh_from_db()
    assert match.decision == "accepted" and match.decided_by == coordinator


def test_partner_staff_do_not_see_the_unscoped_proposals_in_the_admin(submit, client, partner):
    partner_staff = f.UserFactory(username="difu-admin", role="partner", partner=partner, is_staff=True)
    submit()
    client.force_login(partner_staff)
    assert client.get("/admin/crm/match/").status_code == 403
    assert client.get("/admin/crm/introduction/").status_code == 403

"""The admin shows proposals read-only and decides them through the same service as the API."""

from __future__ import annotations

import pytest

from matching.models import Match
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
    assert client.get("/admin/matching/match/").status_code == 200
    page = client.get(f"/admin/matching/match/{match.pk}/change/")
    assert page.status_code == 200
    assert "Handlungsfeld" in page.content.decode()
    assert client.get("/admin/matching/introduction/").status_code == 200
    assert client.get("/admin/matching/projecttopicsuccess/").status_code == 200


def _partner_proposal(enquiry, partner) -> Match:
    match, _ = Match.objects.get_or_create(
        enquiry=enquiry,
        kind="partner",
        partner=partner,
        defaults={"score": 0.5, "rank": 1, "computed_at": enquiry.created_at},
    )
    return match


def test_the_admin_action_accepts_through_the_service_and_reports_each_row(
    submit, client, admin_coordinator, partner, coordinator
):
    """GIVEN a triaged case with a partner proposal and a new case with a model-project proposal
    WHEN a coordinator accepts both in the admin
    THEN the partner proposal assigns its case and says so; the other row says why it was not taken and stays
    proposed."""
    from cases.services import enquiry_transition

    triaged = enquiry_transition(enquiry=submit(), name="triage", by=coordinator)
    assignable = _partner_proposal(triaged, partner)
    refused = Match.objects.filter(enquiry=submit(subject="Noch ein Rufbus"), kind="model_project").first()
    client.force_login(admin_coordinator)
    response = client.post(
        "/admin/matching/match/", {"action": "accept", "_selected_action": [assignable.pk, refused.pk]}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any(triaged.reference in m and "jetzt „Deutsches Institut für Urbanistik“ zugewiesen" in m for m in shown)
    assert any(refused.enquiry.reference in m and "erst möglich" in m for m in shown)
    assignable.refresh_from_db()
    refused.refresh_from_db()
    triaged.refresh_from_db()
    assert assignable.decision == "accepted" and assignable.decided_by == admin_coordinator
    assert triaged.state == "assigned" and triaged.assigned_partner == partner
    assert refused.decision == "proposed"


def test_a_coordinator_without_superuser_rights_sees_and_decides_proposals(submit, client):
    """GIVEN a coordinator as create_staff makes one (staff flag, group, no model permissions)
    WHEN they open the proposals in the admin and reject one
    THEN the pages open and a rejection is stored (QA: the admin answered 403 to every real coordinator)."""
    coordinator = f.UserFactory(username="koordination-echt", role="coordinator", is_staff=True)
    enquiry = submit()
    match = Match.objects.filter(enquiry=enquiry, kind="model_project").first()
    client.force_login(coordinator)
    for url in ("/admin/matching/match/", f"/admin/matching/match/{match.pk}/change/", "/admin/matching/introduction/"):
        assert client.get(url).status_code == 200, url
    assert "entschieden von" in client.get("/admin/matching/match/").content.decode().lower()
    client.post("/admin/matching/match/", {"action": "reject", "_selected_action": [match.pk]}, follow=True)
    match.refresh_from_db()
    assert match.decision == "rejected" and match.decided_by == coordinator


def test_partner_staff_do_not_see_the_unscoped_proposals_in_the_admin(submit, client, partner):
    partner_staff = f.UserFactory(username="difu-admin", role="partner", partner=partner, is_staff=True)
    submit()
    client.force_login(partner_staff)
    assert client.get("/admin/matching/match/").status_code == 403
    assert client.get("/admin/matching/introduction/").status_code == 403

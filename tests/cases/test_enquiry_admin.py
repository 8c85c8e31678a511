"""The admin's transition actions go through the same services; errors become admin messages."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.intake import enquiry_submit
from cases.models import Enquiry, TransitionLog
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for_coordinator(coordinator):
    coordinator.is_staff = True
    coordinator.is_superuser = True
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    return client


@pytest.fixture
def enquiry():
    f.TopicFactory(slug="mobilitaet")
    f.MunicipalityFactory(ags="09461000")
    return enquiry_submit(
        municipality_ags="09461000",
        contact_name="A",
        contact_email="a@b.example",
        subject="S",
        message="M",
        topic_slugs=["mobilitaet"],
        support_type="information",
        consent=True,
    )


def test_the_triage_action_moves_the_state_and_logs_the_user(admin_client_for_coordinator, enquiry):
    """GIVEN a new enquiry WHEN a coordinator runs the admin action "Sichten" THEN it is triaged and logged."""
    answer = admin_client_for_coordinator.post(
        "/admin/cases/enquiry/", {"action": "transition_triage", "_selected_action": [enquiry.pk]}, follow=True
    )
    assert answer.status_code == 200
    assert Enquiry.objects.get(pk=enquiry.pk).state == "triaged"
    assert TransitionLog.objects.filter(enquiry=enquiry, transition="triage", by="koordination").exists()


def test_a_refused_action_is_an_admin_message_not_an_error(admin_client_for_coordinator, enquiry):
    answer = admin_client_for_coordinator.post(
        "/admin/cases/enquiry/",
        {"action": "transition_close_completed", "_selected_action": [enquiry.pk]},
        follow=True,
    )
    assert answer.status_code == 200
    assert enquiry.reference in answer.content.decode()
    assert Enquiry.objects.get(pk=enquiry.pk).state == "new"


def test_the_change_page_shows_the_timeline_and_a_read_only_state(admin_client_for_coordinator, enquiry):
    page = admin_client_for_coordinator.get(f"/admin/cases/enquiry/{enquiry.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ihre Anfrage ist eingegangen." in html
    assert 'name="state"' not in html

"""The case admin is a read-only record with a link to the workspace; it has no transition actions."""

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


def test_the_admin_offers_no_transition_action_and_a_posted_one_changes_nothing(admin_client_for_coordinator, enquiry):
    """GIVEN a new enquiry WHEN somebody posts the former admin action "Sichten"
    THEN nothing moves: cases are worked in the workspace, through the services."""
    listing = admin_client_for_coordinator.get("/admin/cases/enquiry/")
    answer = admin_client_for_coordinator.post(
        "/admin/cases/enquiry/", {"action": "transition_triage", "_selected_action": [enquiry.pk]}, follow=True
    )
    assert listing.status_code == 200 and 'name="action"' not in listing.content.decode()
    assert answer.status_code == 200
    assert Enquiry.objects.get(pk=enquiry.pk).state == "new"
    assert not TransitionLog.objects.filter(enquiry=enquiry, transition="triage").exists()


def test_the_change_page_links_the_case_page_of_the_workspace(admin_client_for_coordinator, enquiry):
    html = admin_client_for_coordinator.get(f"/admin/cases/enquiry/{enquiry.pk}/change/").content.decode()
    assert f'href="/intern/faelle/{enquiry.pk}/"' in html
    assert 'name="subject"' not in html and 'name="topics"' not in html and 'name="priority"' not in html


def test_the_change_page_shows_the_timeline_and_a_read_only_state(admin_client_for_coordinator, enquiry):
    page = admin_client_for_coordinator.get(f"/admin/cases/enquiry/{enquiry.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ihre Anfrage ist eingegangen." in html
    assert 'name="state"' not in html

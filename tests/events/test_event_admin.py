"""The events in the Django admin: coordinators and managers read events (with their counts, presenters and
invitations) and the log; nobody changes an event there, and no token is shown."""

from __future__ import annotations

import pytest
from django.test import Client

from events.models import Event, EventLog, Invitation
from events.registrations import invitations_send, registration_answer
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db


def staff(username: str, role: str, partner=None):
    """An account as create_staff makes it: staff flag and group, no Django model permissions."""
    return f.UserFactory(username=username, role=role, partner=partner, is_staff=True)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def event(coordinator, parking, project, new_case):
    event = b.event_created(by=coordinator, topics=[parking], projects=[project], capacity=3)
    invitations_send(event=event, enquiries=[new_case], by=coordinator)
    registration_answer(token=Invitation.objects.get(event=event).token, register=True)
    return event


def test_a_coordinator_reads_the_event_list_with_its_counts_and_the_event_with_its_people(event):
    client = logged_in(staff("koordination-admin", "coordinator"))

    listing = client.get("/admin/events/event/")
    detail = client.get(f"/admin/events/event/{event.pk}/change/")

    assert listing.status_code == 200
    html = listing.content.decode()
    assert event.title in html and "Anmeldung offen" in html
    assert 'class="field-registered">1<' in html and 'class="field-invited">1<' in html
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Smarte Region Parken" in page and "mobil@koeln.example" in page
    invitation = Invitation.objects.get(event=event)
    assert invitation.token not in page and event.presenters.get().token not in page
    assert 'name="title"' not in page and 'name="state"' not in page


def test_nobody_changes_or_deletes_an_event_in_the_admin(event):
    client = logged_in(staff("koordination-admin", "coordinator"))

    posted = client.post(f"/admin/events/event/{event.pk}/change/", {"title": "Neu", "state": "held"})
    deleted = client.post(f"/admin/events/event/{event.pk}/delete/", {"post": "yes"})
    added = client.get("/admin/events/event/add/")

    assert posted.status_code == 403 and deleted.status_code == 403 and added.status_code == 403
    event.refresh_from_db()
    assert (event.title, event.state) == ("Transferworkshop Parkraumsensorik", Event.State.OPEN)


def test_the_log_is_read_only_for_managers_and_hidden_from_partner_staff(event, partner):
    manager = logged_in(staff("leitung-admin", "manager"))
    partner_staff = logged_in(staff("difu-admin", "partner", partner=partner))
    entry = EventLog.objects.filter(event=event).first()

    assert manager.get("/admin/events/eventlog/").status_code == 200
    assert manager.get(f"/admin/events/eventlog/{entry.pk}/change/").status_code == 200
    assert manager.post(f"/admin/events/eventlog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert partner_staff.get("/admin/events/event/").status_code == 403
    assert partner_staff.get("/admin/events/eventlog/").status_code == 403
    assert EventLog.objects.filter(pk=entry.pk).exists()

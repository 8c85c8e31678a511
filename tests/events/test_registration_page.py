"""The municipality's registration page and the model project's answer page (token links, no account): a clear
German page for every answer that is not possible, and nothing stored twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, Invitation, Presenter
from events.registrations import invitations_send
from events.services import event_cancel
from outbox.models import OutboxMessage
from tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(coordinator, parking, new_case):
    event = b.event_created(by=coordinator, topics=[parking], capacity=1)
    invitations_send(event=event, enquiries=[new_case], by=coordinator)
    return Invitation.objects.get(event=event)


def _url(invitation: Invitation) -> str:
    return f"/veranstaltungen/anmeldung/{invitation.token}/"


def test_the_page_shows_the_event_and_registers_once(client, invitation):
    page = client.get(_url(invitation))
    assert page.status_code == 200
    assert "Transferworkshop Parkraumsensorik" in page.text and "Anmelden" in page.text
    done = client.post(_url(invitation), {"answer": "yes"})
    assert done.status_code == 200 and "Sie sind angemeldet" in done.text
    again = client.post(_url(invitation), {"answer": "yes"})
    assert again.status_code in (200, 409)
    assert OutboxMessage.objects.filter(template="event_registered").count() == 1
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REGISTERED


def test_a_registered_municipality_downloads_the_calendar_file(client, invitation):
    assert client.get(_url(invitation) + "kalender.ics").status_code == 404
    client.post(_url(invitation), {"answer": "yes"})
    ics = client.get(_url(invitation) + "kalender.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content and b"Transferworkshop Parkraumsensorik" in ics.content


def test_a_used_registration_link_says_so_in_german_and_stores_nothing(client, invitation):
    client.post(_url(invitation), {"answer": "yes"})
    twice = client.post(_url(invitation), {"answer": "yes"})
    assert twice.status_code == 409 and "bereits angemeldet" in twice.text
    assert Invitation.objects.filter(event=invitation.event).count() == 1


def test_a_cancelled_event_and_a_closed_deadline_refuse_with_a_clear_page(client, invitation, coordinator):
    Event.objects.filter(pk=invitation.event_id).update(registration_deadline=timezone.now() - timedelta(minutes=1))
    late = client.post(_url(invitation), {"answer": "yes"})
    assert late.status_code == 400 and "Anmeldeschluss" in late.text and "nichts gespeichert" in late.text
    event_cancel(event=invitation.event, by=coordinator, reason="Raum nicht verfügbar")
    cancelled = client.get(_url(invitation))
    assert "abgesagt" in cancelled.text
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.INVITED


def test_an_unknown_token_gets_a_german_not_found_page(client):
    page = client.get("/veranstaltungen/anmeldung/" + "a" * 32 + "/")
    assert page.status_code == 404 and "Dieser Link ist ungültig" in page.text


def test_a_bad_answer_is_a_400_and_changes_nothing(client, invitation):
    page = client.post(_url(invitation), {"answer": "vielleicht", "note": "x"})
    assert page.status_code == 400
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.INVITED


def test_the_project_answers_once_whether_it_presents(client, coordinator, parking, project):
    event = b.event_created(by=coordinator, topics=[parking], projects=[project])
    presenter = Presenter.objects.get(event=event)
    url = f"/veranstaltungen/mitwirkung/{presenter.token}/"
    assert "Smarte Region Parken" in client.get(url).text
    done = client.post(url, {"answer": "yes", "note": "Gern, mit Live-Demo"})
    assert done.status_code == 200 and "Danke für Ihre Zusage" in done.text
    again = client.post(url, {"answer": "no"})
    assert again.status_code == 409
    presenter.refresh_from_db()
    assert presenter.state == Presenter.State.ACCEPTED and presenter.answer_note == "Gern, mit Live-Demo"


def test_the_access_link_shows_once_registered_as_in_the_api(client, coordinator, parking, new_case):
    event = b.event_created(by=coordinator, topics=[parking], online_url="https://konferenz.example/parken")
    invitations_send(event=event, enquiries=[new_case], by=coordinator)
    invitation = Invitation.objects.get(event=event)
    assert "konferenz.example" not in client.get(_url(invitation)).text
    client.post(_url(invitation), {"answer": "yes"})
    assert 'href="https://konferenz.example/parken"' in client.get(_url(invitation)).text

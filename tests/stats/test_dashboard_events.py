"""/statistik/: the "Veranstaltungen" panel, with the events' figures and the next events the user may see."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Invitation
from events.registrations import invitations_send, registration_answer
from tests import builders as b
from tests.stats.conftest import NOW, at

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-01-01&to=2026-04-30"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def workshops(history, coordinator):
    """A workshop held on 04-05 (E1 and E6 came) and two ahead: one with E6 (DIFU) invited and registered, one
    with nobody of DIFU."""
    energy = history.e6.topics.get(slug="energie")
    b.event_held(
        by=coordinator,
        topics=[energy],
        starts_at=at(4, 5, 10),
        enquiries=[history.e1, history.e6],
        attended=[history.e1, history.e6],
    )
    ahead = b.event_created(by=coordinator, topics=[energy], title="Wärmeplanung kompakt", capacity=8)
    invitations_send(event=ahead, enquiries=[history.e6], by=coordinator)
    registration_answer(token=Invitation.objects.get(event=ahead).token, register=True)
    later = b.event_created(
        by=coordinator, topics=[energy], title="Energiemonitoring im Quartier", starts_in=dt.timedelta(days=30)
    )
    return ahead, later


def test_the_panel_shows_the_events_figures_and_the_next_events_with_their_seats(workshops, manager):
    """GIVEN a workshop held with two municipalities and two ahead WHEN the manager opens the dashboard THEN
    the panel shows one event held, two municipalities reached, and the next events soonest first, each
    linked to its page in the workspace with the seats taken."""
    ahead, later = workshops

    html = logged_in(manager).get(f"/statistik/?{PERIOD}").content.decode()

    assert 'data-kpi="events-held"><span class="kpi-value">1<' in html
    assert 'data-kpi="events-municipalities"><span class="kpi-value">2<' in html
    assert 'data-kpi="events-answered"><span class="kpi-value">2<' in html
    assert html.index(f'href="/intern/veranstaltungen/{ahead.pk}/"') < html.index(
        f'href="/intern/veranstaltungen/{later.pk}/"'
    )
    assert "1 von 8" in html


def test_partner_staff_see_only_the_events_their_cases_were_invited_to(workshops, partner_user, other_partner_user):
    ahead, later = workshops

    html = logged_in(partner_user).get(f"/statistik/?{PERIOD}").content.decode()
    other = logged_in(other_partner_user).get(f"/statistik/?{PERIOD}").content.decode()

    assert f"/intern/veranstaltungen/{ahead.pk}/" in html and f"/intern/veranstaltungen/{later.pk}/" not in html
    assert "Keine anstehenden Veranstaltungen." in other


def test_the_panel_costs_the_same_queries_whatever_the_number_of_events(history, coordinator, manager):
    client = logged_in(manager)
    energy = history.e6.topics.get(slug="energie")
    b.event_created(by=coordinator, topics=[energy], title="Eins")
    client.get(f"/statistik/?{PERIOD}")  # the figures are cached for a minute: both reads below use the cache
    with CaptureQueriesContext(connection) as one:
        client.get(f"/statistik/?{PERIOD}")
    for n in range(4):
        b.event_created(by=coordinator, topics=[energy], title=f"Weitere {n}")
    with CaptureQueriesContext(connection) as five:
        html = client.get(f"/statistik/?{PERIOD}").content.decode()

    assert html.count('href="/intern/veranstaltungen/') == 5
    assert len(five) == len(one)

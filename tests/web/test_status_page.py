"""The municipality's status page and its API twin (issue 13, item 18): the outcome, the handling partner and
the introductions; a message at any open state; the German 404 of a bad link (also under DEBUG) and the
project's German 404 and 500 pages."""

from __future__ import annotations

import itertools

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.views.defaults import server_error

from cases.models import Activity, Enquiry, Notification, TransitionLog
from matching.models import Introduction
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db

_emails = itertools.count()


@pytest.fixture
def make_case(coordinator, partner, partner_user):
    municipality = f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg")
    topic = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])

    def make(state: str = "new", **payloads):
        enquiry = b.enquiry_submitted(
            municipality=municipality,
            topics=[topic.slug],
            contact_name="Max",
            contact_email=f"max-{next(_emails)}@gemeinde.example",
            subject="Radverkehr in der Altstadt",
            message="Wie habt ihr das Radnetz geplant?",
        )
        return b.enquiry_brought_to(
            enquiry, state, coordinator=coordinator, staff=partner_user, partner=partner, payloads=payloads
        )

    return make


def _status(enquiry: Enquiry) -> str:
    return f"/status/{enquiry.public_token}/"


def _api(enquiry: Enquiry) -> str:
    return f"/api/v1/public/enquiries/{enquiry.public_token}/"


# --- outcome, partner, introductions -------------------------------------------------------------------------


def test_a_new_case_names_no_partner_no_outcome_and_no_introduction(make_case):
    enquiry = make_case("new")
    html = Client().get(_status(enquiry)).content.decode()
    assert 'id="status-partner"' not in html and 'id="status-outcome"' not in html
    assert "Kontakte zu Modellprojekten" not in html
    data = Client().get(_api(enquiry)).json()
    assert data["partner"] is None and data["outcome"] is None and data["introductions"] == []


def test_an_assigned_case_names_its_partner(make_case, partner):
    enquiry = make_case("assigned")
    html = Client().get(_status(enquiry)).content.decode()
    assert "Bearbeitet von" in html and partner.name in html
    assert Client().get(_api(enquiry)).json()["partner"] == {"name": partner.name}


def test_a_resolved_case_shows_its_outcome_in_words(make_case):
    enquiry = make_case("resolved", resolve={"category": "exchange_held", "notes": "Termin in Bamberg"})
    html = Client().get(_status(enquiry)).content.decode()
    assert "Ergebnis" in html and "Austausch fand statt" in html
    assert "Termin in Bamberg" not in html  # the outcome's notes are internal
    assert Client().get(_api(enquiry)).json()["outcome"] == {
        "category": "exchange_held",
        "label": "Austausch fand statt",
    }


def test_a_reopened_case_shows_no_outcome_until_resolved_again(make_case, coordinator):
    """GIVEN a resolved case WHEN a coordinator reopens it THEN its old outcome is no longer shown."""
    enquiry = make_case("resolved")
    enquiry = b.enquiry_moved(enquiry, "reopen", by=coordinator)
    assert Client().get(_api(enquiry)).json()["outcome"] is None
    assert 'id="status-outcome"' not in Client().get(_status(enquiry)).content.decode()


def test_the_introductions_are_named_with_their_state_in_words(make_case):
    enquiry = make_case("in_progress")
    for name, state in [("Amt Dorfland", "requested"), ("Stadt Ulm", "accepted"), ("Kreis Wunsiedel", "completed")]:
        project = f.ModelProjectFactory(name=name)
        Introduction.objects.create(enquiry=enquiry, model_project=project, state=state, created_at=enquiry.created_at)
    html = Client().get(_status(enquiry)).content.decode()
    assert "Kontakte zu Modellprojekten" in html
    assert "Amt Dorfland</strong>: angefragt, die Antwort steht noch aus" in html
    assert "Stadt Ulm</strong>: hat zugesagt, Sie erhalten die Kontaktdaten per E-Mail" in html
    assert "Kreis Wunsiedel</strong>: Kontakt hergestellt" in html
    assert Client().get(_api(enquiry)).json()["introductions"] == [
        {"model_project": "Amt Dorfland", "state": "requested", "state_label": "angefragt, die Antwort steht noch aus"},
        {
            "model_project": "Stadt Ulm",
            "state": "accepted",
            "state_label": "hat zugesagt, Sie erhalten die Kontaktdaten per E-Mail",
        },
        {"model_project": "Kreis Wunsiedel", "state": "completed", "state_label": "Kontakt hergestellt"},
    ]


# --- a message at any open state -----------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["new", "triaged", "assigned", "in_progress"])
def test_the_municipality_writes_a_message_at_an_open_state_and_nothing_moves(make_case, state):
    """GIVEN an open case that asked nothing WHEN the municipality sends a message from its status page
    THEN it is a public timeline entry from the municipality, the handler is notified, and the state stays."""
    enquiry = make_case(state)
    logs = TransitionLog.objects.filter(enquiry=enquiry).count()
    page = Client().get(_status(enquiry)).content.decode()
    assert "Nachricht an die Transferstelle" in page and "Nachricht senden" in page
    with b.after_commit():
        answer = Client().post(_status(enquiry) + "antwort/", {"message": "Wir haben inzwischen 13.000 Einwohner."})
    assert answer.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.state == state
    assert TransitionLog.objects.filter(enquiry=enquiry).count() == logs  # no transition, no receive_reply
    entry = Activity.objects.filter(enquiry=enquiry).latest("id")
    assert (entry.kind, entry.actor, entry.public) == ("message_in", "municipality", True)
    assert Notification.objects.filter(enquiry=enquiry, kind="message_received").exists()
    mail = OutboxMessage.objects.filter(enquiry=enquiry, template="municipality_message").get()
    assert "13.000 Einwohner" in mail.text
    page = Client().get(_status(enquiry)).content.decode()
    assert "Ihre Nachricht:" in page and "13.000 Einwohner" in page


def test_the_success_message_says_message_not_answer(make_case):
    enquiry = make_case("in_progress")
    answer = Client().post(_status(enquiry) + "antwort/", {"message": "Noch eine Frage dazu."}, follow=True)
    assert "Vielen Dank, Ihre Nachricht ist eingegangen." in answer.content.decode()


def test_in_awaiting_reply_the_message_is_the_answer(make_case):
    enquiry = make_case("awaiting_reply")
    page = Client().get(_status(enquiry)).content.decode()
    assert "Ihre Antwort" in page and "Antwort senden" in page
    Client().post(_status(enquiry) + "antwort/", {"message": "Wir haben 12.000 Einwohner."})
    enquiry.refresh_from_db()
    assert enquiry.state == "in_progress"
    assert TransitionLog.objects.filter(enquiry=enquiry).latest("id").transition == "receive_reply"
    assert not Activity.objects.filter(enquiry=enquiry, kind="message_in").exists()


@pytest.mark.parametrize("state", ["resolved", "closed"])
def test_an_ended_case_takes_no_message(make_case, state):
    enquiry = make_case(state)
    assert "Nachricht senden" not in Client().get(_status(enquiry)).content.decode()
    before = Activity.objects.count()
    answer = Client().post(_api(enquiry) + "reply/", {"message": "Hallo zusammen"}, content_type="application/json")
    assert answer.status_code == 400 and "state" in answer.json()
    assert Activity.objects.count() == before
    assert Client().get(_api(enquiry)).json()["can_reply"] is False


def test_the_api_takes_a_message_at_an_open_state(make_case):
    enquiry = make_case("triaged")
    answer = Client().post(
        _api(enquiry) + "reply/", {"message": "Ergänzung: auch E-Scooter."}, content_type="application/json"
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["state"] == "triaged" and data["can_reply"] is True
    assert data["timeline"][-1] == {
        "at": data["timeline"][-1]["at"],
        "kind": "message_in",
        "transition": "",
        "text": "Ergänzung: auch E-Scooter.",
        "from_municipality": True,
    }


@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": "  \u200b "}, {"message": 5}, {"message": "a\x00b"}])
def test_a_bad_message_is_400_naming_message(make_case, body):
    enquiry = make_case("in_progress")
    before = Activity.objects.count()
    answer = Client().post(_api(enquiry) + "reply/", body, content_type="application/json")
    assert answer.status_code == 400 and "message" in answer.json()
    assert Activity.objects.count() == before


def test_a_message_with_a_stale_expected_state_is_409(make_case):
    enquiry = make_case("in_progress")
    answer = Client().post(
        _api(enquiry) + "reply/",
        {"message": "Hallo zusammen", "expected_state": "triaged"},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert not Activity.objects.filter(enquiry=enquiry, kind="message_in").exists()


def test_the_workspace_timeline_shows_the_message_as_the_municipality_s(make_case, coordinator):
    enquiry = make_case("in_progress")
    Client().post(_status(enquiry) + "antwort/", {"message": "Eine Ergänzung von uns."})
    client = Client()
    client.force_login(coordinator)
    html = client.get(f"/intern/faelle/{enquiry.pk}/").content.decode()
    assert "Nachricht der Kommune" in html and "Eine Ergänzung von uns." in html


# --- 404 and 500 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/status/{t}/", "/status/{t}/antwort/", "/status/{t}/zurueckziehen/"])
def test_a_bad_link_is_a_german_404_page_also_under_debug(path, debug):
    url = path.format(t="x" * 32)
    with override_settings(DEBUG=debug):
        client = Client()
        answer = client.get(url) if path == "/status/{t}/" else client.post(url)
    assert answer.status_code == 404
    html = answer.content.decode()
    assert "Dieser Link ist ungültig oder abgelaufen" in html
    assert '<html lang="de">' in html
    assert "Using the URLconf" not in html  # not Django's technical page


def test_an_unknown_page_is_the_german_404_page():
    answer = Client().get("/gibt-es-nicht/")
    assert answer.status_code == 404
    html = answer.content.decode()
    assert "Seite nicht gefunden" in html and "Zur Startseite" in html


def test_the_500_page_is_german_and_needs_no_request_context():
    html = render_to_string("500.html")
    assert "Ein Fehler ist aufgetreten" in html and '<html lang="de">' in html
    answer = server_error(RequestFactory().get("/"))
    assert answer.status_code == 500 and "Ein Fehler ist aufgetreten" in answer.content.decode()

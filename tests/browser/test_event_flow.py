"""From many questions to one transfer workshop, in a real browser (issue 15, "Done when"): the demand radar shows
a group of enquiries; the coordinator plans an event from it, opens the registration and invites the group; the municipality registers through its e-mail link and gets the
calendar file; the event is held; the coordinator records who came; the partner resolves the case with
``exchange_held``; the statistics count it. Every page passes axe-core's WCAG 2.1 AA checks and is kept as a
screenshot in test-artifacts/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from cases.models import Outcome, OutcomeCategory, State
from events.models import Event, Invitation
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def people():
    mobility = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility", keywords=["parken"])
    f.TopicFactory(slug="energie", name_de="Energie", name_en="Energy")
    partner = f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik", expertise=[mobility])
    return {
        "topic": mobility,
        "partner": partner,
        "coordinator": f.UserFactory(
            username="koordination", first_name="Karla", last_name="Koord", role="coordinator"
        ),
        "staff": f.UserFactory(
            username="difu-mitarbeiterin", first_name="Paula", last_name="Partner", role="partner", partner=partner
        ),
        "project": f.ModelProjectFactory(name="Smarte Region Parken", contact_email="parken@modellprojekt.example"),
    }


def _enquiries(people) -> list:
    """Three municipalities ask about parking sensors (what the radar groups); Kempten's case is in progress at
    the partner."""
    asked = []
    for ags, name, land, land_name, address in (
        ("09780139", "Kempten (Allgäu), Stadt", "BY", "Bayern", "verkehr@kempten.example"),
        ("05315000", "Köln, Stadt", "NW", "Nordrhein-Westfalen", "mobil@koeln.example"),
        ("08212000", "Karlsruhe, Stadt", "BW", "Baden-Württemberg", "parken@karlsruhe.example"),
    ):
        municipality = f.MunicipalityFactory(ags=ags, name=name, bundesland=land, bundesland_name=land_name)
        asked.append(
            b.enquiry_submitted(
                municipality=municipality,
                topics=["mobilitaet"],
                contact_email=address,
                subject="Parkraumsensoren für die Innenstadt",
                message="Wie erfasst ihr freie Parkplätze mit Parkraumsensoren und zeigt sie an?",
            )
        )
    asked[0] = b.enquiry_brought_to(
        asked[0], "in_progress", coordinator=people["coordinator"], staff=people["staff"], partner=people["partner"]
    )
    return asked


def _log_in(browser, live_server, user, path):
    context = browser.new_context(locale="de-DE", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/anmelden/?next={path}")
    page.fill("input[name='username']", user.username)
    page.fill("input[name='password']", PASSWORD)
    page.click("button[type='submit']")
    page.wait_for_url(f"**{path}")
    return page


def _click(page, name: str):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def _state(page) -> str:
    return page.locator("#event-state").inner_text()


def test_from_the_radar_to_a_case_resolved_by_the_event(browser, live_server, artifacts_dir, assert_accessible, people):
    """GIVEN three enquiries on parking sensors, Kempten's in progress at the partner
    WHEN the coordinator finds their group on the demand radar and plans a workshop from it in the browser,
    opens the registration and invites the group, Kempten registers through its e-mail link, the event takes
    place, the coordinator records that Kempten came and the partner resolves the case from the event page
    THEN Kempten got the calendar file, its case is resolved with exchange_held and the statistics count it."""
    kempten, _koeln, _karlsruhe = _enquiries(people)

    # the radar shows the group; its link opens the planning form filled from the group
    page = _log_in(browser, live_server, people["coordinator"], "/intern/radar/")
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "event-radar.png"), full_page=True)
    page.locator("a[href*='/intern/veranstaltungen/neu/?gruppe=']").first.click()
    page.wait_for_url("**/intern/veranstaltungen/neu/?gruppe=**")
    assert page.get_by_role("group", name="Handlungsfelder").get_by_label("Mobilität").is_checked()
    assert page.locator("#attached-enquiries li").count() == 3
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0)
    assert page.get_by_label(re.compile(r"^Titel\b")).input_value()
    page.get_by_label(re.compile(r"^Titel\b")).fill("Transferworkshop Parkraumsensorik")
    page.get_by_label(re.compile(r"^Art\b")).select_option(label="Transferworkshop")
    page.get_by_label("Beschreibung").fill("Smarte Region Parken berichtet von ihren Sensoren.")
    page.get_by_label(re.compile(r"^Format\b")).select_option(label="online")
    page.get_by_label("Zugangslink").fill("https://konferenz.example/parken")
    page.get_by_label(re.compile(r"^Beginn\b")).fill(start.strftime(LOCAL))
    page.get_by_label(re.compile(r"^Ende\b")).fill((start - timedelta(hours=1)).strftime(LOCAL))
    page.get_by_label(re.compile(r"^Plätze\b")).fill("10")
    page.get_by_role("group", name="Mitwirkende Modellprojekte").get_by_label("Smarte Region Parken").check()
    assert_accessible(page)
    _click(page, "Veranstaltung anlegen")
    assert "Das Ende muss nach dem Beginn liegen." in page.locator("#id_ends_at-error").inner_text()
    assert not Event.objects.exists()
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "event-form-error.png"), full_page=True)
    page.get_by_label(re.compile(r"^Ende\b")).fill((start + timedelta(hours=2)).strftime(LOCAL))
    _click(page, "Veranstaltung anlegen")
    event = Event.objects.get()
    page.wait_for_url(f"**/intern/veranstaltungen/{event.pk}/")
    assert _state(page) == "geplant"
    assert "Smarte Region Parken" in page.locator("#presenters").inner_text()

    # opening the registration, then the invitation
    _click(page, "Anmeldung öffnen")
    assert _state(page) == "Anmeldung offen"
    invite = page.get_by_role("group", name="Anfragen zum Thema")
    # the group's own enquiries are chosen already
    assert invite.get_by_label(re.compile(kempten.reference)).is_checked()
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "event-invite.png"), full_page=True)
    _click(page, "Einladungen senden")
    assert "3 Einladungen versendet." in page.locator(".messages").inner_text()
    assert "verkehr@kempten.example" in page.locator("#invitations").inner_text()
    page.get_by_role("navigation", name="Arbeitsbereich").get_by_role("link", name="Veranstaltungen").click()
    page.wait_for_url("**/intern/veranstaltungen/")
    row = page.locator(f"#events tr[data-id='{event.pk}']").inner_text()
    assert "Anmeldung offen" in row and "0 / 10" in row
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "event-list.png"), full_page=True)
    page.context.close()

    # the municipality registers through the link of its e-mail and downloads the calendar file
    (mail,) = [
        m
        for m in OutboxMessage.objects.filter(template="event_invitation")
        if m.recipients == ["verkehr@kempten.example"]
    ]
    path = re.search(r"/veranstaltungen/anmeldung/[\w-]+/", mail.text).group(0)
    context = browser.new_context(locale="de-DE", accept_downloads=True)
    municipality = context.new_page()
    municipality.goto(f"{live_server.url}{path}")
    assert municipality.locator("h1").inner_text() == "Transferworkshop Parkraumsensorik"
    assert_accessible(municipality)
    _click(municipality, "Anmelden")
    assert "Sie sind angemeldet" in municipality.locator(".notice").inner_text()
    with municipality.expect_download() as download:
        municipality.get_by_role("link", name="Termin für den Kalender herunterladen (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    with open(download.value.path(), "rb") as downloaded:
        (vevent,) = Calendar.from_ical(downloaded.read()).walk("VEVENT")
    assert str(vevent["summary"]) == "Transferworkshop Parkraumsensorik"
    assert_accessible(municipality)
    municipality.screenshot(path=str(artifacts_dir / "event-registered.png"), full_page=True)
    context.close()
    (confirmation,) = OutboxMessage.objects.filter(template="event_registered")
    assert [a["filename"] for a in confirmation.attachments] == ["veranstaltung.ics"]

    # the event has taken place (its times moved into the past: test setup), the coordinator says so
    past = timezone.now() - timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=2), registration_deadline=past - timedelta(hours=1)
    )
    page = _log_in(browser, live_server, people["coordinator"], f"/intern/veranstaltungen/{event.pk}/")
    assert page.locator("#event-seats").inner_text() == "1 / 10"
    _click(page, "Als durchgeführt markieren")
    assert _state(page) == "durchgeführt"
    page.get_by_label("teilgenommen: Kempten (Allgäu)").check()
    _click(page, "Teilnahme speichern")
    assert "1 Kommune hat teilgenommen" in page.locator(".messages").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "event-held.png"), full_page=True)
    page.context.close()

    # the partner resolves Kempten's case from the event page
    page = _log_in(browser, live_server, people["staff"], f"/intern/veranstaltungen/{event.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Als „Austausch fand statt“ lösen für Kempten (Allgäu)").click()
    page.wait_for_load_state()
    assert "1 Fall mit „Austausch fand statt“ gelöst." in page.locator(".messages").inner_text()
    assert "gelöst: Austausch fand statt" in page.locator("#outcomes").inner_text()
    assert "Fall gelöst" in page.locator("#event-log").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "event-resolved.png"), full_page=True)
    page.context.close()

    kempten.refresh_from_db()
    assert kempten.state == State.RESOLVED
    assert Outcome.objects.get(enquiry=kempten).category == OutcomeCategory.EXCHANGE_HELD
    assert Invitation.objects.get(event=event, enquiry=kempten).resolved_at is not None

    from stats.filters import stats_filters_parse
    from stats.selectors import stats_summary

    summary = stats_summary(filters=stats_filters_parse(params={}))
    assert summary["outcomes"]["by_category"][OutcomeCategory.EXCHANGE_HELD] == 1
    assert summary["events"]["held"] == 1
    assert summary["events"]["municipalities_reached"] == 1
    assert summary["events"]["enquiries_answered"] == 1

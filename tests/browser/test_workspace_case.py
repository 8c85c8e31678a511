"""The case page in a real browser, role by role (issue 11, SPEC section 9): the coordinator triages and
assigns, the partner accepts, writes a note, asks the municipality, records the reply, keeps a follow-up and
resolves with an outcome; another partner gets 404; a manager reopens; a lost race is said plainly. Every page
state passes axe-core's WCAG 2.1 AA checks and is kept as a screenshot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.intake import enquiry_submit
from cases.models import Activity, Enquiry, FollowUp, Outcome
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123"


@pytest.fixture
def people():
    mobility = f.TopicFactory(slug="mobility", name_de="Mobilität", keywords=["bus"])
    f.TopicFactory(slug="energy", name_de="Energie", keywords=["strom"])
    f.MunicipalityFactory(ags="14522180", short_name="Freiberg", kind="stadt", bundesland="SN", population=40_000)
    partner = f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik", expertise=[mobility])
    other = f.PartnerFactory(short_name="CCC", name="Creative Climate Cities")
    return {
        "coordinator": f.UserFactory(
            username="koordination", first_name="Karla", last_name="Koord", role="coordinator"
        ),
        "partner": partner,
        "staff": f.UserFactory(
            username="difu-mitarbeiterin", first_name="Paula", last_name="Partner", role="partner", partner=partner
        ),
        "other_staff": f.UserFactory(username="ccc-mitarbeiter", role="partner", partner=other),
        "manager": f.UserFactory(username="leitung", role="manager"),
    }


def _submit() -> Enquiry:
    return enquiry_submit(
        municipality_ags="14522180",
        contact_name="Paula Beispiel",
        contact_email="paula@freiberg.example",
        subject="Rufbus für die Ortsteile",
        message="Wie habt ihr den Bus auf Bestellung organisiert?",
        topic_slugs=["mobility"],
        support_type="contact",
        consent=True,
    )


def _log_in(browser, live_server, user, path):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server.url}/anmelden/?next={path}")
    page.fill("input[name='username']", user.username)
    page.fill("input[name='password']", PASSWORD)
    page.click("button[type='submit']")
    page.wait_for_url(f"**{path}")
    return page


def _step(page, label: str):
    """Click the step's button and wait for its form (swapped in by htmx, or the page without JavaScript)."""
    page.get_by_role("button", name=label, exact=True).click()
    page.get_by_role("button", name="Bestätigen", exact=True).wait_for()


def _confirm(page):
    page.get_by_role("button", name="Bestätigen", exact=True).click()
    page.wait_for_load_state()


def _state(page) -> str:
    return page.locator("#case-state").inner_text()


def test_a_case_from_triage_to_reopening(browser, live_server, artifacts_dir, assert_accessible, people):
    enquiry = _submit()
    path = f"/intern/faelle/{enquiry.pk}/"

    # the coordinator triages (adds a Handlungsfeld) and assigns partner and handler
    page = _log_in(browser, live_server, people["coordinator"], path)
    assert page.locator("h1").inner_text() == f"{enquiry.reference} Rufbus für die Ortsteile"
    assert _state(page) == "neu"
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "case-new.png"), full_page=True)
    _step(page, "Sichten")
    # htmx swapped the form into the page (without JavaScript the button would load the step's own URL)
    assert page.url == f"{live_server.url}{path}"
    # htmx focuses the form's first field once it has settled the swap
    expect(page.locator("input[name='topics']:focus")).to_have_count(1, timeout=5000)
    topics = page.get_by_role("group", name="Handlungsfelder")
    topics.get_by_label("Energie").check()
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "case-triage-form.png"), full_page=True)
    _confirm(page)
    assert _state(page) == "gesichtet"
    assert "„Sichten“ ausgeführt" in page.locator(".messages").inner_text()
    assert "Sichten: Neu → Gesichtet" in page.locator(".timeline").inner_text()
    _step(page, "Partner zuweisen")
    page.get_by_label("Partner", exact=True).select_option(label="Deutsches Institut für Urbanistik")
    page.get_by_label("Bearbeiter/in", exact=True).select_option(label="Paula Partner")
    assert_accessible(page)
    _confirm(page)
    assert _state(page) == "zugewiesen"
    assert page.locator("#case-user").inner_text() == "Paula Partner"
    assert_accessible(page)
    page.context.close()

    # the partner accepts, writes a note, asks, records the reply, keeps a follow-up and resolves
    page = _log_in(browser, live_server, people["staff"], path)
    _step(page, "Übernehmen")
    _confirm(page)
    assert _state(page) == "in Bearbeitung"
    page.get_by_label("Notiz", exact=True).fill("Rückruf mit Frau Beispiel vereinbart.")
    page.get_by_role("button", name="Notiz speichern").click()
    page.wait_for_load_state()
    note = page.locator(".timeline .internal").filter(has_text="Rückruf mit Frau Beispiel vereinbart.")
    assert "intern" in note.inner_text()
    _step(page, "Rückfrage stellen")
    page.get_by_label("Nachricht", exact=True).fill("Wie viele Ortsteile sollen angebunden werden?")
    _confirm(page)
    assert _state(page) == "wartet auf Rückmeldung"
    assert "angehalten" in page.locator(".deadlines").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "case-awaiting-reply.png"), full_page=True)
    _step(page, "Antwort erfassen")
    page.get_by_label("Nachricht", exact=True).fill("Sieben Ortsteile, telefonisch mitgeteilt.")
    page.get_by_label("Kommentar", exact=True).fill("Anruf am Vormittag")
    _confirm(page)
    assert _state(page) == "in Bearbeitung"
    assert "Sieben Ortsteile" in page.locator(".timeline").inner_text()

    due = timezone.localdate() + timedelta(days=2)
    page.get_by_label("Fällig am").fill(due.isoformat())
    page.get_by_label("Notiz zur Wiedervorlage").fill("Fahrplan nachfragen")
    assert page.get_by_label("Zuständig").input_value() == str(people["staff"].pk)
    page.get_by_role("button", name="Wiedervorlage anlegen").click()
    page.wait_for_load_state()
    done = page.get_by_role("button", name=f"Erledigt: Wiedervorlage am {due:%d.%m.%Y} Fahrplan nachfragen")
    assert_accessible(page)
    done.click()
    page.wait_for_load_state()
    assert "erledigt am" in page.locator(".followups").inner_text()
    assert FollowUp.objects.get(enquiry=enquiry).done_at is not None

    _step(page, "Erledigen")
    page.get_by_label("Ergebnis", exact=True).select_option(label="Austausch fand statt")
    page.get_by_label("Notizen", exact=True).fill("Austausch mit Zwönitz vereinbart.")
    _confirm(page)
    assert _state(page) == "erledigt"
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "case-resolved.png"), full_page=True)
    page.context.close()
    assert Outcome.objects.get(enquiry=enquiry).category == "exchange_held"
    assert Activity.objects.get(enquiry=enquiry, kind="note", text__startswith="Rückruf").public is False

    # another partner does not see the case at all
    other = browser.new_context(locale="de-DE")
    other_page = other.new_page()
    other_page.goto(f"{live_server.url}/anmelden/?next=/intern/")
    other_page.fill("input[name='username']", people["other_staff"].username)
    other_page.fill("input[name='password']", PASSWORD)
    other_page.click("button[type='submit']")
    other_page.wait_for_load_state()
    assert other_page.goto(f"{live_server.url}{path}").status == 404
    other.close()

    # the manager reads and reopens
    page = _log_in(browser, live_server, people["manager"], path)
    assert page.get_by_role("button", name="Notiz speichern").count() == 0
    _step(page, "Wieder öffnen")
    _confirm(page)
    assert _state(page) == "gesichtet"
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "case-reopened.png"), full_page=True)
    page.context.close()


def test_a_lost_race_in_two_pages_is_said_plainly(browser, live_server, artifacts_dir, assert_accessible, people):
    """GIVEN a new case open in two pages of the coordinator WHEN one page triages it and the other then closes
    it as spam from the form it had open THEN the second page says the case was changed meanwhile, shows the
    fresh state and its steps, and the case was not closed."""
    enquiry = _submit()
    path = f"/intern/faelle/{enquiry.pk}/"
    first = _log_in(browser, live_server, people["coordinator"], path)
    second = first.context.new_page()
    second.goto(f"{live_server.url}{path}")
    _step(second, "Abschließen")
    second.get_by_label("Grund", exact=True).select_option(label="Spam")

    _step(first, "Sichten")
    _confirm(first)
    assert _state(first) == "gesichtet"

    _confirm(second)
    assert "Der Fall wurde inzwischen geändert" in second.get_by_role("alert").inner_text()
    assert _state(second) == "gesichtet"
    assert second.get_by_role("button", name="Partner zuweisen", exact=True).count() == 1
    assert_accessible(second)
    second.screenshot(path=str(artifacts_dir / "case-lost-race.png"), full_page=True)
    first.context.close()
    enquiry.refresh_from_db()
    assert enquiry.state == "triaged" and enquiry.close_reason == ""

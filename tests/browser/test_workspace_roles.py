"""Issue 11's acceptance walk in a real browser: one case from arrival to reopening, each role in its own
browser session, only through the pages of the workspace (no admin, no API), every page checked with axe-core
and photographed into test-artifacts/.

The names used here are SPEC section 9's contract: the landing /intern/ after login at /anmelden/, the case
list /intern/faelle/ with ?q=, the case page /intern/faelle/<id>/, one button per available transition named by
its label, forms submitted with `Bestätigen`, the labels `Handlungsfelder`, `Partner`, `Bearbeiter/in`,
`Nachricht`, `Ergebnis`, `Notizen`, and the note field `Notiz` with `Notiz speichern`.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.intake import enquiry_submit
from cases.models import Activity, Enquiry, FollowUp, TransitionLog
from outbox.models import OutboxMessage
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123"


@pytest.fixture
def people():
    waste = f.TopicFactory(slug="umwelt", name_de="Umwelt und Klima", keywords=["abfall"])
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["bus"])
    f.MunicipalityFactory(ags="09471145", short_name="Hallstadt", kind="stadt", bundesland="BY", population=8_888)
    difu = f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik", expertise=[waste])
    ccc = f.PartnerFactory(short_name="CCC", name="Creative Climate Cities", expertise=[waste])
    return {
        "coordinator": f.UserFactory(
            username="koordination", first_name="Kora", last_name="Koordinatorin", role="coordinator"
        ),
        "handler": f.UserFactory(
            username="difu-bauer", first_name="Hanna", last_name="Bauer", role="partner", partner=difu
        ),
        "foreign": f.UserFactory(username="ccc-staff", role="partner", partner=ccc),
        "manager": f.UserFactory(username="leitung", role="manager"),
        "difu": difu,
    }


@pytest.fixture
def enquiry(people):
    return enquiry_submit(
        municipality_ags="09471145",
        contact_name="Paula Beispiel",
        contact_email="paula@hallstadt.example",
        subject="Übervolle Behälter am Mainufer",
        message="Unsere Papierkörbe am Mainufer quellen am Wochenende über. Wie messt ihr den Füllstand?",
        topic_slugs=[],
        support_type="contact",
        consent=True,
    )


def log_in(browser, live_server, user, *, expect: str = "/intern/"):
    """A fresh browser session for ``user``, logged in at /anmelden/ and landed on ``expect``."""
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("input[name='username']", user.username)
    page.fill("input[name='password']", PASSWORD)
    page.click("button[type='submit']")
    page.wait_for_url(f"**{expect}")
    return page


def take(page, name: str, *, artifacts_dir, assert_accessible) -> None:
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts_dir / f"workspace-{name}.png"), full_page=True)
    assert_accessible(page)


def step(page, label: str, fill=None) -> None:
    """Click the transition's button, fill its form, confirm, and wait for the case page to show the result."""
    page.get_by_role("button", name=label, exact=True).click()
    confirm = page.get_by_role("button", name="Bestätigen", exact=True)
    confirm.wait_for()
    if fill:
        fill(page)
    with page.expect_navigation():
        confirm.click()


def state_shown(page) -> str:
    return page.locator("#case-state").inner_text().strip()


def test_each_role_works_the_case_in_the_browser(
    browser, live_server, people, enquiry, artifacts_dir, assert_accessible
):
    """GIVEN a new enquiry from Hallstadt about overflowing litter bins
    WHEN the coordinator finds it by a word of its message, triages and assigns it to DIFU's Hanna Bauer;
    Hanna accepts it, writes a note, asks the municipality, sees the reply, creates and closes a follow-up and
    resolves it with an outcome; CCC's staff try to open it; the manager reopens it
    THEN every step is on the case's timeline, CCC gets 404, Hanna is told of the reopening, and each page
    passes axe-core's WCAG 2.1 AA checks."""
    shots = {"artifacts_dir": artifacts_dir, "assert_accessible": assert_accessible}
    case_path = f"/intern/faelle/{enquiry.pk}/"

    # --- the coordinator: landing, search, triage, assign
    page = log_in(browser, live_server, people["coordinator"])
    take(page, "coordinator-landing", **shots)
    assert page.get_by_role("link", name=re.compile(r"^Neu\b")).count() >= 1
    page.goto(f"{live_server.url}/intern/faelle/?q=Papierkörbe")
    take(page, "coordinator-search", **shots)
    page.get_by_role("link", name=enquiry.reference).click()
    page.wait_for_url(f"**{case_path}")
    take(page, "coordinator-case-new", **shots)
    assert state_shown(page) == "neu"

    step(
        page,
        "Sichten",
        lambda p: p.get_by_role("group", name="Handlungsfelder").get_by_label("Umwelt und Klima").check(),
    )
    assert state_shown(page) == "gesichtet"

    def assign(p):
        p.get_by_label("Partner", exact=True).select_option(label="Deutsches Institut für Urbanistik")
        p.get_by_label("Bearbeiter/in", exact=True).select_option(label="Hanna Bauer")
        p.get_by_label("Kommentar", exact=True).fill("Passt zu DIFUs Erfahrung mit Sensorik.")

    step(page, "Partner zuweisen", assign)
    assert state_shown(page) == "zugewiesen"
    take(page, "coordinator-case-assigned", **shots)
    page.context.close()

    # --- the handler at DIFU: accept, note, question, reply, follow-up, resolve
    page = log_in(browser, live_server, people["handler"])
    take(page, "partner-landing", **shots)
    page.goto(f"{live_server.url}{case_path}")
    step(page, "Übernehmen")
    assert state_shown(page) == "in Bearbeitung"

    page.get_by_label("Notiz", exact=True).fill("Stadtwerke Hallstadt fragen, ob LoRaWAN vorhanden ist.")
    with page.expect_navigation():
        page.get_by_role("button", name="Notiz speichern", exact=True).click()
    assert page.get_by_text("Stadtwerke Hallstadt fragen, ob LoRaWAN vorhanden ist.").count() == 1

    step(
        page,
        "Rückfrage stellen",
        lambda p: p.get_by_label("Nachricht", exact=True).fill("Wie viele Behälter stehen am Mainufer?"),
    )
    assert state_shown(page) == "wartet auf Rückmeldung"
    take(page, "partner-case-awaiting", **shots)

    # the municipality answers on its status page (no account)
    public = browser.new_context(locale="de-DE").new_page()
    public.goto(f"{live_server.url}/status/{enquiry.public_token}/")
    public.locator("#id_message").fill("Es sind 42 Papierkörbe.")
    with public.expect_navigation():
        public.get_by_role("button", name="Antwort senden").click()
    public.context.close()

    page.reload()
    assert state_shown(page) == "in Bearbeitung"
    assert page.get_by_text("Es sind 42 Papierkörbe.").count() >= 1
    take(page, "partner-case-reply", **shots)

    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    page.get_by_label("Fällig am").fill(due)
    page.get_by_label("Notiz zur Wiedervorlage").fill("Nachfassen, ob Sensoren bestellt sind.")
    with page.expect_navigation():
        page.get_by_role("button", name="Wiedervorlage anlegen").click()
    follow_up = FollowUp.objects.get(enquiry=enquiry)
    assert follow_up.assignee == people["handler"] and follow_up.done_at is None
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Erledigt")).first.click()
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None

    def resolve(p):
        p.get_by_label("Ergebnis", exact=True).select_option(index=1)
        p.get_by_label("Notizen", exact=True).fill("Kontakt zu Mannheims Smart-Waste-Team vermittelt.")

    step(page, "Erledigen", resolve)
    assert state_shown(page) == "erledigt"
    take(page, "partner-case-resolved", **shots)
    page.context.close()

    # --- another partner: the case does not exist for them
    page = log_in(browser, live_server, people["foreign"])
    answer = page.goto(f"{live_server.url}{case_path}")
    assert answer.status == 404
    assert "Papierkörbe" not in page.content()
    page.context.close()

    # --- the manager reads and reopens; the handler is told
    page = log_in(browser, live_server, people["manager"])
    page.goto(f"{live_server.url}{case_path}")
    take(page, "manager-case", **shots)
    assert page.get_by_role("button", name="Notiz speichern").count() == 0, "managers read, they do not write"
    step(page, "Wieder öffnen")
    assert state_shown(page) == "gesichtet"
    page.context.close()

    stored = Enquiry.objects.get(pk=enquiry.pk)
    assert stored.state == "triaged"
    walked = list(
        TransitionLog.objects.filter(enquiry=enquiry).order_by("at", "id").values_list("transition", flat=True)
    )
    assert walked == [
        "submit", "triage", "assign", "accept", "request_info", "receive_reply", "resolve", "reopen",
    ]  # fmt: skip
    note = Activity.objects.get(enquiry=enquiry, kind="note", text__startswith="Stadtwerke")
    assert note.public is False
    told = [m for m in OutboxMessage.objects.filter(enquiry=enquiry) if people["handler"].email in m.recipients]
    assert any(case_path in m.text and "wieder" in m.subject.lower() for m in told), [m.subject for m in told]

    page = log_in(browser, live_server, people["handler"])
    page.goto(f"{live_server.url}/intern/benachrichtigungen/")
    assert page.get_by_role("link", name=re.compile(enquiry.reference)).count() >= 1
    take(page, "partner-notifications", **shots)
    page.context.close()

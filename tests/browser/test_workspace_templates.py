"""Reply templates and notifications in a real browser: a coordinator keeps a template on
/intern/textbausteine/, a partner inserts it into a message with the picker, and the notification page lists
what is new; every page passes the WCAG 2.1 AA checks (axe-core)."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Notification, ReplyTemplate
from cases.replies import reply_template_save
from cases.selectors import enquiry_get_visible
from tests import builders as b
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123"

# A test-only page that includes the picker twice, as the case page does below its textareas (the case page
# itself is built elsewhere): served by this module as the URLconf, next to every route of the site.
PICKER_PAGE = """{% extends "web/workspace/base.html" %}{% block workspace %}<h1>Picker</h1>
<form method="post" action="#">
<label for="id_message">Nachricht</label><textarea id="id_message" name="message" rows="5"></textarea>
{% include "web/workspace/_template_picker.html" with target="id_message" enquiry=enquiry use="request_info" %}
<label for="id_note">Notiz</label><textarea id="id_note" name="note" rows="3">Vorher. </textarea>
{% include "web/workspace/_template_picker.html" with target="id_note" enquiry=enquiry use="note" %}
</form>{% endblock %}"""


def picker_page(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_get_visible(user=request.user, pk=pk)
    html = engines["django"].from_string(PICKER_PAGE).render({"enquiry": enquiry}, request)
    return HttpResponse(html)


urlpatterns = [path("test/picker/<int:pk>/", picker_page), path("", include("settings.urls"))]


def _login(page, live_server, user, next_path: str) -> None:
    page.goto(f"{live_server.url}/anmelden/?next={next_path}")
    page.fill("input[name='username']", user.username)
    page.fill("input[name='password']", PASSWORD)
    page.click("button[type='submit']")
    page.wait_for_url(f"**{next_path}")


def test_a_coordinator_creates_a_template_and_a_bad_placeholder_is_said_at_the_field(
    page, live_server, artifacts_dir, assert_accessible
):
    """GIVEN a coordinator WHEN she opens /intern/textbausteine/, creates a template with an unknown placeholder,
    corrects it and saves THEN the error stands next to the body, the list shows the template, and every
    page passes the axe checks."""
    coordinator = f.UserFactory(username="koordination", role="coordinator")
    _login(page, live_server, coordinator, "/intern/textbausteine/")
    assert page.locator("h1").inner_text() == "Textbausteine"
    assert_accessible(page)

    page.get_by_role("link", name="Neuer Textbaustein").click()
    page.wait_for_url("**/intern/textbausteine/neu/")
    page.get_by_label("Titel").fill("Rückfrage Einwohnerzahl")
    page.get_by_label("Text", exact=True).fill("Guten Tag {kontakt}, wie viele Einwohner hat {gemeinde}?")
    page.get_by_label("Verwendung").select_option("request_info")
    assert_accessible(page)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()

    error = page.locator("#body-error")
    assert error.inner_text().startswith("Unbekannter Platzhalter {gemeinde}.")
    assert page.get_by_label("Text", exact=True).get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(artifacts_dir / "workspace-template-error.png"), full_page=True)
    assert_accessible(page)
    assert not ReplyTemplate.objects.exists()

    page.get_by_label("Text", exact=True).fill("Guten Tag {kontakt}, wie viele Einwohner hat {kommune}?")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/intern/textbausteine/")
    assert page.locator(".messages li").first.inner_text() == "Textbaustein „Rückfrage Einwohnerzahl“ gespeichert."
    assert page.get_by_role("link", name="Rückfrage Einwohnerzahl").count() == 1
    page.screenshot(path=str(artifacts_dir / "workspace-templates.png"), full_page=True)
    assert_accessible(page)
    assert ReplyTemplate.objects.get().use == "request_info"


def test_the_picker_inserts_the_template_rendered_for_the_case(
    page, live_server, settings, artifacts_dir, assert_accessible
):
    """GIVEN a case of DIFU, a template for requests and one for notes, and a page with a picker below each of
    two textareas WHEN the partner chooses a template and clicks "Einfügen" under each
    THEN the empty message gets the rendered text, the note gets it added at its cursor (its end)."""
    settings.ROOT_URLCONF = __name__
    municipality = f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")
    topic = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    partner = f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik")
    coordinator = f.UserFactory(username="koordination", role="coordinator")
    staff = f.UserFactory(username="difu", role="partner", partner=partner, first_name="Dora", last_name="Difu")
    enquiry = b.enquiry_submitted(municipality=municipality, topics=[topic.slug], contact_name="Erika Muster")
    enquiry = b.enquiry_brought_to(enquiry, "in_progress", coordinator=coordinator, staff=staff, partner=partner)
    reply_template_save(
        by=coordinator, title="Einwohner", body="Guten Tag {kontakt}, wie groß ist {kommune}?", use="request_info"
    )
    reply_template_save(by=coordinator, title="Telefonat", body="Telefonat {aktenzeichen} ({bearbeiter})", use="note")

    _login(page, live_server, staff, f"/test/picker/{enquiry.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Einfügen").first.click()
    # (not wait_for_function: it would eval() its string in the page, which the Content-Security-Policy forbids)
    expect(page.locator("#id_message")).not_to_have_value("")
    assert page.locator("#id_message").input_value() == "Guten Tag Erika Muster, wie groß ist Bamberg?"
    assert page.locator("#tpl-id_message-status").inner_text() == "Textbaustein eingefügt."

    note = page.locator("#id_note")
    note.focus()
    page.keyboard.press("End")
    page.get_by_label("Textbaustein").nth(1).select_option(label="Telefonat")
    page.get_by_role("button", name="Einfügen").nth(1).click()
    expect(note).not_to_have_value("Vorher. ")
    assert note.input_value() == f"Vorher. Telefonat {enquiry.reference} (Dora Difu)"
    page.screenshot(path=str(artifacts_dir / "workspace-template-picker.png"), full_page=True)
    assert_accessible(page)


def test_the_notification_page_lists_what_is_new_and_passes_the_checks(
    page, live_server, artifacts_dir, assert_accessible
):
    """GIVEN a partner with two unread notifications WHEN he opens the notification page THEN both are listed as
    new with links to their case, the navigation counts them, and the page passes the axe checks; on the next
    visit they are read."""
    municipality = f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")
    topic = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    partner = f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik")
    coordinator = f.UserFactory(username="koordination", role="coordinator")
    staff = f.UserFactory(username="difu", role="partner", partner=partner)
    enquiry = b.enquiry_submitted(municipality=municipality, topics=[topic.slug])
    enquiry = b.enquiry_brought_to(enquiry, "in_progress", coordinator=coordinator, staff=staff, partner=partner)
    # the assignment told DIFU's staff (this test's transactions commit); a reply comes on top
    assert Notification.objects.filter(recipient=staff, kind="assigned").count() == 1
    Notification.objects.create(
        recipient=staff,
        enquiry=enquiry,
        kind="reply_received",
        text="Bamberg hat geantwortet.",
        created_at=timezone.now(),
    )

    _login(page, live_server, staff, "/intern/benachrichtigungen/")
    assert page.locator("h1").inner_text() == "Benachrichtigungen"
    assert page.locator(".notification.unread").count() == 2
    assert page.get_by_role("link", name=enquiry.reference).count() == 2
    assert "2" in page.locator(".workspace-nav .badge").inner_text()
    page.screenshot(path=str(artifacts_dir / "workspace-notifications.png"), full_page=True)
    assert_accessible(page)

    page.reload()
    assert page.locator(".notification.unread").count() == 0
    assert page.locator(".workspace-nav .badge").count() == 0
    page.get_by_role("button", name="Alle als gelesen markieren").click()
    page.wait_for_load_state()
    assert page.locator(".messages li").first.inner_text() == "0 Benachrichtigungen als gelesen markiert."
    assert_accessible(page)

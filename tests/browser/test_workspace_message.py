"""The free message to the municipality in a real browser: a coordinator opens a case, "Nachricht an die
Kommune", inserts a reply template, sends; the message stands on the timeline, the e-mail is in the outbox, the
state is unchanged, and the page with the form open passes the WCAG 2.1 AA checks (axe-core)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Activity, Enquiry
from cases.replies import reply_template_save
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123"


def _login(page, live_server, user, next_path: str) -> None:
    page.goto(f"{live_server.url}/anmelden/?next={next_path}")
    page.fill("input[name='username']", user.username)
    page.fill("input[name='password']", PASSWORD)
    page.click("button[type='submit']")
    page.wait_for_url(f"**{next_path}")


@pytest.fixture
def case_in_progress(db):
    municipality = f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")
    topic = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    partner = f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik")
    coordinator = f.UserFactory(username="koordination", role="coordinator")
    staff = f.UserFactory(username="difu", role="partner", partner=partner)
    enquiry = b.enquiry_submitted(
        municipality=municipality,
        topics=[topic.slug],
        contact_name="Erika Muster",
        contact_email="erika@bamberg.example",
    )
    enquiry = b.enquiry_brought_to(enquiry, "in_progress", coordinator=coordinator, staff=staff, partner=partner)
    return enquiry, coordinator


def test_a_coordinator_sends_a_message_with_a_template_and_it_lands_on_the_timeline(
    page, live_server, artifacts_dir, assert_accessible, case_in_progress
):
    """GIVEN a case in progress and a reply template WHEN a coordinator opens the case, clicks "Nachricht an die
    Kommune", inserts the template, gives a subject and sends THEN the page says so, the message stands on the
    timeline, one e-mail with the case's Reply-To is in the outbox, and the state is unchanged."""
    enquiry, coordinator = case_in_progress
    reply_template_save(
        by=coordinator, title="Kontakt", body="Guten Tag {kontakt}, hier ein Kontakt für {kommune}.", use="both"
    )
    path = f"/intern/faelle/{enquiry.pk}/"
    _login(page, live_server, coordinator, path)
    assert_accessible(page)

    page.get_by_role("button", name="Nachricht an die Kommune").click()
    subject = page.get_by_label("Betreff")
    subject.wait_for()
    assert page.locator("#message-contact-failing").count() == 0
    subject.fill("Ein Kontakt für Sie")
    message = page.get_by_label("Nachricht", exact=True)
    picker = page.locator("#message-region [data-template-picker]")
    picker.get_by_label("Textbaustein").select_option(label="Kontakt")
    picker.get_by_role("button", name="Einfügen").click()
    expect(message).not_to_have_value("")  # (wait_for_function would eval() in the page: the CSP forbids it)
    assert message.input_value() == "Guten Tag Erika Muster, hier ein Kontakt für Bamberg."
    page.screenshot(path=str(artifacts_dir / "workspace-message-form.png"), full_page=True)
    assert_accessible(page)

    page.get_by_role("button", name="Nachricht senden").click()
    page.wait_for_url(f"**{path}")
    assert page.locator(".messages li").first.inner_text() == "Nachricht an erika@bamberg.example gesendet."
    assert "Guten Tag Erika Muster, hier ein Kontakt für Bamberg." in page.locator(".timeline").inner_text()
    page.screenshot(path=str(artifacts_dir / "workspace-message-sent.png"), full_page=True)
    assert_accessible(page)

    entry = Activity.objects.get(enquiry=enquiry, kind=Activity.Kind.EMAIL_OUT)
    assert (entry.author, entry.public) == (coordinator, True)
    mail = OutboxMessage.objects.get(enquiry=enquiry, template="message")
    assert mail.subject == f"[{enquiry.reference}] Ein Kontakt für Sie"
    assert mail.reply_to.endswith(f"<transferstelle+{enquiry.mail_key}@kts.invalid>")
    assert Enquiry.objects.get(pk=enquiry.pk).state == "in_progress"


def test_a_missing_message_is_said_at_the_field_and_a_failing_address_is_warned_of(
    page, live_server, assert_accessible, case_in_progress
):
    """GIVEN a case whose contact address bounced WHEN the coordinator opens the form THEN a warning says so;
    sending with an empty message shows the error at the field and stores nothing."""
    enquiry, coordinator = case_in_progress
    Enquiry.objects.filter(pk=enquiry.pk).update(
        contact_email_failed_at=timezone.now(), contact_email_failure="550 mailbox unavailable"
    )
    path = f"/intern/faelle/{enquiry.pk}/"
    _login(page, live_server, coordinator, path)
    page.get_by_role("button", name="Nachricht an die Kommune").click()
    page.get_by_label("Betreff").wait_for()
    warning = page.locator("#message-contact-failing")
    assert "erika@bamberg.example" in warning.inner_text()
    assert "unzustellbar" in warning.inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Nachricht senden").click()
    page.wait_for_load_state()
    assert page.locator("#msg-message-error").inner_text() == "Bitte eine Nachricht eingeben."
    assert page.get_by_label("Nachricht", exact=True).get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    assert not Activity.objects.filter(enquiry=enquiry, kind=Activity.Kind.EMAIL_OUT).exists()
    assert not OutboxMessage.objects.filter(enquiry=enquiry, template="message").exists()


def test_a_manager_sees_no_message_form(page, live_server, case_in_progress):
    enquiry, _ = case_in_progress
    manager = f.UserFactory(username="leitung", role="manager")
    _login(page, live_server, manager, f"/intern/faelle/{enquiry.pk}/")
    assert page.get_by_role("button", name="Nachricht an die Kommune").count() == 0

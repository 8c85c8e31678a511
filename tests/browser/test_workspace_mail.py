"""The Posteingang in a real browser (issue 12, item 7): a coordinator turns a stray mail into an enquiry,
choosing the municipality through the directory search, and files a stranger's mail on a case by its reference;
the case page shows the mail with its attachment and the third-party marker. Each page passes axe-core's WCAG
2.1 AA checks and is kept as a screenshot."""

from __future__ import annotations

import pytest

from cases.intake import enquiry_submit
from cases.models import Enquiry
from conversation.models import InboundEmail
from tests import factories as f
from tests.mail_builders import inbound_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123"
PDF = b"%PDF-1.4 Lageplan " + b"x" * 2048


@pytest.fixture
def scene():
    f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", kind="kreisfreie_stadt")
    f.MunicipalityFactory(ags="09471000", name="Bamberg, Landkreis", short_name="Bamberg", level="kreis")
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr", "Rufbus"])
    case = enquiry_submit(
        municipality_ags="09461000",
        contact_name="Erika Muster",
        contact_email="erika@bamberg.example",
        subject="Radverkehr in der Innenstadt",
        message="Wie habt ihr das Radnetz geplant?",
        topic_slugs=["mobilitaet"],
        support_type="contact",
        consent=True,
    )
    new = inbound_email(
        sender="paul@bamberg.example",
        name="Paul Parker",
        subject="Rufbus für unsere Ortsteile",
        text="Guten Tag, wie organisiert man einen Rufbus?",
    )
    stranger = inbound_email(
        sender="presse@zeitung.example",
        name="Petra Presse",
        subject=f"Nachfrage zu {case.reference}",
        text="Gibt es zum Radverkehr schon Ergebnisse?",
        attachments=[("Lageplan.pdf", PDF, "application/pdf")],
    )
    return {
        "coordinator": f.UserFactory(
            username="koordination", first_name="Karla", last_name="Koord", role="coordinator"
        ),
        "case": case,
        "new": new,
        "stranger": stranger,
    }


def _log_in(page, live_server, user, path):
    page.goto(f"{live_server.url}/anmelden/?next={path}")
    page.fill("input[name='username']", user.username)
    page.fill("input[name='password']", PASSWORD)
    page.click("button[type='submit']")
    page.wait_for_url(f"**{path}")


def test_a_coordinator_works_through_the_posteingang(page, live_server, artifacts_dir, assert_accessible, scene):
    case, new, stranger = scene["case"], scene["new"], scene["stranger"]
    _log_in(page, live_server, scene["coordinator"], "/intern/posteingang/")
    assert page.locator("h1").inner_text() == "Posteingang"
    nav = page.get_by_role("navigation", name="Arbeitsbereich")
    assert "Posteingang 2" in nav.inner_text()
    rows = page.locator(".mail-table tbody tr")
    assert rows.count() == 2
    assert "Paul Parker" in page.locator(".mail-table").inner_text()
    stranger_row = rows.filter(has_text="Petra Presse").inner_text()
    assert stranger_row.rstrip().endswith("1")  # its one attachment
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "mail-inbox.png"), full_page=True)

    # a new enquiry: the municipality through the search as you type
    page.get_by_role("link", name="Rufbus für unsere Ortsteile").click()
    page.wait_for_url(f"**/intern/posteingang/{new.pk}/")
    assert "Guten Tag, wie organisiert man einen Rufbus?" in page.locator("main").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "mail-triage.png"), full_page=True)
    page.get_by_role("combobox", name="Kommune").fill("bamb")
    option = page.locator("#municipality-results li", has_text="09461000")
    option.wait_for(timeout=10_000)
    option.click()
    assert page.input_value("#id_municipality") == "09461000"
    assert page.get_by_label("Betreff").input_value() == "Rufbus für unsere Ortsteile"
    page.get_by_label("Art der Unterstützung").select_option("advice")
    page.get_by_role("button", name="Anfrage anlegen").click()
    page.wait_for_url("**/intern/faelle/*/")
    created = Enquiry.objects.get(contact_email="paul@bamberg.example")
    assert page.url.endswith(f"/intern/faelle/{created.pk}/")
    assert f"Anfrage {created.reference} aus der E-Mail angelegt." in page.locator(".messages").inner_text()
    assert created.channel == "email" and created.municipality.ags == "09461000" and created.support_type == "advice"
    assert "Paul Parker <paul@bamberg.example>" in page.locator(".timeline").inner_text()

    # the stranger's mail goes on the existing case by its reference
    page.get_by_role("navigation", name="Arbeitsbereich").get_by_role("link", name="Posteingang").click()
    page.wait_for_url("**/intern/posteingang/")
    page.get_by_role("link", name=f"Nachfrage zu {case.reference}").click()
    page.wait_for_url(f"**/intern/posteingang/{stranger.pk}/")
    page.get_by_label("Aktenzeichen").fill(case.reference)
    page.get_by_role("button", name="Zuordnen").click()
    page.wait_for_url(f"**/intern/faelle/{case.pk}/")
    assert f"E-Mail dem Fall {case.reference} zugeordnet." in page.locator(".messages").inner_text()
    stranger.refresh_from_db()
    assert stranger.status == InboundEmail.Status.FILED and stranger.kind == InboundEmail.Kind.THIRD_PARTY

    # the case page shows it as a mail: marker, sender, attachment to download, the original
    entry = page.locator(f"#mail-{stranger.pk}")
    text = entry.inner_text()
    assert "von Dritten – spricht nicht für die Kommune" in text
    assert "Petra Presse <presse@zeitung.example>" in text and "Gibt es zum Radverkehr schon Ergebnisse?" in text
    link = entry.get_by_role("link", name="Lageplan.pdf")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Lageplan.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF
    assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "mail-on-case.png"), full_page=True)

    entry.get_by_role("link", name="Original anzeigen").click()
    page.wait_for_url(f"**/intern/emails/{stranger.pk}/")
    assert stranger.message_id in page.locator("main").inner_text()
    assert_accessible(page)
    assert "Posteingang" in nav.inner_text() and "Posteingang 2" not in nav.inner_text()

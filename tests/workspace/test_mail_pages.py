"""Inbound e-mail in the workspace (SPEC sections 9 and 10): mails on the case page look like mails, the original
page, the coordinators' Posteingang with its three actions, and who may see what."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.contact import contact_email_failed
from cases.models import Enquiry
from conversation.models import InboundEmail
from tests import builders as b
from tests import factories as f
from tests.mail_builders import filed_email, inbound_email

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 " + b"x" * 1_250_000


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", kind="kreisfreie_stadt")


@pytest.fixture
def make_case(topic, municipality, coordinator, partner, partner_user):
    def make(state: str = "new"):
        enquiry = b.enquiry_submitted(
            municipality=municipality,
            topics=[topic.slug],
            contact_email="erika@bamberg.example",
            subject="Radverkehr in der Innenstadt",
        )
        return b.enquiry_brought_to(enquiry, state, coordinator=coordinator, staff=partner_user, partner=partner)

    return make


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the case page -------------------------------------------------------------------------------------------


def test_the_case_page_shows_an_incoming_mail_as_a_mail(make_case, partner_user):
    enquiry = make_case("in_progress")
    mail = filed_email(
        enquiry=enquiry,
        sender="erika@bamberg.example",
        name="Erika Muster",
        subject="AW: Radverkehr [KTS]",
        text="Anbei unser Radverkehrsplan.",
        full_text="Anbei unser Radverkehrsplan.\n\nAm Montag schrieb die Transferstelle:\n> Haben Sie Unterlagen?",
        attachments=[("Radplan.pdf", PDF, "application/pdf")],
    )
    html = client_of(partner_user).get(f"/intern/faelle/{enquiry.pk}/").content.decode()
    assert "E-Mail der Kommune" in html
    assert "Erika Muster &lt;erika@bamberg.example&gt;" in html and "AW: Radverkehr [KTS]" in html
    assert "Anbei unser Radverkehrsplan." in html and "Haben Sie Unterlagen?" not in html
    attachment = mail.attachments.get()
    assert f'href="/api/v1/attachments/{attachment.pk}/"' in html and "Radplan.pdf" in html
    assert "(1,2\xa0MB)" in html or "(1,2 MB)" in html
    assert f'href="/intern/emails/{mail.pk}/"' in html and "Original anzeigen" in html
    assert "von Dritten – spricht nicht für die Kommune" not in html


def test_the_case_page_marks_third_party_mail_auto_replies_and_bounces(make_case, coordinator):
    enquiry = make_case("in_progress")
    filed_email(enquiry=enquiry, sender="presse@zeitung.example", text="Eine Frage der Presse")
    filed_email(enquiry=enquiry, sender="erika@bamberg.example", kind=InboundEmail.Kind.AUTO_REPLY, text="Bin weg")
    filed_email(
        enquiry=enquiry, sender="mailer-daemon@bamberg.example", kind=InboundEmail.Kind.BOUNCE, text="User unknown"
    )
    html = client_of(coordinator).get(f"/intern/faelle/{enquiry.pk}/").content.decode()
    assert "von Dritten – spricht nicht für die Kommune" in html
    assert "Automatische Antwort" in html and "Unzustellbar" in html
    # the bounce marked the contact address failing: the banner says so
    enquiry.refresh_from_db()
    assert enquiry.contact_email_failed_at is not None
    assert "E-Mail-Adresse der Kommune unzustellbar seit" in html


def test_the_banner_names_the_date_and_the_reason(make_case, coordinator):
    enquiry = make_case("in_progress")
    at = timezone.make_aware(timezone.datetime(2026, 11, 3, 10, 15))
    contact_email_failed(enquiry=enquiry, reason="550 5.1.1 mailbox unavailable", at=at)
    html = client_of(coordinator).get(f"/intern/faelle/{enquiry.pk}/").content.decode()
    assert "E-Mail-Adresse der Kommune unzustellbar seit 03.11.2026 10:15: 550 5.1.1 mailbox unavailable" in html


def test_the_case_page_reads_its_mails_in_a_fixed_number_of_queries(make_case, coordinator):
    def queries_for(count: int) -> int:
        enquiry = make_case("in_progress")
        for n in range(count):
            filed_email(enquiry=enquiry, attachments=[(f"{n}.pdf", b"x", "application/pdf")])
        client = client_of(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/intern/faelle/{enquiry.pk}/").status_code == 200
        return len(queries)

    assert queries_for(3) == queries_for(10)


# --- the original ------------------------------------------------------------------------------------------------


def test_the_original_page_shows_headers_full_text_problems_and_files(make_case, partner_user, other_partner_user):
    enquiry = make_case("in_progress")
    mail = filed_email(
        enquiry=enquiry,
        sender="erika@bamberg.example",
        subject="AW: Radverkehr",
        text="Kurz",
        full_text="Kurz\n\n> zitiert",
        problems="Anhang virus.exe nicht gespeichert (Typ nicht erlaubt)",
        attachments=[("Plan.pdf", b"%PDF", "application/pdf")],
    )
    response = client_of(partner_user).get(f"/intern/emails/{mail.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Von", "An", "Betreff", "Datum", "Message-ID", mail.message_id, "transferstelle@kts.invalid"):
        assert text in html
    assert "&gt; zitiert" in html and "virus.exe nicht gespeichert" in html and "Plan.pdf" in html
    assert f'href="/api/v1/inbound-emails/{mail.pk}/original/"' in html
    assert client_of(other_partner_user).get(f"/intern/emails/{mail.pk}/").status_code == 404


def test_the_original_of_stray_mail_is_for_coordinators_and_managers(coordinator, manager, partner_user):
    mail = inbound_email()
    assert client_of(coordinator).get(f"/intern/emails/{mail.pk}/").status_code == 200
    assert client_of(manager).get(f"/intern/emails/{mail.pk}/").status_code == 200
    assert client_of(partner_user).get(f"/intern/emails/{mail.pk}/").status_code == 404
    assert Client().get(f"/intern/emails/{mail.pk}/").status_code == 302  # to the login


# --- the Posteingang -----------------------------------------------------------------------------------------------


def test_the_posteingang_lists_the_stray_mail_with_its_count_in_the_navigation(coordinator, make_case):
    inbound_email(subject="Parkraum", name="Paul Parker", attachments=[("a.pdf", b"1", "x"), ("b.pdf", b"2", "x")])
    inbound_email(subject="Breitband")
    filed_email(enquiry=make_case("new"), subject="Schon zugeordnet")
    response = client_of(coordinator).get("/intern/posteingang/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Parkraum" in html and "Breitband" in html and "Schon zugeordnet" not in html
    assert "Paul Parker" in html and "<td>2</td>" in html
    assert 'Posteingang <span class="badge">2<' in html
    # the navigation shows it on every workspace page
    assert 'Posteingang <span class="badge">2<' in client_of(coordinator).get("/intern/").content.decode()


def test_only_coordinators_and_managers_open_the_posteingang(coordinator, manager, partner_user):
    mail = inbound_email()
    assert client_of(manager).get("/intern/posteingang/").status_code == 200
    page = client_of(manager).get(f"/intern/posteingang/{mail.pk}/")
    assert page.status_code == 200 and "Anfrage anlegen" not in page.content.decode()
    assert client_of(partner_user).get("/intern/posteingang/").status_code == 403
    assert client_of(partner_user).get(f"/intern/posteingang/{mail.pk}/").status_code == 403
    assert "Posteingang" not in client_of(partner_user).get("/intern/").content.decode()
    for action in ("anfrage", "zuordnen", "verwerfen"):
        assert client_of(manager).post(f"/intern/posteingang/{mail.pk}/{action}/", {}).status_code in (400, 403)
    assert client_of(manager).post(f"/intern/posteingang/{mail.pk}/verwerfen/").status_code == 403
    assert InboundEmail.objects.get(pk=mail.pk).status == "unmatched"


def test_the_mail_page_offers_the_three_actions(coordinator):
    mail = inbound_email(subject="Frage zum Rufbus")
    html = client_of(coordinator).get(f"/intern/posteingang/{mail.pk}/").content.decode()
    for text in ("Als neue Anfrage anlegen", "Kommune", "Betreff", "Art der Unterstützung", "Anfrage anlegen"):
        assert text in html
    assert "Einem Fall zuordnen" in html and "Aktenzeichen" in html and "Zuordnen" in html and "Verwerfen" in html
    assert 'value="Frage zum Rufbus"' in html and "web/public.js" in html


def test_a_coordinator_turns_a_mail_into_an_enquiry(coordinator, municipality, topic):
    mail = inbound_email(sender="paul@bamberg.example", name="Paul Parker", subject="Parkraum", text="Wie?")
    client = client_of(coordinator)
    response = client.post(
        f"/intern/posteingang/{mail.pk}/anfrage/",
        {
            "municipality": "09461000",
            "municipality_search": "Bamberg (09461000)",
            "subject": "Parkraum",
            "support_type": "advice",
        },
    )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 303 and response["Location"] == f"/intern/faelle/{enquiry.pk}/"
    assert enquiry.channel == "email" and enquiry.contact_email == "paul@bamberg.example"
    assert enquiry.support_type == "advice" and enquiry.contact_name == "Paul Parker"
    page = client.get(response["Location"]).content.decode()
    assert f"Anfrage {enquiry.reference} aus der E-Mail angelegt." in page
    mail.refresh_from_db()
    assert mail.status == "filed" and mail.enquiry == enquiry


def test_without_javascript_an_unambiguous_name_is_enough(coordinator, municipality, topic):
    mail = inbound_email()
    response = client_of(coordinator).post(
        f"/intern/posteingang/{mail.pk}/anfrage/",
        {"municipality": "", "municipality_search": "Bamberg", "subject": "Rufbus", "support_type": "information"},
    )
    assert response.status_code == 303
    assert Enquiry.objects.get().municipality == municipality


def test_an_unknown_municipality_is_said_at_the_field(coordinator, municipality):
    mail = inbound_email()
    response = client_of(coordinator).post(
        f"/intern/posteingang/{mail.pk}/anfrage/",
        {"municipality": "", "municipality_search": "Atlantis", "subject": "Rufbus", "support_type": "information"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte die Kommune aus der Liste wählen" in html and 'aria-invalid="true"' in html
    assert not Enquiry.objects.exists()


def test_a_coordinator_files_a_mail_on_a_case_by_reference(coordinator, make_case):
    enquiry = make_case("awaiting_reply")
    mail = inbound_email(sender="erika@bamberg.example", text="Wir haben 4.000 Einwohner.")
    client = client_of(coordinator)
    response = client.post(f"/intern/posteingang/{mail.pk}/zuordnen/", {"enquiry": enquiry.reference})
    assert response.status_code == 303 and response["Location"] == f"/intern/faelle/{enquiry.pk}/"
    enquiry.refresh_from_db()
    assert enquiry.state == "in_progress"  # the contact's mail took receive_reply
    page = client.get(response["Location"]).content.decode()
    assert f"E-Mail dem Fall {enquiry.reference} zugeordnet." in page and "Wir haben 4.000 Einwohner." in page


def test_filing_on_an_unknown_case_and_twice_is_said_plainly(coordinator, make_case):
    enquiry = make_case("in_progress")
    mail = inbound_email()
    client = client_of(coordinator)
    response = client.post(f"/intern/posteingang/{mail.pk}/zuordnen/", {"enquiry": "KTS-1999-000001"})
    assert response.status_code == 400 and "Keine Anfrage mit diesem Aktenzeichen" in response.content.decode()
    assert client.post(f"/intern/posteingang/{mail.pk}/zuordnen/", {"enquiry": str(enquiry.pk)}).status_code == 303
    response = client.post(f"/intern/posteingang/{mail.pk}/zuordnen/", {"enquiry": str(enquiry.pk)})
    assert response.status_code == 409 and "inzwischen schon zugeordnet" in response.content.decode()


def test_a_coordinator_dismisses_a_mail(coordinator):
    mail = inbound_email(subject="Newsletter")
    response = client_of(coordinator).post(f"/intern/posteingang/{mail.pk}/verwerfen/")
    assert response.status_code == 303 and response["Location"] == "/intern/posteingang/"
    mail.refresh_from_db()
    assert mail.status == "dismissed"
    assert "Newsletter" not in client_of(coordinator).get("/intern/posteingang/").content.decode()

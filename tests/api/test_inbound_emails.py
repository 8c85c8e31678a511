"""Inbound e-mail in the API (SPEC sections 5 and 10): the timeline's mails with their attachments, the downloads
for staff who may see the case, and the coordinators' list of stray mail with its three actions.

The mails are real rows with real files in the mail storage, filed through conversation.filing (tests.mail_builders).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.models import Activity, Enquiry
from conversation.models import InboundEmail, mail_storage
from outbox.models import OutboxMessage
from tests import factories as f
from tests.conftest import client_for
from tests.mail_builders import filed_email, inbound_email

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 Haushaltsplan" + b"x" * 1200
HTML = b"<html><script>alert(1)</script></html>"


def _timeline(client, enquiry) -> list[dict]:
    response = client.get(f"/api/v1/enquiries/{enquiry.pk}/timeline/?page_size=200")
    assert response.status_code == 200
    return response.json()["results"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- the timeline ------------------------------------------------------------------------------------------------


def test_a_timeline_entry_of_a_mail_lists_its_attachments_and_says_who_wrote(make_case, coordinator_client):
    enquiry = make_case("in_progress")
    mail = filed_email(
        enquiry=enquiry,
        sender=enquiry.contact_email,
        subject="AW: [KTS] Rufbus",
        text="Anbei der Plan.",
        attachments=[("Plan.pdf", PDF, "application/pdf")],
    )
    entries = _timeline(coordinator_client, enquiry)
    entry = next(e for e in entries if e["id"] == mail.activity_id)
    assert entry["kind"] == "email_in" and entry["text"] == "Anbei der Plan."
    assert entry["email"]["from"] == enquiry.contact_email
    assert entry["email"]["subject"] == "AW: [KTS] Rufbus"
    assert entry["email"]["third_party"] is False and entry["email"]["kind"] == "reply"
    assert entry["email"]["original_url"].endswith(f"/api/v1/inbound-emails/{mail.pk}/original/")
    [attachment] = entry["attachments"]
    assert attachment["name"] == "Plan.pdf" and attachment["size"] == len(PDF)
    assert attachment["url"].startswith("http://testserver/api/v1/attachments/")
    others = [e for e in entries if e["id"] != mail.activity_id]
    assert others and all(e["attachments"] == [] and e["email"] is None for e in others)


def test_a_stranger_s_mail_is_marked_as_from_a_third_party(make_case, coordinator_client):
    enquiry = make_case("awaiting_reply")
    mail = filed_email(enquiry=enquiry, sender="presse@zeitung.example", text="Gibt es schon Ergebnisse?")
    entry = next(e for e in _timeline(coordinator_client, enquiry) if e["id"] == mail.activity_id)
    assert entry["email"]["third_party"] is True and entry["email"]["kind"] == "third_party"
    assert entry["public"] is False
    enquiry.refresh_from_db()
    assert enquiry.state == "awaiting_reply"  # a stranger moves nothing


def test_the_timeline_reads_the_mails_in_a_fixed_number_of_queries(make_case, coordinator_client):
    def queries_for(count: int) -> int:
        enquiry = make_case("in_progress")
        for n in range(count):
            filed_email(
                enquiry=enquiry,
                sender=enquiry.contact_email if n % 2 else "dritte@example.org",
                attachments=[(f"a{n}.pdf", PDF, "application/pdf"), (f"b{n}.txt", b"x", "text/plain")],
            )
        with CaptureQueriesContext(connection) as queries:
            entries = _timeline(coordinator_client, enquiry)
        assert sum(len(e["attachments"]) for e in entries) == 2 * count
        return len(queries)

    assert queries_for(3) == queries_for(10)


def test_the_municipality_s_status_page_shows_no_attachment_and_no_third_party_mail(make_case, anon_client):
    enquiry = make_case("in_progress")
    filed_email(enquiry=enquiry, sender=enquiry.contact_email, text="Unsere Antwort", attachments=[("P.pdf", PDF, "x")])
    filed_email(enquiry=enquiry, sender="presse@zeitung.example", text="Geheime Presseanfrage")
    body = anon_client.get(f"/api/v1/public/enquiries/{enquiry.public_token}/").json()
    texts = [e["text"] for e in body["timeline"]]
    assert "Unsere Antwort" in texts and "Geheime Presseanfrage" not in texts
    assert all(set(e) == {"at", "kind", "transition", "text", "from_municipality"} for e in body["timeline"])
    page = Client().get(f"/status/{enquiry.public_token}/").content.decode()
    assert "Geheime Presseanfrage" not in page and "/api/v1/attachments/" not in page and "P.pdf" not in page


# --- downloads ------------------------------------------------------------------------------------------------


def test_an_attachment_downloads_as_bytes_for_staff_who_see_the_case(make_case, partner, partner_user):
    enquiry = make_case("in_progress")
    mail = filed_email(enquiry=enquiry, attachments=[("Seite.html", HTML, "text/html"), ("Plan ä.pdf", PDF, "x")])
    html, pdf = mail.attachments.all()
    response = client_for(partner_user).get(f"/api/v1/attachments/{html.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;") and "Seite.html" in response["Content-Disposition"]
    assert _body(response) == HTML
    response = client_for(partner_user).get(f"/api/v1/attachments/{pdf.pk}/")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Plan%20%C3%A4.pdf"


def test_downloads_work_with_the_workspace_s_session_too(make_case, coordinator):
    enquiry = make_case("in_progress")
    mail = filed_email(enquiry=enquiry, attachments=[("Plan.pdf", PDF, "application/pdf")])
    client = Client()
    client.force_login(coordinator)
    response = client.get(f"/api/v1/attachments/{mail.attachments.get().pk}/")
    assert response.status_code == 200 and _body(response) == PDF
    response = client.get(f"/api/v1/inbound-emails/{mail.pk}/original/")
    assert response.status_code == 200 and response["Content-Type"] == "message/rfc822"
    assert b"Subject: Frage zum Rufbus" in _body(response)
    assert response["Content-Disposition"] == f'attachment; filename="email-{mail.pk}.eml"'


def test_downloads_are_refused_to_whom_may_not_see_the_case(make_case, other_partner_user, anon_client):
    enquiry = make_case("in_progress")
    mail = filed_email(enquiry=enquiry, attachments=[("Plan.pdf", PDF, "application/pdf")])
    attachment = mail.attachments.get()
    other = client_for(other_partner_user)
    assert other.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
    assert other.get(f"/api/v1/inbound-emails/{mail.pk}/original/").status_code == 404
    assert other.get(f"/api/v1/inbound-emails/{mail.pk}/").status_code == 404
    assert anon_client.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 401
    assert anon_client.get(f"/api/v1/inbound-emails/{mail.pk}/original/").status_code == 401
    assert (
        client_for(f.UserFactory(username="ohne-rolle")).get(f"/api/v1/attachments/{attachment.pk}/").status_code == 403
    )


def test_stray_mail_downloads_for_coordinators_and_managers_only(coordinator_client, manager_client, partner_client):
    mail = inbound_email(attachments=[("Flyer.pdf", PDF, "application/pdf")])
    attachment = mail.attachments.get()
    assert coordinator_client.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 200
    assert manager_client.get(f"/api/v1/inbound-emails/{mail.pk}/original/").status_code == 200
    assert partner_client.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
    assert partner_client.get(f"/api/v1/inbound-emails/{mail.pk}/original/").status_code == 404


def test_a_file_gone_from_the_storage_is_a_404(coordinator_client):
    mail = inbound_email(attachments=[("Flyer.pdf", PDF, "application/pdf")])
    attachment = mail.attachments.get()
    mail_storage().delete(attachment.file.name)
    mail_storage().delete(mail.raw.name)
    assert coordinator_client.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
    assert coordinator_client.get(f"/api/v1/inbound-emails/{mail.pk}/original/").status_code == 404
    assert coordinator_client.get("/api/v1/attachments/999999/").status_code == 404


# --- the list of stray mail --------------------------------------------------------------------------------------


def test_coordinators_list_the_mail_that_belongs_to_no_case(coordinator_client, make_case):
    stray = inbound_email(subject="Anfrage Parkraum", attachments=[("Karte.pdf", PDF, "application/pdf")])
    filed_email(enquiry=make_case("in_progress"), subject="Schon zugeordnet")
    response = coordinator_client.get("/api/v1/inbound-emails/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 1
    [item] = body["results"]
    assert set(item) == {
        "id", "message_id", "from", "from_name", "subject", "received_at", "status", "kind", "matched_by",
        "enquiry", "text", "attachments", "problems", "original_url",
    }  # fmt: skip
    assert item["id"] == stray.pk and item["from"] == stray.from_address and item["subject"] == "Anfrage Parkraum"
    assert item["status"] == "unmatched" and item["enquiry"] is None and item["text"] == stray.text
    assert item["attachments"][0]["name"] == "Karte.pdf"
    filed = coordinator_client.get("/api/v1/inbound-emails/?status=filed").json()["results"]
    assert [m["subject"] for m in filed] == ["Schon zugeordnet"] and filed[0]["enquiry"] is not None


def test_the_list_filters_by_text_and_refuses_an_unknown_status(coordinator_client):
    inbound_email(subject="Parkraum", sender="a@stadt.example")
    inbound_email(subject="Breitband", sender="b@dorf.example")
    assert [m["subject"] for m in coordinator_client.get("/api/v1/inbound-emails/?q=dorf").json()["results"]] == [
        "Breitband"
    ]
    response = coordinator_client.get("/api/v1/inbound-emails/?status=alles")
    assert response.status_code == 400 and response.json()["field"] == "status"


def test_the_list_runs_a_fixed_number_of_queries(coordinator_client):
    def queries_for(count: int) -> int:
        for _n in range(count):
            inbound_email(attachments=[("a.pdf", PDF, "application/pdf")])
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get("/api/v1/inbound-emails/?page_size=200").status_code == 200
        return len(queries)

    assert queries_for(3) == queries_for(10)


def test_who_may_read_the_list(coordinator_client, manager_client, partner_client, anon_client):
    mail = inbound_email()
    assert coordinator_client.get("/api/v1/inbound-emails/").status_code == 200
    assert manager_client.get("/api/v1/inbound-emails/").status_code == 200
    assert manager_client.get(f"/api/v1/inbound-emails/{mail.pk}/").status_code == 200
    assert partner_client.get("/api/v1/inbound-emails/").status_code == 403
    assert partner_client.get(f"/api/v1/inbound-emails/{mail.pk}/").status_code == 404
    assert anon_client.get("/api/v1/inbound-emails/").status_code == 401


# --- filing on a case --------------------------------------------------------------------------------------------


def test_a_coordinator_files_a_stray_mail_on_a_case(coordinator_client, make_case):
    enquiry = make_case("in_progress")
    mail = inbound_email(sender="presse@zeitung.example", subject="Frage", attachments=[("a.pdf", PDF, "x")])
    response = coordinator_client.post(
        f"/api/v1/inbound-emails/{mail.pk}/file/", {"enquiry": enquiry.pk}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "filed" and body["enquiry"] == enquiry.pk
    assert body["matched_by"] == "coordinator" and body["kind"] == "third_party"
    entry = next(e for e in _timeline(coordinator_client, enquiry) if e["email"])
    assert entry["email"]["third_party"] is True and entry["attachments"][0]["name"] == "a.pdf"
    mail.refresh_from_db()
    assert mail.filed_by.username == "koordination"


def test_filing_the_contact_s_mail_by_reference_takes_the_reply(coordinator_client, make_case):
    enquiry = make_case("awaiting_reply")
    mail = inbound_email(sender=enquiry.contact_email.upper(), text="Wir haben 4.000 Einwohner.")
    response = coordinator_client.post(
        f"/api/v1/inbound-emails/{mail.pk}/file/", {"enquiry": f"Betreff: {enquiry.reference}"}, format="json"
    )
    assert response.status_code == 200
    enquiry.refresh_from_db()
    assert enquiry.state == "in_progress"
    activity = Activity.objects.get(inbound_email=mail)
    assert activity.transition == "receive_reply"


def test_filing_answers_400_409_and_403_plainly(coordinator_client, manager_client, partner_client, make_case):
    enquiry = make_case("in_progress")
    mail = inbound_email()
    url = f"/api/v1/inbound-emails/{mail.pk}/file/"
    for body in ({"enquiry": 999999}, {"enquiry": "KTS-1999-000001"}, {}, {"enquiry": ["x"]}):
        response = coordinator_client.post(url, body, format="json")
        assert response.status_code == 400 and response.json()["field"] == "enquiry", body
    assert coordinator_client.post(url, ["x"], format="json").status_code == 400
    assert manager_client.post(url, {"enquiry": enquiry.pk}, format="json").status_code == 403
    assert partner_client.post(url, {"enquiry": enquiry.pk}, format="json").status_code == 403
    assert coordinator_client.post(url, {"enquiry": enquiry.pk}, format="json").status_code == 200
    response = coordinator_client.post(url, {"enquiry": enquiry.pk}, format="json")
    assert response.status_code == 409
    assert (
        coordinator_client.post("/api/v1/inbound-emails/999999/file/", {"enquiry": 1}, format="json").status_code == 404
    )


# --- a new enquiry from a mail -----------------------------------------------------------------------------------


def test_a_coordinator_turns_a_stray_mail_into_an_enquiry(
    coordinator_client, municipality, topic, django_capture_on_commit_callbacks
):
    mail = inbound_email(
        sender="kaemmerer@bamberg.example",
        name="Karl Kämmerer",
        subject="Radverkehr in der Altstadt",
        text="Wie plant man Radwege in engen Gassen?",
        attachments=[("Karte.pdf", PDF, "application/pdf")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/api/v1/inbound-emails/{mail.pk}/enquiry/", {"municipality": municipality.ags}, format="json"
        )
    assert response.status_code == 201
    body = response.json()
    enquiry = Enquiry.objects.get(pk=body["enquiry"])
    assert body["reference"] == enquiry.reference
    assert enquiry.channel == "email" and enquiry.state == "new" and enquiry.support_type == "information"
    assert enquiry.contact_email == "kaemmerer@bamberg.example" and enquiry.contact_name == "Karl Kämmerer"
    assert enquiry.subject == "Radverkehr in der Altstadt" and enquiry.message == mail.text
    mail.refresh_from_db()
    assert mail.status == "filed" and mail.enquiry == enquiry and mail.kind == "new"
    assert mail.matched_by == "coordinator"
    # the submission's effects: the confirmation with the status link goes to the sender
    assert OutboxMessage.objects.filter(enquiry=enquiry, recipients=["kaemmerer@bamberg.example"]).exists()
    entry = next(e for e in _timeline(coordinator_client, enquiry) if e["email"])
    assert entry["attachments"][0]["name"] == "Karte.pdf" and entry["public"] is False


def test_the_new_enquiry_takes_what_the_coordinator_gives(coordinator_client, municipality, topic):
    mail = inbound_email(subject="")
    response = coordinator_client.post(
        f"/api/v1/inbound-emails/{mail.pk}/enquiry/",
        {
            "municipality": municipality.pk,
            "subject": "Rufbus",
            "topics": ["mobilitaet"],
            "support_type": "workshop",
            "contact_name": "Frau Beispiel",
        },
        format="json",
    )
    assert response.status_code == 201
    enquiry = Enquiry.objects.get(pk=response.json()["enquiry"])
    assert enquiry.municipality == municipality and enquiry.subject == "Rufbus"
    assert [t.slug for t in enquiry.topics.all()] == ["mobilitaet"] and enquiry.support_type == "workshop"
    assert enquiry.contact_name == "Frau Beispiel"


def test_a_new_enquiry_answers_400_naming_the_field_and_409_when_done(
    coordinator_client, manager_client, municipality, topic
):
    mail = inbound_email(subject="")
    url = f"/api/v1/inbound-emails/{mail.pk}/enquiry/"
    for body, field in (
        ({}, "municipality"),
        ({"municipality": "99999999"}, "municipality"),
        ({"municipality": 999999}, "municipality"),
        ({"municipality": municipality.ags}, "subject"),  # the mail has none to default to
        ({"municipality": municipality.ags, "subject": "x", "topics": ["gibtsnicht"]}, "topics"),
        ({"municipality": municipality.ags, "subject": "x", "support_type": "kaffee"}, "support_type"),
    ):
        response = coordinator_client.post(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    assert (
        manager_client.post(url, {"municipality": municipality.ags, "subject": "x"}, format="json").status_code == 403
    )
    assert not Enquiry.objects.exists()
    assert (
        coordinator_client.post(url, {"municipality": municipality.ags, "subject": "x"}, format="json").status_code
        == 201
    )
    assert (
        coordinator_client.post(url, {"municipality": municipality.ags, "subject": "y"}, format="json").status_code
        == 409
    )
    assert Enquiry.objects.count() == 1


def test_an_auto_reply_or_a_bounce_never_becomes_an_enquiry(coordinator_client, municipality, topic):
    for kind in (InboundEmail.Kind.AUTO_REPLY, InboundEmail.Kind.BOUNCE):
        mail = inbound_email(kind=kind, sender="mailer-daemon@example.org")
        response = coordinator_client.post(
            f"/api/v1/inbound-emails/{mail.pk}/enquiry/", {"municipality": municipality.ags}, format="json"
        )
        assert response.status_code == 400 and "automatischen Antwort" in response.json()["detail"]
    assert not Enquiry.objects.exists() and not OutboxMessage.objects.exists()


# --- dismissing ------------------------------------------------------------------------------------------------


def test_a_coordinator_dismisses_a_stray_mail(coordinator_client, partner_client):
    mail = inbound_email()
    url = f"/api/v1/inbound-emails/{mail.pk}/dismiss/"
    assert partner_client.post(url).status_code == 403
    response = coordinator_client.post(url)
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert coordinator_client.post(url).status_code == 409
    assert coordinator_client.get("/api/v1/inbound-emails/").json()["count"] == 0
    assert InboundEmail.objects.get(pk=mail.pk).status == "dismissed"

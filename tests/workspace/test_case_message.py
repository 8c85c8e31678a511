"""The free message on the case page (/intern/faelle/<id>/nachricht/): shown to who may send, opened as a
fragment (htmx) or as the page, sent through cases.messages; bad input at its field (400), no right 403, a
foreign case 404 (SPEC section 9 habits, issue 12)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Activity, Enquiry
from outbox.models import OutboxMessage
from tests.workspace import test_case_page as case_page
from tests.workspace.test_case_page import client_of, page_url

topic = case_page.topic
municipality = case_page.municipality
make_case = case_page.make_case

pytestmark = pytest.mark.django_db

BUTTON = 'hx-target="#message-region" hx-swap="innerHTML">Nachricht an die Kommune</button>'


def message_url(enquiry) -> str:
    return f"{page_url(enquiry)}nachricht/"


def sent(enquiry) -> int:
    return OutboxMessage.objects.filter(enquiry=enquiry, template="message").count()


def test_the_button_shows_for_who_may_send(make_case, coordinator, partner_user, manager):
    enquiry = make_case("in_progress")
    assert BUTTON in client_of(coordinator).get(page_url(enquiry)).content.decode()
    assert BUTTON in client_of(partner_user).get(page_url(enquiry)).content.decode()
    assert BUTTON not in client_of(manager).get(page_url(enquiry)).content.decode()
    Enquiry.objects.filter(pk=enquiry.pk).update(anonymised_at=timezone.now())
    assert BUTTON not in client_of(coordinator).get(page_url(enquiry)).content.decode()


def test_the_form_opens_as_a_fragment_for_htmx_and_as_the_whole_page_without(make_case, coordinator):
    enquiry = make_case("awaiting_reply")
    client = client_of(coordinator)
    fragment = client.get(message_url(enquiry), headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text
    assert 'for="msg-subject">Betreff' in text and 'for="msg-message">Nachricht' in text
    assert ">Nachricht senden</button>" in text and "csrfmiddlewaretoken" in text
    full = client.get(message_url(enquiry))
    assert full.status_code == 200 and "<html" in full.content.decode()
    assert 'for="msg-message">Nachricht' in full.content.decode()


def test_sending_writes_the_entry_and_the_mail_and_moves_nothing(make_case, partner_user):
    enquiry = make_case("in_progress")
    client = client_of(partner_user)
    response = client.post(message_url(enquiry), {"subject": "Hinweis", "message": "Ein Hinweis."})
    assert response.status_code == 303 and response["Location"] == page_url(enquiry)
    entry = Activity.objects.get(enquiry=enquiry, kind=Activity.Kind.EMAIL_OUT)
    assert (entry.text, entry.author, entry.public) == ("Ein Hinweis.", partner_user, True)
    assert OutboxMessage.objects.get(enquiry=enquiry, template="message").subject.endswith("] Hinweis")
    assert Enquiry.objects.get(pk=enquiry.pk).state == "in_progress"
    page = client.get(page_url(enquiry)).content.decode()
    assert f"Nachricht an {enquiry.contact_email} gesendet." in page


def test_a_header_injection_in_the_subject_is_said_at_the_field_and_nothing_is_sent(make_case, coordinator):
    enquiry = make_case("in_progress")
    response = client_of(coordinator).post(message_url(enquiry), {"subject": "Frage\r\nBcc: x@y", "message": "Hallo"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="msg-subject-error"' in html and "Zeilenumbrüche" in html
    assert 'aria-invalid="true"' in html
    assert sent(enquiry) == 0


def test_an_empty_message_is_said_at_the_field(make_case, coordinator):
    enquiry = make_case("in_progress")
    response = client_of(coordinator).post(message_url(enquiry), {"subject": "", "message": "  "})
    assert response.status_code == 400
    assert "Bitte eine Nachricht eingeben." in response.content.decode()
    assert sent(enquiry) == 0


def test_a_manager_gets_403_and_a_foreign_partner_404(make_case, manager, other_partner_user):
    enquiry = make_case("in_progress")
    assert client_of(manager).get(message_url(enquiry)).status_code == 403
    assert client_of(manager).post(message_url(enquiry), {"message": "x"}).status_code == 403
    assert client_of(other_partner_user).post(message_url(enquiry), {"message": "x"}).status_code == 404
    assert sent(enquiry) == 0


def test_an_anonymised_case_is_refused_on_the_form(make_case, coordinator):
    enquiry = make_case("in_progress")
    Enquiry.objects.filter(pk=enquiry.pk).update(anonymised_at=timezone.now())
    response = client_of(coordinator).post(message_url(enquiry), {"message": "Hallo"})
    assert response.status_code == 400
    assert sent(enquiry) == 0

"""The municipality's token endpoints and pages: status, reply, withdraw; escaping, CSRF, no token in logs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cases.models import Activity, Enquiry, TransitionLog
from core.logging import RedactTokensFilter

pytestmark = pytest.mark.django_db


def test_an_unknown_token_is_404_everywhere(anon_client):
    token = "x" * 32
    assert anon_client.get(f"/api/v1/public/enquiries/{token}/").status_code == 404
    assert anon_client.post(f"/api/v1/public/enquiries/{token}/reply/", {"message": "hi"}).status_code == 404
    assert anon_client.post(f"/api/v1/public/enquiries/{token}/withdraw/", {}).status_code == 404
    assert Client().get(f"/status/{token}/").status_code == 404


def test_the_public_status_shows_public_entries_only(anon_client, make_case):
    enquiry = make_case("awaiting_reply")
    data = anon_client.get(f"/api/v1/public/enquiries/{enquiry.public_token}/").json()
    assert data["state"] == "awaiting_reply"
    assert data["state_label"] == "wartet auf Rückmeldung"
    assert data["can_reply"] is True and data["can_withdraw"] is True
    assert [e["transition"] for e in data["timeline"]] == ["submit", "triage", "assign", "accept", "request_info"]
    assert "Zugewiesen an" not in str(data)  # the internal note
    assert "contact_email" not in data


def test_a_reply_to_an_ended_case_is_400_and_stores_nothing(anon_client, make_case):
    # at an open state a message is taken without a question (issue 13, item 18: tests/web/test_status_page.py)
    enquiry = make_case("resolved")
    before = Activity.objects.count()
    answer = anon_client.post(
        f"/api/v1/public/enquiries/{enquiry.public_token}/reply/", {"message": "Hallo"}, format="json"
    )
    assert answer.status_code == 400
    assert Activity.objects.count() == before


@pytest.mark.parametrize(
    "body", [{}, {"message": ""}, {"message": "a\x00b"}, {"message": 5}, {"message": "x" * 10_001}]
)
def test_a_bad_reply_is_400_naming_message(anon_client, make_case, body):
    enquiry = make_case("awaiting_reply")
    answer = anon_client.post(f"/api/v1/public/enquiries/{enquiry.public_token}/reply/", body, format="json")
    assert answer.status_code == 400
    assert "message" in answer.json()
    assert Enquiry.objects.get(pk=enquiry.pk).state == "awaiting_reply"


def test_withdraw_of_a_closed_enquiry_is_400(anon_client, make_case):
    enquiry = make_case("closed")
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        answer = anon_client.post(f"/api/v1/public/enquiries/{enquiry.public_token}/withdraw/", {}, format="json")
    assert answer.status_code == 400


def test_a_second_withdraw_right_after_the_first_is_a_409(anon_client, make_case):
    """GIVEN an enquiry withdrawn a moment ago WHEN the same step arrives again THEN 409: a lost race."""
    enquiry = make_case("closed")
    answer = anon_client.post(f"/api/v1/public/enquiries/{enquiry.public_token}/withdraw/", {}, format="json")
    assert answer.status_code == 409


def test_the_status_page_escapes_everything_and_offers_reply_and_withdraw(make_case):
    enquiry = make_case("awaiting_reply", subject="<script>alert(1)</script>")
    page = Client().get(f"/status/{enquiry.public_token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "wartet auf Rückmeldung" in html
    assert "Wie viele Einwohner?" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Antwort senden" in html and "Anfrage zurückziehen" in html


def test_the_status_page_forms_need_csrf(make_case):
    enquiry = make_case("awaiting_reply")
    client = Client(enforce_csrf_checks=True)
    answer = client.post(f"/status/{enquiry.public_token}/antwort/", {"message": "Hallo"})
    assert answer.status_code == 403
    assert Enquiry.objects.get(pk=enquiry.pk).state == "awaiting_reply"


def test_reply_and_withdraw_through_the_status_page(make_case):
    enquiry = make_case("awaiting_reply")
    client = Client()
    url = f"/status/{enquiry.public_token}/"
    answer = client.post(url + "antwort/", {"message": "Wir haben 12.000 Einwohner."}, follow=True)
    assert "Ihre Antwort ist eingegangen" in answer.content.decode()
    assert Enquiry.objects.get(pk=enquiry.pk).state == "in_progress"
    client.post(url + "zurueckziehen/")
    assert Enquiry.objects.get(pk=enquiry.pk).close_reason == "withdrawn"
    assert list(
        TransitionLog.objects.filter(enquiry=enquiry, by="municipality").values_list("transition", flat=True)
    ) == [
        "submit",
        "receive_reply",
        "withdraw",
    ]


def test_the_form_page_submits_and_thanks_with_reference(municipality, topic):
    client = Client()
    form = client.get("/anfrage/")
    assert form.status_code == 200
    html = form.content.decode()
    assert "/datenschutz/" in html and 'name="website"' in html and "mobilitaet" in html
    answer = client.post(
        "/anfrage/",
        {
            "municipality": municipality.ags,
            "municipality_search": "Bamberg",
            "contact_name": "Erika",
            "contact_email": "erika@bamberg.example",
            "subject": "Frage zum Radverkehr",
            "message": "Wie plant man Radwege?",
            "topics": ["mobilitaet"],
            "support_type": "workshop",
            "consent": "on",
        },
        follow=True,
    )
    enquiry = Enquiry.objects.get()
    assert enquiry.reference in answer.content.decode()
    assert f"/status/{enquiry.public_token}/" in answer.content.decode()


def test_the_form_refuses_a_filled_honeypot_and_missing_consent(municipality, topic):
    base = {
        "municipality": municipality.ags,
        "municipality_search": "Bamberg",
        "contact_name": "Erika",
        "contact_email": "erika@bamberg.example",
        "subject": "Frage zum Radverkehr",
        "message": "Wie plant man Radwege?",
        "support_type": "workshop",
    }
    assert Client().post("/anfrage/", {**base, "consent": "on", "website": "x"}).status_code == 400
    assert Client().post("/anfrage/", base).status_code == 400
    assert not Enquiry.objects.exists()


def test_the_home_page_links_to_the_form_and_the_staff_login():
    html = Client().get("/").content.decode()
    assert "/anfrage/" in html and "/anmelden/" in html


@pytest.mark.parametrize(
    "path",
    [
        "/status/{t}/",
        "/status/{t}/antwort/",
        "/status/{t}/zurueckziehen/",
        "/api/v1/public/enquiries/{t}/",
        "/api/v1/public/enquiries/{t}/reply/",
        "/api/v1/public/enquiries/{t}/withdraw/",
    ],
)
def test_the_token_never_reaches_the_log(make_case, path, caplog):
    """GIVEN a request line with a token WHEN it is logged through the redacting filter THEN no token."""
    token = make_case("new").public_token
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s', None, None)
    record.args = (f"GET {path.format(t=token)} HTTP/1.1", "200", "512")
    RedactTokensFilter().filter(record)
    assert token not in record.getMessage()


def test_a_404_warning_for_a_token_path_is_redacted(make_case, caplog):
    token = "y" * 32
    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().get(f"/status/{token}/")
    handler_filter = RedactTokensFilter()
    for record in caplog.records:
        handler_filter.filter(record)
        assert token not in record.getMessage()


def test_the_form_is_throttled_like_the_api(municipality, topic, settings, one_throttle_window):
    settings.SUBMIT_RATE = "1/minute"
    body = {
        "municipality": municipality.ags,
        "municipality_search": "Bamberg",
        "contact_name": "Erika",
        "contact_email": "erika@bamberg.example",
        "subject": "Frage zum Radverkehr",
        "message": "Wie plant man Radwege?",
        "support_type": "workshop",
        "consent": "on",
    }
    client = Client()
    assert client.post("/anfrage/", body).status_code == 302
    assert client.post("/anfrage/", {**body, "subject": "Eine ganz andere Frage"}).status_code == 429
    assert Enquiry.objects.count() == 1

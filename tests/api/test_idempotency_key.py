"""A double submit stores one enquiry (issue 13, item 13): the API's ``Idempotency-Key`` header and the public
form's hidden key return the first answer; the same key with another body is 422; the duplicate check holds
when two identical submissions without a key arrive at once (PostgreSQL: threads with their own connections)."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Enquiry, SubmissionKey

pytestmark = pytest.mark.django_db

URL = "/api/v1/enquiries/"


def _mails_to(address: str) -> int:
    return sum(1 for m in mail.outbox if m.to == [address])


def test_the_same_key_twice_gives_the_first_answer_and_stores_nothing_new(
    anon_client, submission, django_capture_on_commit_callbacks
):
    """GIVEN a submission with an Idempotency-Key WHEN it is sent again with the same key
    THEN the same status and body (the same reference and token), one enquiry, one confirmation mail."""
    with django_capture_on_commit_callbacks(execute=True):
        first = anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    with django_capture_on_commit_callbacks(execute=True):
        again = anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Enquiry.objects.count() == 1
    assert _mails_to(submission["contact_email"]) == 1


def test_the_same_key_with_another_body_is_422_and_stores_nothing(anon_client, submission):
    assert anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    other = anon_client.post(
        URL, {**submission, "subject": "Etwas ganz anderes"}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert other.status_code == 422, other.content
    assert other.json()["code"] == "idempotency_key_reused"
    assert Enquiry.objects.count() == 1


def test_without_a_key_every_submission_is_stored(anon_client, submission):
    """No key, no replay: the second is stored and marked as a likely duplicate (it was never refused)."""
    assert anon_client.post(URL, submission, format="json").status_code == 201
    assert anon_client.post(URL, submission, format="json").status_code == 201
    assert Enquiry.objects.count() == 2
    assert Enquiry.objects.filter(duplicate_of__isnull=False).count() == 1


def test_different_keys_are_different_submissions(anon_client, submission):
    assert anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY="a").status_code == 201
    assert anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY="b").status_code == 201
    assert Enquiry.objects.count() == 2


def test_a_failed_submission_keeps_no_key(anon_client, submission):
    """GIVEN a key sent with a bad body (400) WHEN the corrected body comes with the same key THEN 201."""
    bad = anon_client.post(URL, {**submission, "consent": False}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400
    assert anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201


@pytest.mark.parametrize("key", ["x" * 256, "schlüssel", "a b\n", " lead"])
def test_a_malformed_key_is_400_naming_the_header(anon_client, submission, key):
    answer = anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == "Idempotency-Key"
    assert Enquiry.objects.count() == 0


def test_a_key_expires_after_a_day_and_old_keys_are_deleted(anon_client, submission):
    assert anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        answer = anon_client.post(URL, submission, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert answer.status_code == 201
    assert Enquiry.objects.count() == 2
    assert SubmissionKey.objects.count() == 1


# --- the public form ------------------------------------------------------------------------------------------


@pytest.fixture
def form_data(municipality, topic):
    return {
        "municipality": municipality.ags,
        "municipality_search": "Bamberg (09461000)",
        "contact_name": "Erika Muster",
        "contact_email": "erika@bamberg.example",
        "subject": "Radverkehr in der Innenstadt",
        "message": "Wie habt ihr das Radnetz geplant?",
        "support_type": "contact",
        "consent": "on",
    }


def _form_key(client: Client) -> str:
    html = client.get("/anfrage/").content.decode()
    found = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert found, "the form carries a key made when it was drawn"
    return found.group(1)


def test_the_form_sent_twice_shows_the_same_confirmation_and_stores_one_enquiry(
    client, form_data, django_capture_on_commit_callbacks
):
    """GIVEN the form drawn once WHEN it is sent twice (a double click) THEN both lead to the thank-you page
    with the same reference, one enquiry, one confirmation mail."""
    key = _form_key(client)
    pages = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post("/anfrage/", {**form_data, "idempotency_key": key})
        assert sent.status_code == 302
        pages.append(client.get(sent["Location"]).content.decode())
    enquiry = Enquiry.objects.get()
    assert enquiry.reference in pages[0] and enquiry.reference in pages[1]
    assert _mails_to(form_data["contact_email"]) == 1


def test_each_drawing_of_the_form_has_its_own_key(client, form_data):
    assert _form_key(client) != _form_key(client)


def test_the_form_key_sent_again_with_other_content_is_422_with_a_fresh_key(client, form_data):
    key = _form_key(client)
    assert client.post("/anfrage/", {**form_data, "idempotency_key": key}).status_code == 302
    answer = client.post("/anfrage/", {**form_data, "subject": "Ganz andere Frage", "idempotency_key": key})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "bereits mit anderem Inhalt gesendet" in html
    fresh = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert fresh and fresh.group(1) != key
    assert Enquiry.objects.count() == 1


# --- at the same moment, on PostgreSQL --------------------------------------------------------------------------

THREADS = 6


def _at_once(work) -> list:
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL); SQLite runs one write transaction at a time")


@pytest.mark.django_db(transaction=True)
def test_one_key_sent_at_once_from_six_threads_stores_one_enquiry(submission, settings):
    """GIVEN PostgreSQL WHEN six requests with one key arrive at once (10 rounds, own connections)
    THEN exactly one enquiry per round, and all six got 201 with its reference."""
    _postgresql_only()
    settings.SUBMIT_RATE = "1000/minute"
    for n in range(10):
        body = {**submission, "subject": f"Radverkehr, Runde {n}"}

        def work(i: int, body=body, n=n) -> tuple[int, str]:
            answer = APIClient().post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=f"runde-{n}")
            return answer.status_code, answer.json().get("reference", "")

        results = _at_once(work)
        assert Counter(code for code, _ in results) == {201: THREADS}, results
        assert len({ref for _, ref in results}) == 1
        assert Enquiry.objects.filter(subject=body["subject"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_identical_submissions_without_a_key_at_once_mark_all_but_the_first_as_duplicates(submission, settings):
    """GIVEN PostgreSQL WHEN six identical submissions without a key arrive at once (10 rounds)
    THEN all are stored (the duplicate check marks, it does not refuse), one without duplicate_of and five
    marked as duplicates of an earlier one: the check cannot be raced."""
    _postgresql_only()
    settings.SUBMIT_RATE = "1000/minute"
    for n in range(10):
        body = {**submission, "contact_email": f"runde{n}@bamberg.example"}
        results = _at_once(lambda i, body=body: APIClient().post(URL, body, format="json").status_code)
        assert results == [201] * THREADS, results
        stored = Enquiry.objects.filter(contact_email=body["contact_email"]).order_by("created_at", "id")
        assert [e.duplicate_of_id is None for e in stored] == [True] + [False] * (THREADS - 1), n

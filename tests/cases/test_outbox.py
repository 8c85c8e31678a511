"""The outbox: written with the change, sent after commit, claimed before sending, retried, never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import MAX_ATTEMPTS, outbox_deliver, outbox_enqueue, outbox_retry, outbox_sweep
from tests.cases.conftest import broker_at

pytestmark = pytest.mark.django_db

CONTEXT = {"enquiry": None}


def _enqueue(**kwargs):
    from tests.factories import EnquiryFactory

    enquiry = kwargs.pop("enquiry", None) or EnquiryFactory()
    return outbox_enqueue(
        to="amt@gemeinde.example",
        template="confirmation",
        context={"enquiry": enquiry, "status_url": "http://testserver/status/x/"},
        enquiry=enquiry,
        **kwargs,
    )


def test_it_writes_the_message_in_the_callers_transaction_and_sends_it_after_commit(
    django_capture_on_commit_callbacks,
):
    """GIVEN a change that causes an e-mail
    WHEN its transaction commits
    THEN the row exists and the kicked task (eager) has sent it once."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue()
        assert len(mail.outbox) == 0, "nothing leaves before commit"
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amt@gemeinde.example"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_rolled_back_change_leaves_no_message():
    """GIVEN a change that enqueues an e-mail WHEN its transaction rolls back THEN there is no row to send."""
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue()
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0
    assert outbox_sweep() == 0
    assert mail.outbox == []


def test_a_message_is_claimed_once_so_a_second_delivery_sends_nothing():
    message = _enqueue()
    assert outbox_deliver(message_id=message.id) is True
    assert outbox_deliver(message_id=message.id) is False
    assert len(mail.outbox) == 1


def test_the_sweep_sends_what_is_pending_once_when_run_twice():
    """GIVEN three messages whose kick was lost WHEN the sweep runs twice THEN each is sent exactly once."""
    for _ in range(3):
        _enqueue()
    assert outbox_sweep() == 3
    assert outbox_sweep() == 0
    assert len(mail.outbox) == 3
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_the_sweep_sends_on_the_embedded_broker_task_in_eager_mode():
    from outbox.tasks import send_outbox_message, sweep_outbox

    first, second = _enqueue(), _enqueue()
    assert send_outbox_message.delay(first.id).get() is True
    assert sweep_outbox.delay().get() == 1
    assert {m.id for m in OutboxMessage.objects.filter(status="sent")} == {first.id, second.id}


def test_a_refusing_mail_server_leaves_the_message_pending_with_its_error_then_failed(settings):
    """GIVEN a mail server that refuses every connection
    WHEN the sweep runs through the backoff
    THEN the message goes back to pending with the error, and after the last attempt to failed."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    message = _enqueue()
    assert outbox_sweep() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert outbox_sweep() == 0, "not due again before its backoff"
    assert OutboxMessage.objects.get(id=message.id).attempts == 1

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(MAX_ATTEMPTS - 1):
            traveller.shift(timedelta(hours=1))
            outbox_sweep()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert message.last_error

    # the mail server is back and staff retry from the admin
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_retry(message_ids=[message.id]) == 1
    assert outbox_sweep() == 1
    assert len(mail.outbox) == 1


def test_a_claim_of_a_dead_worker_is_released_after_ten_minutes():
    message = _enqueue()
    OutboxMessage.objects.filter(id=message.id).update(status="sending", claimed_at=timezone.now())
    assert outbox_sweep() == 0, "a fresh claim belongs to a live worker"
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert outbox_sweep() == 1
    assert len(mail.outbox) == 1


def test_the_admin_shows_the_outbox_with_its_error_and_retries_failed_messages(admin_client):
    message = _enqueue()
    OutboxMessage.objects.filter(id=message.id).update(status="failed", last_error="SMTPRecipientsRefused: nope")
    page = admin_client.get("/admin/outbox/outboxmessage/")
    assert page.status_code == 200
    assert "SMTPRecipientsRefused" in page.content.decode()
    answer = admin_client.post(
        "/admin/outbox/outboxmessage/", {"action": "retry", "_selected_action": [message.id]}, follow=True
    )
    assert answer.status_code == 200
    assert OutboxMessage.objects.get(id=message.id).status in {"pending", "sent"}
    outbox_sweep()
    assert OutboxMessage.objects.get(id=message.id).status == "sent"


def test_a_dead_broker_does_not_fail_the_change_and_the_sweep_delivers_later(
    django_capture_on_commit_callbacks, caplog
):
    """GIVEN the broker is unreachable (a real connection to a closed port, not eager)
    WHEN a change enqueues an e-mail and commits
    THEN the commit succeeds, the kick failure is swallowed, and the sweep sends the message once."""
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    assert OutboxMessage.objects.get(id=message.id).status == "pending"
    # the sending is a deferred job (ops.jobs) whose kick failed: the job row stays for the periodic run
    assert "ops.jobs: could not queue a run" in caplog.text
    from ops.models import DeferredJob

    assert DeferredJob.objects.filter(name="outbox.send", key=str(message.id)).exists()
    assert outbox_sweep() == 1
    assert outbox_sweep() == 0
    assert len(mail.outbox) == 1


def test_every_sent_message_carries_the_reply_to_address_of_the_transferstelle(
    settings, django_capture_on_commit_callbacks
):
    """GIVEN the "closed" e-mail and the survey page that invite an answer by e-mail
    WHEN the outbox sends a message
    THEN it goes out from noreply@ but with Reply-To set to the KTS_REPLY_TO address."""
    settings.KTS_REPLY_TO = "Transferstelle <antwort@kts.invalid>"
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].reply_to == ["Transferstelle <antwort@kts.invalid>"]
    assert "Reply-To: Transferstelle <antwort@kts.invalid>" in mail.outbox[0].message().as_string()


def test_the_reply_to_address_has_a_default_that_is_not_the_noreply_sender():
    from django.conf import settings

    assert settings.KTS_REPLY_TO
    assert "noreply" not in settings.KTS_REPLY_TO

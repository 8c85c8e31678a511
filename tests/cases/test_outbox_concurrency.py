"""Two workers sweeping at the same moment on PostgreSQL: every message is sent exactly once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, connections

from outbox.models import OutboxMessage
from outbox.services import outbox_sweep
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_two_sweeps_at_once_send_each_message_exactly_once(settings):
    """GIVEN 40 committed pending messages
    WHEN two threads (two database connections) run the sweep at the same moment
    THEN every message is sent once: the compare-and-swap claim lets only one of them have it."""
    settings.EMAIL_BACKEND = "tests.cases.slow_mail.SlowEmailBackend"
    enquiry = f.EnquiryFactory()
    # rows as outbox_enqueue writes them, whose kick was lost (the broker was down)
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            template="confirmation", enquiry=enquiry, recipients=[f"amt{n}@gemeinde.example"], subject="s", text="t"
        )
        for n in range(40)
    )
    start = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait(timeout=10)
            sent.append(outbox_sweep())
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(sent) == 40
    assert all(count > 0 for count in sent), f"both sweeps should have sent some: {sent}"
    per_recipient = Counter(address for message in mail.outbox for address in message.to)
    assert len(per_recipient) == 40
    assert set(per_recipient.values()) == {1}
    assert OutboxMessage.objects.filter(status="sent").count() == 40

"""The same mail through both doors at once (the pipe and the IMAP poll): one row, the other call told it was
stored before. Needs PostgreSQL (real concurrent transactions); CI runs it there."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection

from conversation.models import InboundEmail
from conversation.receiving import Received, inbound_receive
from tests.conversation.conftest import sample

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs DATABASE_URL=postgres://..."
    ),
]


def both_doors_at_once(raw: bytes) -> tuple[list[Received], list[Exception]]:
    barrier = threading.Barrier(2)
    results: list[Received] = []
    errors: list[Exception] = []

    def door(source: str) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(inbound_receive(raw, source=source))
        except Exception as error:  # collected: an exception in a thread would otherwise be lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=door, args=(source,)) for source in ("pipe", "imap")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_two_doors_receiving_the_same_mail_at_once_store_it_once():
    # a few rounds: some meet at the unique index (IntegrityError in the savepoint), some at the first look-up
    for round_number in range(5):
        raw = sample("apple_de.eml").replace(b"5E1F2A3B", f"RACE{round_number}".encode())
        results, errors = both_doors_at_once(raw)
        assert errors == []
        assert sorted(result.created for result in results) == [False, True]
        assert len({result.email.pk for result in results}) == 1
    assert InboundEmail.objects.count() == 5

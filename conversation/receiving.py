"""Inbound mail, both doors (``manage.py receive_email`` and the IMAP poll) go through ``inbound_receive``.

(Being built: see issue 12.)"""

from __future__ import annotations

from dataclasses import dataclass

from conversation.models import InboundEmail


class InboundRefused(Exception):
    """The message cannot be stored (too large, not a mail at all): ``reason`` says why, in English for the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Received:
    email: InboundEmail
    created: bool  # False: the same Message-ID was stored before; nothing changed


def inbound_receive(raw: bytes, *, source: str) -> Received:
    """Store one RFC 5322 message, thread it and file it (or keep it for a coordinator). Idempotent per
    Message-ID. Raises InboundRefused for what cannot be stored; never anything else for bad input."""
    raise NotImplementedError

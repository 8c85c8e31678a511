"""Idempotency keys of submissions: a double submit stores one enquiry.

A client sends a key with its submission (the API's ``Idempotency-Key`` header; the public form a hidden
field made when the form was drawn). ``submission_once`` runs the submission once per key and door, stores
its answer with the key, and hands the same answer to every repetition, across processes (the key lives in
the database). Steps, in ONE transaction:

1. delete the keys older than KEY_LIFETIME (the index on ``created_at``; a key may be reused after that);
2. insert the key with the fingerprint of the body (inside a savepoint). The unique constraint makes a
   second request with the key wait until the first one commits (PostgreSQL waits on the index entry;
   SQLite runs one write transaction at a time), and then fail to insert:
   2a. its fingerprint differs -> KeyReused (422, as draft-ietf-httpapi-idempotency-key-header says: the
       same key for another request is a client error, not a conflict of state);
   2b. else -> the stored answer, nothing new stored, no second mail;
3. run the submission and store its answer with the key. If the submission fails (400), everything rolls
   back, the key too: the client may send it again, corrected.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Enquiry, SubmissionKey
from core.errors import GuardFailed, KeyReused

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def key_clean(value: Any, *, field: str) -> str | None:
    """None for no key; a key is 1-255 visible ASCII characters, else 400 naming ``field``."""
    if value is None or value == "":
        return None
    if (
        not isinstance(value, str)
        or len(value) > MAX_KEY_LENGTH
        or not value.isascii()
        or not value.isprintable()
        or value.strip() != value
    ):
        raise GuardFailed(
            _("Der Idempotenz-Schlüssel muss aus 1 bis 255 sichtbaren ASCII-Zeichen bestehen."), field=field
        )
    return value


def body_fingerprint(body: Any) -> str:
    """sha256 of the body as canonical JSON (keys sorted): the same fields give the same print."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def submission_once(
    *, door: str, key: str, fingerprint: str, submit: Callable[[], tuple[Enquiry, int, dict]]
) -> tuple[int, dict, bool]:
    """Run ``submit`` (returning the enquiry, the status and the body of the answer) at most once per key and
    door; returns (status, body, repeated). Steps in the module docstring."""
    now = timezone.now()
    with transaction.atomic():
        SubmissionKey.objects.filter(created_at__lt=now - KEY_LIFETIME).delete()
        try:
            with transaction.atomic():
                row = SubmissionKey.objects.create(door=door, key=key, fingerprint=fingerprint, created_at=now)
        except IntegrityError:
            first = SubmissionKey.objects.get(door=door, key=key)
            if first.fingerprint != fingerprint:
                raise KeyReused(
                    _("Dieser Idempotenz-Schlüssel wurde schon für eine andere Anfrage verwendet."),
                    field="Idempotency-Key",
                ) from None
            return first.status, first.response, True
        enquiry, status, body = submit()
        row.enquiry = enquiry
        row.status = status
        row.response = body
        row.save(update_fields=["enquiry", "status", "response"])
    return status, body, False

"""The IMAP door of inbound mail: one poll of the mailbox named by ``INBOUND_IMAP_URL`` hands each new message to
``conversation.receiving.inbound_receive`` (the same service as the MTA pipe) and marks it on the server.

Marks are keywords of ours, so the mailbox itself says what happened and a person reading it with a mail client
is not confused: stored (or a duplicate) -> ``\\Seen`` + ``KtsStored``; refused -> ``KtsRefused`` (left unread in
the mailbox, the reason in the log). A server that cannot keep custom keywords (no ``\\*`` in PERMANENTFLAGS) is
searched by UNSEEN instead and every handled message is marked ``\\Seen``.

Why it is safe to run again and again:

1. Only one poll at a time: a cache lock (``cache.add`` with a timeout, in the database cache shared by all
   processes); a second poll (two beat runs, the command beside the task) skips.
2. A bounded batch per poll (``BATCH`` messages, and no new message started after ``BUDGET_SECONDS``); the rest
   waits for the next minute.
3. The size is asked first (RFC822.SIZE): what is larger than INBOUND_MAX_BYTES is never downloaded.
4. Each message is fetched on its own (BODY.PEEK[], which sets no flag), so memory stays bounded by one mail.
5. ``inbound_receive`` dedupes by Message-ID: a crash between storing and marking stores nothing twice; the
   next poll finds the row, counts a duplicate and marks the message.
6. An error with one message is logged and the poll goes on with the next: one bad mail never blocks the
   mailbox. Only a broken connection ends the poll (the next one starts afresh).
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from imaplib import IMAP4
from urllib.parse import unquote, urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from imapclient import IMAPClient

from conversation.receiving import InboundRefused, inbound_receive

logger = logging.getLogger(__name__)

KEYWORD_STORED = "KtsStored"
KEYWORD_REFUSED = "KtsRefused"
SEEN = b"\\Seen"
BATCH = 100
BUDGET_SECONDS = 120  # well under Celery's soft time limit (240 s)
TIMEOUT_SECONDS = 60  # per IMAP command
LOCK_KEY = "conversation:imap-poll"


@dataclass(frozen=True)
class ImapMailbox:
    """Where to poll, as parsed from INBOUND_IMAP_URL."""

    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str

    @property
    def is_local(self) -> bool:
        """This machine (localhost, 127.0.0.0/8, ::1): the only place where plain imap:// is fine."""
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def __str__(self) -> str:  # for the log: never the password
        scheme = "imaps" if self.tls else "imap"
        return f"{scheme}://{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass
class PollResult:
    """What one poll did. ``skipped``: another poll held the lock; ``left``: new messages beyond the batch."""

    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    failed: int = 0
    left: int = 0
    skipped: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


def imap_url_parse(url: str) -> ImapMailbox:
    """``imaps://user:password@host:993/INBOX`` (TLS, verified) or ``imap://...`` (plain: localhost only).
    User and password are URL-decoded (write ``@`` as ``%40``); the folder defaults to INBOX. Raises
    ImproperlyConfigured naming what is wrong, never echoing the password."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("imap", "imaps"):
        raise ImproperlyConfigured("INBOUND_IMAP_URL: expected imaps://user:password@host:993/INBOX or imap://...")
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured("INBOUND_IMAP_URL: the port is not a number between 0 and 65535") from exc
    if not parts.hostname:
        raise ImproperlyConfigured("INBOUND_IMAP_URL: no host")
    if not parts.username or parts.password is None:
        raise ImproperlyConfigured("INBOUND_IMAP_URL: user and password are required (imaps://user:password@host)")
    tls = parts.scheme == "imaps"
    return ImapMailbox(
        host=parts.hostname,
        port=port or (993 if tls else 143),
        tls=tls,
        user=unquote(parts.username),
        password=unquote(parts.password),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def imap_poll(*, url: str | None = None, batch: int = BATCH) -> PollResult:
    """One poll of the mailbox (``url`` defaults to settings.INBOUND_IMAP_URL; empty: nothing to do). See the
    module docstring for the steps."""
    url = settings.INBOUND_IMAP_URL if url is None else url
    if not url:
        return PollResult()
    mailbox = imap_url_parse(url)
    with _poll_lock() as acquired:
        if not acquired:
            logger.info("imap: another poll of %s is running; skipped", mailbox)
            return PollResult(skipped=True)
        with _connect(mailbox) as client:
            result = _poll_folder(client, mailbox=mailbox, batch=batch)
    # every minute: only a poll that did something is worth a line at INFO
    logger.log(
        logging.INFO if any((result.stored, result.duplicates, result.refused, result.failed)) else logging.DEBUG,
        "imap: %s: %d stored, %d duplicates, %d refused, %d failed, %d left for the next poll",
        mailbox,
        result.stored,
        result.duplicates,
        result.refused,
        result.failed,
        result.left,
    )
    return result


@contextmanager
def _poll_lock() -> Iterator[bool]:
    token = uuid.uuid4().hex
    # longer than a poll can take under Celery's hard time limit; a crashed poll frees the lock after this
    timeout = getattr(settings, "CELERY_TASK_TIME_LIMIT", 300) + 60
    acquired = cache.add(LOCK_KEY, token, timeout=timeout)
    try:
        yield acquired
    finally:
        # free only our own lock (one that expired and was taken by the next poll stays)
        if acquired and cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def _ssl_context() -> ssl.SSLContext:
    """Certificate and host name verified, against the system's CAs or only INBOUND_IMAP_CAFILE's (a private CA
    or a self-signed server)."""
    return ssl.create_default_context(cafile=settings.INBOUND_IMAP_CAFILE or None)


@contextmanager
def _connect(mailbox: ImapMailbox) -> Iterator[IMAPClient]:
    if not mailbox.tls and not mailbox.is_local:
        logger.warning("imap: %s is plain IMAP to a host that is not this machine; use imaps://", mailbox)
    client = IMAPClient(
        mailbox.host,
        port=mailbox.port,
        ssl=mailbox.tls,
        ssl_context=_ssl_context() if mailbox.tls else None,
        timeout=TIMEOUT_SECONDS,
    )
    try:
        client.login(mailbox.user, mailbox.password)
        yield client
    finally:
        try:
            client.logout()
        except (IMAP4.error, OSError):
            client.shutdown()


def _poll_folder(client: IMAPClient, *, mailbox: ImapMailbox, batch: int) -> PollResult:
    selected = client.select_folder(mailbox.folder)
    permanent = set(selected.get(b"PERMANENTFLAGS", ()))
    keywords = b"\\*" in permanent or {KEYWORD_STORED.encode(), KEYWORD_REFUSED.encode()} <= permanent
    if keywords:
        criteria = ["UNKEYWORD", KEYWORD_STORED, "UNKEYWORD", KEYWORD_REFUSED]
    else:
        logger.warning("imap: %s keeps no keywords of ours; polling UNSEEN messages instead", mailbox)
        criteria = ["UNSEEN"]
    uids = sorted(client.search(criteria))
    result = PollResult(left=max(0, len(uids) - batch))
    uids = uids[:batch]
    if not uids:
        return result
    sizes = client.fetch(uids, ["RFC822.SIZE"])
    deadline = time.monotonic() + BUDGET_SECONDS
    for position, uid in enumerate(uids):
        if time.monotonic() > deadline:
            result.left += len(uids) - position
            break
        try:
            _handle(client, uid=uid, size=sizes.get(uid, {}).get(b"RFC822.SIZE"), keywords=keywords, result=result)
        except (IMAPClient.AbortError, OSError):
            raise  # the connection is gone: the next poll starts afresh
        except IMAP4.error:  # the server refused a command for this one message
            result.failed += 1
            logger.exception("imap: message uid %s in %s failed; left for the next poll", uid, mailbox)
    return result


def _handle(client: IMAPClient, *, uid: int, size: int | None, keywords: bool, result: PollResult) -> None:
    if size is None:
        return  # expunged since the search
    if size > settings.INBOUND_MAX_BYTES:
        _mark_refused(client, uid=uid, keywords=keywords)
        result.refused += 1
        logger.warning(
            "imap: message uid %s refused: %d bytes, more than INBOUND_MAX_BYTES (%d); not downloaded",
            uid,
            size,
            settings.INBOUND_MAX_BYTES,
        )
        return
    fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid)
    if fetched is None or b"BODY[]" not in fetched:
        return  # expunged since the search
    try:
        received = inbound_receive(fetched[b"BODY[]"], source="imap")
    except InboundRefused as refused:
        _mark_refused(client, uid=uid, keywords=keywords)
        result.refused += 1
        logger.warning("imap: message uid %s refused: %s", uid, refused.reason)
        return
    except SoftTimeLimitExceeded:
        raise  # Celery stops the task: no next message
    except Exception:  # not InboundRefused: a bug or the database; the next poll tries again
        result.failed += 1
        logger.exception("imap: message uid %s failed; left for the next poll", uid)
        return
    flags = [SEEN, KEYWORD_STORED.encode()] if keywords else [SEEN]
    client.add_flags([uid], flags)
    if received.created:
        result.stored += 1
    else:
        result.duplicates += 1
        logger.info("imap: message uid %s is a duplicate of inbound e-mail %s", uid, received.email.pk)


def _mark_refused(client: IMAPClient, *, uid: int, keywords: bool) -> None:
    # kept unread when we can mark it otherwise, so a person looking into the mailbox sees it
    client.add_flags([uid], [KEYWORD_REFUSED.encode()] if keywords else [SEEN])

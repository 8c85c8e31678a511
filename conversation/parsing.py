"""One inbound message, bytes in, a ``ParsedMail`` out: the headers we thread and file by, the text (whole and
without its quoted part), the attachments we may keep, and whether it is an auto-reply or a bounce.

Python's ``email`` package with ``policy.default`` reads the message. Mail from the outside is often broken, so
every step that can fail on bad input (a header, a charset, a base64 body, a MIME structure) is guarded: what
cannot be used is left out and named in ``problems`` (German, shown to staff with the mail), and only input that
is not a mail at all raises ``NotAMail``.

Decisions written down here:

- **Not a mail**: input in which not a single header line parses (``Name: value`` before the first empty line),
  e.g. an empty file, a PDF, a line of prose.
- **Auto-reply**: any of ``Auto-Submitted`` (other than ``no``), ``Precedence: bulk/junk/list``,
  ``X-Autoreply``, ``X-Autorespond``, ``X-Auto-Response-Suppress``. A subject like "Abwesenheitsnotiz" or
  "Out of Office" alone does NOT make a mail an auto-reply: every common responder sets one of the headers, and
  a person may well write such a subject; taking a real answer for an auto-reply would swallow the case's
  ``receive_reply``.
- **Bounce**: ``multipart/report; report-type=delivery-status``, or a mail from MAILER-DAEMON/postmaster with a
  ``message/delivery-status`` part. Its original (``message/rfc822`` or ``text/rfc822-headers``) gives the
  Message-ID of our outgoing mail; ``Final-Recipient``/``Original-Recipient`` the failing address,
  ``Diagnostic-Code``/``Status`` the reason.
- **Attachments**: parts with ``Content-Disposition: attachment``, and inline non-text parts with a file name.
  Kept only when BOTH the name's extension and the declared type are on the allow-list below
  (``application/octet-stream`` counts as "no type declared": many clients send PDFs so; the extension then
  decides). Archives and executables are never kept, so an archive bomb is never unpacked. A forwarded mail
  (``message/rfc822``) is kept as an ``.eml`` file; it is not searched for more attachments. A part above
  INBOUND_ATTACHMENT_MAX_BYTES is judged by its encoded length and never decoded.
- **From**: the From header's address; a Sender or envelope sender that differs is not checked (we cannot verify
  either; the address a person sees as the sender is the one that must be the case's contact).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, message_from_string, policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from django.conf import settings
from django.utils.translation import gettext as _

from conversation.attachments import ALLOWED_TYPES, UNTYPED, safe_filename
from conversation.quotes import strip_quotes
from conversation.text import CONTROL, clean

MESSAGE_ID_MAX = 255
_ADDRESS = re.compile(r"^[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[^\s@<>()\[\],;:\"]+$")
_ANGLE_ADDRESS = re.compile(r"<\s*([^<>\s]+@[^<>\s]+?)\s*>\s*(?:\([^()]*\))?\s*$")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:", re.MULTILINE)  # RFC 5322 field name: printable ASCII but ':'


class NotAMail(Exception):
    """The input is no RFC 5322 message at all (``reason`` in English, for the log and the exit message)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass
class Bounce:
    original_message_id: str  # with <>, as in our outbox ("" if the report did not carry it)
    recipient: str
    reason: str
    # of the returned original (our mail): its Reply-To carries the case key, its subject the reference
    original_subject: str = ""
    original_reply_to: list[str] = field(default_factory=list)


@dataclass
class ParsedMail:
    message_id: str  # normalised: no <>, at most 255 characters, "sha256:..." when missing or too long
    from_address: str = ""
    from_name: str = ""
    to_addresses: list[str] = field(default_factory=list)  # To and Cc
    recipients: list[str] = field(default_factory=list)  # To, Cc, Delivered-To, X-Original-To, Envelope-To
    subject: str = ""
    sent_at: datetime | None = None
    in_reply_to: list[str] = field(default_factory=list)  # with <>
    references: list[str] = field(default_factory=list)  # with <>, oldest first
    full_text: str = ""
    text: str = ""
    from_html: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    auto_reply: bool = False
    bounce: Bounce | None = None
    problems: list[str] = field(default_factory=list)


def normalise_message_id(value: str, raw: bytes = b"") -> str:
    """The Message-ID as stored: without <> and whitespace; too long -> "sha256:" + its hash; none -> "sha256:"
    + the hash of the raw bytes (the same bytes twice are the same mail)."""
    value = "".join(CONTROL.sub("", value or "").split()).strip("<>")
    if not value:
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    if len(value) > MESSAGE_ID_MAX:
        return "sha256:" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()
    return value


def message_ids(value: str) -> list[str]:
    """The ``<id>`` tokens of an In-Reply-To or References header (a bare id without <> is taken too)."""
    found = _MESSAGE_ID.findall(value or "")
    if not found and value and "@" in value and " " not in value.strip():
        found = [f"<{value.strip().strip('<>')}>"]
    return found[:50]


def parse_mail(raw: bytes) -> ParsedMail:
    if not raw or not raw.strip():
        raise NotAMail("empty input")
    start = raw.lstrip()
    if start.startswith(b"From "):  # an mbox envelope line before the headers
        start = start.split(b"\n", 1)[-1]
    if not _HEADER_LINE.match(start):
        raise NotAMail("no header lines: not an RFC 5322 message")
    msg = message_from_bytes(raw, policy=policy.default)
    if not list(msg.keys()):
        raise NotAMail("no header lines: not an RFC 5322 message")
    reader = _Reader(msg, raw)
    return reader.read()


class _Reader:
    def __init__(self, msg: EmailMessage, raw: bytes):
        self.msg = msg
        self.raw = raw
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    # --- headers ----------------------------------------------------------------------------------------------

    def header(self, name: str, msg: Message | None = None) -> str:
        msg = msg if msg is not None else self.msg
        try:
            value = msg.get(name)
            return "" if value is None else str(value)
        except Exception:  # a header the policy cannot parse: fall back to decoding its raw text
            self.problem(_("Kopfzeile %(name)s fehlerhaft") % {"name": name})
            for key, value in msg.raw_items():
                if key.lower() == name.lower():
                    return _decode_raw_header(value)
            return ""

    def addresses(self, *names: str) -> list[str]:
        """The addresses of these headers: from the policy's parsed address list where it has one (a display
        name never counts as an address), else from the header's text (Delivered-To and the like)."""
        found: list[str] = []
        for name in names:
            try:
                values = list(self.msg.get_all(name) or [])
            except Exception:
                values = [_decode_raw_header(v) for k, v in self.msg.raw_items() if k.lower() == name.lower()]
            for value in values:
                try:
                    parsed = getattr(value, "addresses", None)
                    candidates = (
                        [address.addr_spec for address in parsed]
                        if parsed is not None
                        else [address for _name, address in getaddresses([clean(str(value))])]
                    )
                except Exception:
                    candidates = []
                for address in candidates:
                    address = clean(address).strip("<>")
                    if _ADDRESS.match(address) and address.lower() not in (a.lower() for a in found):
                        found.append(address)
        return found

    def read(self) -> ParsedMail:
        from_name, from_address = self.sender()
        if not _ADDRESS.match(from_address) or len(from_address) > 254:
            self.problem(_("Kein lesbarer Absender (From)"))
            from_name, from_address = "", ""
        parsed = ParsedMail(
            message_id=normalise_message_id(self.header("Message-ID"), self.raw),
            from_address=from_address,
            from_name=clean(from_name, 200),
            to_addresses=self.addresses("To", "Cc"),
            recipients=self.addresses("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"),
            subject=clean(self.header("Subject"), 255),
            sent_at=self.date(),
            in_reply_to=message_ids(clean(self.header("In-Reply-To"))),
            references=message_ids(clean(self.header("References"))),
        )
        parsed.bounce = self.bounce()
        parsed.auto_reply = parsed.bounce is None and self.is_auto_reply()
        parsed.full_text, parsed.from_html, body_parts = self.body()
        parsed.text = strip_quotes(parsed.full_text)
        parsed.attachments = self.attachments(body_parts, skip_originals=parsed.bounce is not None)
        if self.msg.defects:
            self.problem(_("Fehlerhafter Aufbau der E-Mail (MIME)"))
        parsed.problems = self.problems
        return parsed

    def sender(self) -> tuple[str, str]:
        """(name, address) of the first From header, read from its raw text: an address is never an encoded
        word, so a display name that decodes to "Eve\r\nBcc: x@y" cannot pass for the address."""
        raw_from = next((str(v) for k, v in self.msg.raw_items() if k.lower() == "from"), "")
        raw_from = " ".join(raw_from.split())
        angle = _ANGLE_ADDRESS.search(raw_from)
        if angle:
            name, address = _decode_raw_header(raw_from[: angle.start()]), angle.group(1)
        else:
            try:
                name, address = parseaddr(raw_from)
            except Exception:
                name, address = "", ""
            name = _decode_raw_header(name)
        return clean(name).strip('"').strip(), clean(address)

    def date(self) -> datetime | None:
        value = clean(self.header("Date"))
        if not value:
            return None
        try:
            sent = parsedate_to_datetime(value)
        except Exception:
            self.problem(_("Datum unlesbar: %(value)s") % {"value": value[:60]})
            return None
        sent = sent.replace(tzinfo=UTC) if sent.tzinfo is None else sent
        if not 1970 <= sent.year <= 2200:  # a date the database may not hold (year 9999 in UTC-12 overflows)
            self.problem(_("Datum unlesbar: %(value)s") % {"value": value[:60]})
            return None
        return sent

    def is_auto_reply(self) -> bool:
        auto = clean(self.header("Auto-Submitted")).lower()
        if auto and auto.split(";")[0].strip() != "no":
            return True
        if clean(self.header("Precedence")).lower() in ("bulk", "junk", "list"):
            return True
        return any(name in self.msg for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"))

    # --- body ---------------------------------------------------------------------------------------------------

    def body(self) -> tuple[str, bool, set[int]]:
        """The text body (the plain part, else the HTML part made into text) and the ids of the parts used."""
        plain = html = None
        try:
            plain = self.msg.get_body(preferencelist=("plain",))
            html = self.msg.get_body(preferencelist=("html",))
        except Exception:
            self.problem(_("Fehlerhafter Aufbau der E-Mail (MIME)"))
        if plain is None and html is None and not self.msg.is_multipart() and self.msg.get_content_maintype() == "text":
            plain = self.msg  # a single text part get_body did not take (e.g. text/enriched)
        used = {id(part) for part in (plain, html) if part is not None}
        if plain is not None:
            text = self.part_text(plain)
            if text.strip() or html is None:
                return _normalise_text(text), False, used
        if html is not None:
            from conversation.html import html_to_text

            return _normalise_text(html_to_text(self.part_text(html))), True, used
        return "", False, used

    def part_text(self, part: Message) -> str:
        limit = settings.INBOUND_MAX_BYTES
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:
            self.problem(_("Text der E-Mail nicht dekodierbar"))
            payload = part.get_payload()
            data = payload.encode("utf-8", "replace") if isinstance(payload, str) else b""
        data = data[:limit]
        if any(
            type(d).__name__ in ("InvalidBase64CharactersDefect", "InvalidBase64PaddingDefect") for d in part.defects
        ):
            self.problem(_("Fehlerhafte Base64-Kodierung im Text"))
        declared = part.get_content_charset()
        charset = declared or "utf-8"
        try:
            codecs.lookup(charset)
        except LookupError:
            self.problem(_("Unbekannter Zeichensatz %(charset)s: als UTF-8 gelesen") % {"charset": clean(charset, 40)})
            charset = "utf-8"
        try:
            text = data.decode(charset)
        except UnicodeDecodeError:
            if declared is None:  # 8-bit text without a charset: German mail of old clients is Windows-1252
                text = data.decode("cp1252", errors="replace")
            else:
                text = data.decode(charset, errors="replace")
        if "\ufffd" in text:
            self.problem(_("Einige Zeichen waren nicht lesbar und wurden ersetzt"))
        return text

    # --- attachments --------------------------------------------------------------------------------------------

    def attachments(self, body_parts: set[int], *, skip_originals: bool) -> list[Attachment]:
        kept: list[Attachment] = []
        for part in self.leaves(self.msg, skip_originals=skip_originals):
            if id(part) in body_parts:
                continue
            try:
                disposition = part.get_content_disposition()
                raw_name = part.get_filename() or ""
            except Exception:
                disposition, raw_name = "attachment", ""
            content_type = part.get_content_type()
            is_message = content_type == "message/rfc822"
            if is_message and not raw_name:
                inner = part.get_payload(0) if part.is_multipart() else None
                raw_name = (clean(str(inner.get("Subject", "")), 80) if inner is not None else "") or "nachricht"
                raw_name += ".eml"
            if not is_message and not (
                disposition == "attachment" or (raw_name and part.get_content_maintype() != "text")
            ):
                continue
            name = safe_filename(raw_name, content_type)
            refused = self.refuse_reason(part, name, content_type)
            if refused is None and len(kept) >= settings.INBOUND_ATTACHMENTS_MAX:
                refused = _("mehr als %(count)s Anhänge") % {"count": settings.INBOUND_ATTACHMENTS_MAX}
            if refused:
                self.problem(_("Anhang %(name)s nicht gespeichert: %(reason)s") % {"name": name, "reason": refused})
                continue
            data = self.attachment_bytes(part, is_message)
            if data is None:
                self.problem(_("Anhang %(name)s nicht gespeichert: nicht dekodierbar") % {"name": name})
                continue
            if len(data) > settings.INBOUND_ATTACHMENT_MAX_BYTES:
                self.problem(_("Anhang %(name)s nicht gespeichert: zu groß") % {"name": name})
                continue
            extension = name.rsplit(".", 1)[-1].lower()
            declared = content_type if content_type in ALLOWED_TYPES[extension] else ALLOWED_TYPES[extension][0]
            kept.append(Attachment(name=name, content_type=declared, data=data))
        return kept

    def leaves(self, msg: Message, *, skip_originals: bool):
        """The parts that are not containers; a message/rfc822 part counts as one leaf (its own attachments
        stay inside it); in a bounce the returned original and the status report are no attachments."""
        if msg.get_content_type() == "message/rfc822" and msg is not self.msg:
            if not skip_originals:
                yield msg
            return
        if msg.get_content_type() in ("message/delivery-status", "text/rfc822-headers") and skip_originals:
            return
        if msg.is_multipart():
            payload = msg.get_payload()
            for part in payload if isinstance(payload, list) else []:
                yield from self.leaves(part, skip_originals=skip_originals)
        elif msg is not self.msg:
            yield msg

    def refuse_reason(self, part: Message, name: str, content_type: str) -> str | None:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        allowed = ALLOWED_TYPES.get(extension)
        if allowed is None or (content_type not in allowed and content_type != UNTYPED):
            return _("Dateityp nicht erlaubt")
        if content_type != "message/rfc822":
            encoded = part.get_payload()
            if isinstance(encoded, str):
                length = len(encoded) - encoded.count("\n") - encoded.count("\r") - encoded.count(" ")
                if part.get("Content-Transfer-Encoding", "").strip().lower() == "base64":
                    length = length * 3 // 4
                if length > settings.INBOUND_ATTACHMENT_MAX_BYTES:
                    return _("zu groß")
        return None

    def attachment_bytes(self, part: Message, is_message: bool) -> bytes | None:
        try:
            if is_message:
                inner = part.get_payload(0)
                return inner.as_bytes(policy=policy.default.clone(linesep="\r\n"))
            return part.get_payload(decode=True)
        except Exception:
            return None

    # --- bounces ------------------------------------------------------------------------------------------------

    def bounce(self) -> Bounce | None:
        msg = self.msg
        is_report = (
            msg.get_content_type() == "multipart/report"
            and (msg.get_param("report-type") or "").lower() == "delivery-status"
        )
        status_part = next((p for p in msg.walk() if p.get_content_type() == "message/delivery-status"), None)
        sender = self.header("From").lower()
        from_daemon = "mailer-daemon" in sender or "postmaster" in sender
        if not (is_report or (from_daemon and status_part is not None)):
            return None
        recipient = reason = ""
        if status_part is not None:
            recipient, reason = self.delivery_status(status_part)
        original: Message | None = None
        for part in msg.walk():
            try:
                if part.get_content_type() == "message/rfc822" and part.is_multipart():
                    original = part.get_payload(0)
                elif part.get_content_type() == "text/rfc822-headers":
                    original = message_from_string(part.get_content(), policy=policy.default)
            except Exception:
                original = None
            if original is not None:
                break
        bounce = Bounce(original_message_id="", recipient=recipient, reason=reason)
        if original is not None:
            ids = message_ids(clean(self.header("Message-ID", original)))
            bounce.original_message_id = ids[0] if ids else ""
            bounce.original_subject = clean(self.header("Subject", original), 255)
            try:
                pairs = getaddresses([clean(self.header("Reply-To", original))])
            except Exception:
                pairs = []
            bounce.original_reply_to = [a for _n, a in pairs if _ADDRESS.match(a)]
        return bounce

    def delivery_status(self, part: Message) -> tuple[str, str]:
        blocks = part.get_payload() if part.is_multipart() else []
        if not isinstance(blocks, list) or not blocks:
            try:
                text = part.get_payload(decode=True) or b""
                blocks = [message_from_bytes(b, policy=policy.default) for b in re.split(rb"\r?\n\r?\n", text)]
            except Exception:
                blocks = []
        recipient = reason = ""
        for block in blocks:
            final = clean(str(block.get("Final-Recipient", "") or block.get("Original-Recipient", "") or ""))
            if not final:
                continue
            address = final.split(";", 1)[-1].strip().strip("<>")
            diagnostic = clean(str(block.get("Diagnostic-Code", "") or ""))
            status = clean(str(block.get("Status", "") or ""))
            action = clean(str(block.get("Action", "") or "")).lower()
            if not recipient or action == "failed":
                recipient = address if _ADDRESS.match(address) else ""
                reason = clean(" ".join(x for x in (status, diagnostic.split(";", 1)[-1].strip()) if x), 500)
            if action == "failed":
                break
        return recipient, reason


def _decode_raw_header(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value.encode("ascii", "replace").decode("ascii") if isinstance(value, str) else ""


def _normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.strip("\n")

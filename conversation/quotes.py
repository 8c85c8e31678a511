"""The new part of a reply: the quoted mail below it and the signature cut off, for the timeline's ``text``
(``full_text`` keeps everything).

The library ``mail-parser-reply`` (MIT, maintained, German and English among its languages) finds where the
quoted mail begins: "Am … schrieb …:" (Thunderbird, Apple Mail; also wrapped over two lines), "On … wrote:"
(Gmail), Outlook's "Von: … Gesendet: … An: … Betreff: …" / "From: … Sent: …" block. Of its result we take the
first reply's whole ``content`` and NOT its ``body``: the body also cuts greetings ("Mit freundlichen Grüßen",
which belongs to the message) and every line that starts with "- " (a bullet list), which would lose text.
Around it, own rules the library lacks: the RFC 3676 signature separator ``-- `` cuts the rest, a leftover
"-----Ursprüngliche Nachricht-----" / "-----Original Message-----" / "____" line is dropped, and lines
starting with ">" (quoted text) go. The library strips each line's leading blanks (indentation is lost in the
timeline text; the full text keeps it). Nothing left -> the whole text, so a mail never shows as empty.
"""

from __future__ import annotations

import logging
import re

from mailparser_reply import EmailReplyParser

logger = logging.getLogger("conversation")

# the library's regular expressions are run on the first part of a long mail only
_LIBRARY_LIMIT = 100_000
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(Ursprüngliche Nachricht|Original Message|Weitergeleitete Nachricht|Forwarded message)\s*-{2,}"
    r"|_{8,})\s*$",
    re.IGNORECASE,
)


def strip_quotes(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line == "-- " or line == "--":  # the signature separator (some clients lose its blank)
            lines = lines[:index]
            break
    reply = "\n".join(lines)
    if len(reply) <= _LIBRARY_LIMIT:
        try:
            parsed = EmailReplyParser(languages=["de", "en"]).read(reply)
            reply = parsed.replies[0].content if parsed.replies else reply
        except Exception:  # a library failure must not lose the mail; the whole text is kept then
            logger.warning("mail-parser-reply failed; the quoted part stays in the text", exc_info=True)
    kept: list[str] = []
    for line in reply.split("\n"):
        if line.lstrip().startswith(">"):
            continue
        if _SEPARATOR.match(line):
            break
        kept.append(line.rstrip())
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return result or text.strip()

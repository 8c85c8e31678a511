"""One line of text from a mail header, safe to store and to show."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def clean(value: str, limit: int | None = None) -> str:
    """One line: control characters (a CR/LF smuggled in through an encoded word) become a space; raw 8-bit
    header bytes (kept by the parser as surrogates) are read as UTF-8, what is not UTF-8 becomes U+FFFD."""
    try:
        value = (value or "").encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate not from the parser (e.g. decoded from a UTF-16 word)
        value = value.encode("utf-8", "replace").decode("utf-8", "replace")
    value = " ".join(CONTROL.sub(" ", value or "").split())
    return value[:limit] if limit else value

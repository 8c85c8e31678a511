"""Text normalisation shared by search, auto-tagging and matching."""

from __future__ import annotations

import unicodedata

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


# Characters that show nothing: format characters (zero-width space and joiners, word joiner, BOM, soft hyphen,
# direction marks) and every kind of Unicode space.
_INVISIBLE_CATEGORIES = {"Cf", "Zs", "Zl", "Zp"}


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def invisible_strip(text: str) -> str:
    """``text`` without invisible characters at its ends: a subject of zero-width spaces is empty, like one of
    blanks (``str.strip()`` keeps U+200B, U+2060, U+FEFF and the soft hyphen). Inside the text they stay."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def fold(text: str) -> str:
    """Lower-case, German umlauts written out (ä -> ae, ß -> ss), other accents dropped.

    "München", "Muenchen" and "MUNCHEN" all fold to a form that a LIKE search on the folded column finds:
    "muenchen" for the first two; a search term is folded the same way, and "munchen" is tried too.
    """
    lowered = text.casefold().translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

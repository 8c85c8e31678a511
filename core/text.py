"""Text normalisation shared by search, auto-tagging and matching."""

from __future__ import annotations

import unicodedata

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def fold(text: str) -> str:
    """Lower-case, German umlauts written out (ä -> ae, ß -> ss), other accents dropped.

    "München", "Muenchen" and "MUNCHEN" all fold to a form that a LIKE search on the folded column finds:
    "muenchen" for the first two; a search term is folded the same way, and "munchen" is tried too.
    """
    lowered = text.casefold().translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

"""Topic auto-tagging: an enquiry without topics gets the topics whose keywords its text mentions.

Both sides go through the same German Snowball stemmer, which also maps written-out umlauts and ß ("ae",
"ss") onto the same stem as "ä" and "ß", so "Bürgerbeteiligung", "Buergerbeteiligung" and
"BÜRGERBETEILIGUNG" all match the keyword "Bürgerbeteiligung". A keyword stem of at least five letters also
matches inside a compound ("Mobilität" in "Mobilitätsplattform").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

from catalogue.models import Topic

MAX_TOPICS = 3
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("german")


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word.casefold().replace("ẞ", "ss"))


def text_stems(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text)]


def _keyword_hits(keyword: str, stems: list[str], joined: str) -> int:
    parts = text_stems(keyword)
    if not parts:
        return 0
    if len(parts) > 1:
        return joined.count(" " + " ".join(parts) + " ")
    stem = parts[0]
    if len(stem) >= 5:
        return sum(1 for s in stems if stem in s)
    return sum(1 for s in stems if s == stem)


def topics_for_text(*, text: str, topics: Iterable[Topic] | None = None) -> list[Topic]:
    """The topics whose keywords (or names) the text mentions, most hits first, at most MAX_TOPICS."""
    stems = text_stems(text)
    joined = " " + " ".join(stems) + " "
    scored: list[tuple[int, str, Topic]] = []
    for topic in topics if topics is not None else Topic.objects.all():
        words = [*(topic.keywords or []), topic.name_de]
        hits = sum(_keyword_hits(str(w), stems, joined) for w in words if w)
        if hits:
            scored.append((hits, topic.slug, topic))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [topic for _hits, _slug, topic in scored[:MAX_TOPICS]]

"""Per-process memory of the catalogue rows the public submission reads on every request: one municipality by
its official key and a few topics by slug (two round trips of each submission otherwise).

The directory and the taxonomy change only through an import or the back office. A save or delete of a row in
this process empties the memory (signals, connected in ``CatalogueConfig.ready``); what another process changed
(or an import's ``QuerySet.update``) is seen within ``LOOKUP_TTL``. A key not in memory is read from the
database, so a new row is found at once; an unknown key is never remembered.
"""

from __future__ import annotations

import time
from typing import Any

from catalogue.models import Municipality, Topic

LOOKUP_TTL = 60.0
MAX_MUNICIPALITIES = 4_096

_municipalities: dict[str, tuple[float, Municipality]] = {}
_topics: dict[str, tuple[float, Topic]] = {}


def lookups_forget(**_kwargs: Any) -> None:
    """Empty the memory (a receiver of post_save/post_delete of Municipality and Topic; tests call it too)."""
    _municipalities.clear()
    _topics.clear()


def municipality_by_ags(ags: str) -> Municipality | None:
    now = time.monotonic()
    found = _municipalities.get(ags)
    if found is not None and now - found[0] < LOOKUP_TTL:
        return found[1]
    municipality = Municipality.objects.filter(ags=ags).first()
    if municipality is not None:
        if len(_municipalities) >= MAX_MUNICIPALITIES:
            _municipalities.clear()
        _municipalities[ags] = (now, municipality)
    return municipality


def topics_by_slugs(slugs: list[str]) -> list[Topic]:
    """The topics of these slugs that exist (an unknown slug is left out, as a filter would)."""
    now = time.monotonic()
    wanted = sorted(set(slugs))
    known = {slug: hit[1] for slug in wanted if (hit := _topics.get(slug)) is not None and now - hit[0] < LOOKUP_TTL}
    missing = [slug for slug in wanted if slug not in known]
    if missing:
        for topic in Topic.objects.filter(slug__in=missing):
            _topics[topic.slug] = (now, topic)
            known[topic.slug] = topic
    return [known[slug] for slug in wanted if slug in known]

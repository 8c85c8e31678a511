"""The API's JSON parser: DRF's, with a bound on nesting. Python's json module raises RecursionError (not a
ValueError, so DRF answered 500) for about a thousand levels; no body of ours nests deeper than a few, so
anything beyond MAX_DEPTH is a 400 before a serializer walks it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _depth_exceeds(data, limit: int) -> bool:
    """Walk without recursion: True when lists or objects nest deeper than ``limit``."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("Der JSON-Inhalt ist zu tief verschachtelt.")) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("Der JSON-Inhalt ist zu tief verschachtelt."))
        return data

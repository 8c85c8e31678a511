"""Fields the API's bodies share."""

from __future__ import annotations

import re

from rest_framework import serializers

from core.text import invisible_strip

_WHOLE_NUMBER = re.compile(r"\s*[-+]?[0-9]+\s*")


class StrictCharField(serializers.CharField):
    """A text field that takes text only: DRF's CharField turns a JSON number or true into "12" or "True";
    invisible characters at the ends (zero-width spaces, BOM, soft hyphen) are trimmed like blanks, so a subject
    of only such characters is empty."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(invisible_strip(data) if self.trim_whitespace else data)


class AsciiIntegerField(serializers.IntegerField):
    """An integer written with the digits 0-9: DRF's IntegerField calls int(), which reads the Arabic-Indic
    "٢" as 2 (an id the client never meant)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not _WHOLE_NUMBER.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)

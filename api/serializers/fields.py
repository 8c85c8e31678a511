"""Fields the API's bodies share."""

from __future__ import annotations

import re

from rest_framework import serializers

_WHOLE_NUMBER = re.compile(r"\s*[-+]?[0-9]+\s*")


class AsciiIntegerField(serializers.IntegerField):
    """An integer written with the digits 0-9: DRF's IntegerField calls int(), which reads the Arabic-Indic
    "٢" as 2 (an id the client never meant)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not _WHOLE_NUMBER.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)

"""Keeps public tokens out of the logs: the request line of /status/<token>/ and similar URLs is redacted."""

from __future__ import annotations

import logging
import re

# Token paths: /api/v1/public/enquiries/<token>/, /status/<token>/, /vermittlung/<token>/, /umfrage/<token>/
_TOKEN_IN_PATH = re.compile(
    r"(/(?:public/enquiries|status|vermittlung|umfrage|introductions|surveys)/)[A-Za-z0-9_\-]{16,}"
)


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request_path = redact(request.path)
        return True

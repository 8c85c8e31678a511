"""Keeps public tokens out of the logs: the request line of /status/<token>/ and similar URLs is redacted, and
secrets or e-mail addresses in a query string. Django's loggers use the filter below; gunicorn's access log the
logger class of ops.gunicorn."""

from __future__ import annotations

import logging
import re

# Token paths: /api/v1/public/enquiries/<token>/, /status/<token>/, /vermittlung/<token>/, /umfrage/<token>/
_TOKEN_IN_PATH = re.compile(
    r"(/(?:public/enquiries|status|vermittlung|umfrage|introductions|surveys)/)[A-Za-z0-9_\-]{16,}"
)


# Personal data or secrets in a query string: ?email=, ?token=, ?key=
_SECRET_IN_QUERY = re.compile(r"((?:^|[?&;])(?:email|e-mail|token|key|password)=)[^&;\s\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    return _SECRET_IN_QUERY.sub(r"\1[redacted]", _TOKEN_IN_PATH.sub(r"\1[token]", text))


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

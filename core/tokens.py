"""The shape of the link tokens (``secrets.token_urlsafe``): checked before a token reaches the database, so
that anything else in the path (a NUL byte is a DataError on PostgreSQL, not a miss) is an ordinary 404."""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def token_shaped(token: Any) -> bool:
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None

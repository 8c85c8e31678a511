"""One reader for configuration from the environment.

Every value is read through these functions so that a bad value stops the process at start-up with a message
that names the variable, instead of failing later in a request. A secret may also come from ``NAME_FILE``
(a path whose content is the value), as container platforms mount secrets.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_raw(name: str) -> str | None:
    """The value of NAME, or the content of the file named by NAME_FILE, or None."""
    if name in os.environ:
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name!r}: {exc}") from exc
    return None


def env_str(name: str, default: str | None = None) -> str | None:
    value = env_raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env_raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = env_raw(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as ``20/hour``."""
    value = (env_raw(name) or default).strip()
    number, _, period = value.partition("/")
    if not number.isdigit() or not period or period[0] not in "smhd":
        raise ImproperlyConfigured(f"{name}: expected a rate such as 20/hour, got {value!r}")
    return value


def parse_database_url(url: str, *, name: str = "DATABASE_URL") -> dict:
    """Turn ``postgres://user:pw@host:port/db`` or ``sqlite:///path`` into a Django DATABASES entry."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path, as SQLAlchemy and dj-database-url read them.
        path = unquote(url.split("://", 1)[1][1:]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ImproperlyConfigured(f"{name}: sqlite URL without a file path: {url!r}")
        return sqlite_database(path)
    if scheme in {"postgres", "postgresql", "pgsql"}:
        database = unquote(parsed.path.lstrip("/"))
        if not database:
            raise ImproperlyConfigured(f"{name}: PostgreSQL URL without a database name: {url!r}")
        try:
            port = parsed.port
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: bad port in {url!r}") from exc
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"{name}: unsupported scheme {scheme!r} in {url!r} (use postgres://... or sqlite:///...)"
    )


def sqlite_database(path: str) -> dict:
    """SQLite set up for parallel web requests: WAL, a busy timeout and write transactions that take the
    write lock at BEGIN (IMMEDIATE), so that two writers queue instead of failing with "database is locked"
    when one of them upgrades a read lock."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
            ),
        },
    }


def parse_email_url(url: str, *, name: str = "EMAIL_URL") -> dict:
    """``smtp://user:pw@host:port`` (``smtp+tls://`` for STARTTLS, ``smtps://`` for TLS) or ``console://``."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(f"{name}: unsupported scheme in {url!r} (use smtp://host:port or console://)")
    if not parsed.hostname:
        raise ImproperlyConfigured(f"{name}: no host in {url!r}")
    try:
        port = parsed.port or (465 if parsed.scheme == "smtps" else 25)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: bad port in {url!r}") from exc
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_TIMEOUT": 10,
    }


def parse_redis_url(url: str, *, name: str = "REDIS_URL") -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"redis", "rediss"} or not parsed.hostname:
        raise ImproperlyConfigured(f"{name}: expected redis://host:port/db, got {url!r}")
    try:
        parsed.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: bad port in {url!r}") from exc
    return url

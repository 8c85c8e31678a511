"""The one environment reader: bad values stop the start with a message that names the variable."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from settings import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def environ(monkeypatch):
    def set_(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key, value)

    return set_


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_booleans_are_read_in_the_usual_spellings(environ, raw, expected):
    environ(KTS_FLAG=raw)

    assert env.env_bool("KTS_FLAG") is expected


def test_a_bad_boolean_names_the_variable(environ):
    environ(DEBUG="vielleicht")

    with pytest.raises(ImproperlyConfigured, match="DEBUG: expected true or false, got 'vielleicht'"):
        env.env_bool("DEBUG")


def test_a_bad_number_and_a_too_small_number_are_refused(environ):
    environ(KTS_N="zwei", KTS_M="0")

    with pytest.raises(ImproperlyConfigured, match="KTS_N: expected a whole number"):
        env.env_int("KTS_N", 1)
    with pytest.raises(ImproperlyConfigured, match="KTS_M: must be at least 1"):
        env.env_int("KTS_M", 1, minimum=1)


@pytest.mark.parametrize("rate", ["zwanzig/hour", "20", "20/fortnightly", "/hour"])
def test_a_bad_throttle_rate_is_refused(environ, rate):
    environ(SUBMIT_RATE=rate)

    with pytest.raises(ImproperlyConfigured, match="SUBMIT_RATE"):
        env.env_rate("SUBMIT_RATE", "20/hour")


def test_a_secret_is_read_from_a_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-aus-datei\n", encoding="utf-8")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))

    assert env.env_str("SECRET_KEY") == "s3cr3t-aus-datei"


def test_an_unreadable_secret_file_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "fehlt"))

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE: cannot read"):
        env.env_str("SECRET_KEY")


def test_a_database_url_for_postgresql_becomes_a_django_database():
    db = env.parse_database_url("postgres://kts:pa%40ss@db.example:5433/kts?sslmode=require")

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "kts",
        "kts",
        "pa@ss",
        "db.example",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_is_set_up_for_parallel_writers():
    db = env.parse_database_url("sqlite:///var/demo.sqlite3")

    assert db["NAME"] == "var/demo.sqlite3"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"] and db["OPTIONS"]["timeout"] >= 5


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "unsupported scheme 'mysql'"),
        ("postgres://u@h:5432/", "without a database name"),
        ("postgres://u@h:port/db", "bad port"),
        ("sqlite://", "without a file path"),
        ("kaputt", "unsupported scheme"),
    ],
)
def test_a_bad_database_url_names_the_problem(url, message):
    with pytest.raises(ImproperlyConfigured, match=f"DATABASE_URL: .*{message}"):
        env.parse_database_url(url)


def test_email_urls():
    smtp = env.parse_email_url("smtp+tls://user:pw@mail.example:587")

    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_USE_TLS"]) == ("mail.example", 587, True)
    assert env.parse_email_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env.parse_email_url("pop3://mail.example")


@pytest.mark.parametrize("url", ["http://localhost:6379", "redis://", "redis://h:notaport/0"])
def test_a_bad_redis_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.parse_redis_url(url)


def _django_check(settings_module: str, **extra: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "REDIS_URL", "DEBUG", "ALLOWED_HOSTS", "EMAIL_URL"}
    }
    environment.update({"DJANGO_SETTINGS_MODULE": settings_module, **extra})
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _django_check("settings.production")

    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_starts_with_a_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("x" * 60, encoding="utf-8")

    result = _django_check(
        "settings.production", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="kts.example", EMAIL_URL="smtp://mail:25"
    )

    assert result.returncode == 0, result.stderr


def test_a_bad_database_url_stops_the_start_with_the_variable_named():
    result = _django_check("settings.local", DATABASE_URL="mysql://u@h/db")

    assert result.returncode != 0
    assert "DATABASE_URL: unsupported scheme 'mysql'" in result.stderr


def test_a_bad_debug_value_stops_the_start():
    result = _django_check("settings.local", DEBUG="jein")

    assert result.returncode != 0 and "DEBUG: expected true or false" in result.stderr


def test_the_default_is_german_first_berlin_time_and_an_embedded_broker(settings):
    assert settings.LANGUAGE_CODE in {"de", "de-de"} or settings.LANGUAGES[0][0] == "de"
    assert [code for code, _ in settings.LANGUAGES] == ["de", "en"]
    assert settings.TIME_ZONE == "Europe/Berlin"
    if not os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("sqla+sqlite:///")
    assert settings.CELERY_TASK_SERIALIZER == "json" and settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT > 0


def test_the_production_settings_pass_the_security_part_of_the_deploy_check(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="kts.example",
        EMAIL_URL="smtp://mail.kts.example:25",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr


# --- issue 13, item 4: production defaults that fail safe -------------------------------------------------------


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "ALLOWED_HOSTS", "EMAIL_URL", "DATABASE_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="kts.example",
        EMAIL_URL="smtp://mail.kts.example:25",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        KTS_VAR_DIR=str(tmp_path),
    )
    environment.update(extra)
    return {key: value for key, value in environment.items() if value != ""}


def _run(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False)


def test_production_refuses_to_start_without_a_mail_server(tmp_path):
    """Mails with live links must not go to stdout: without EMAIL_URL production does not start."""
    result = _run([sys.executable, "manage.py", "check"], _production_env(tmp_path, EMAIL_URL=""))

    assert result.returncode != 0
    assert "EMAIL_URL must be set in production" in result.stderr


def test_seed_demo_and_load_data_refuse_to_run_in_production(tmp_path):
    environment = _production_env(tmp_path)
    for command in (["seed_demo"], ["generate_load_data", "--enquiries", "10"]):
        result = _run([sys.executable, "manage.py", *command], environment)

        assert result.returncode != 0
        assert "nicht in die Produktion" in result.stderr


def test_the_production_wsgi_and_celery_entry_points_load(tmp_path):
    """The documented entry points (settings.wsgi:application, settings.celery:app) load with the production
    settings and nothing else set."""
    script = (
        "import settings.wsgi as w, settings.celery as c;"
        "from django.conf import settings as s;"
        "print(s.SETTINGS_MODULE, callable(w.application), c.app.main, s.EMAIL_BACKEND, s.KTS_DEMO_ALLOWED)"
    )
    result = _run([sys.executable, "-c", script], _production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "settings.production",
        "True",
        "kts",
        "django.core.mail.backends.smtp.EmailBackend",
        "False",
    ]

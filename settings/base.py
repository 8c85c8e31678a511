"""Settings shared by every environment. Everything that differs between machines comes from the
environment through ``settings.env``."""

from __future__ import annotations

import secrets
from pathlib import Path

from settings.env import (
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    parse_database_url,
    parse_email_url,
    parse_redis_url,
    sqlite_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KTS_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The catalogue files (municipalities.csv, model_projects.csv, model_project_measures.csv) with their
# SOURCES.md: the team's shared data folder beside the checkout (../shared/data); KTS_DATA_DIR points elsewhere.
SHARED_DATA_DIR = Path(env_str("KTS_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))


def _development_secret() -> str:
    """A per-checkout secret kept under var/, so that no secret lives in the code."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("SECRET_KEY") or _development_secret()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
KTS_BASE_URL = (env_str("KTS_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # the layers, bottom to top (.importlinter); core is a plain package
    "ops",
    "catalogue",
    "outbox",
    "cases",
    "matching",
    "conversation",
    "events",
    "stats",
    "privacy",
    # the doors on top
    "backoffice",
    "devtools",
    "api",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.headers.ContentSecurityPolicyMiddleware",
    "api.middleware.BodySizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.headers.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content-Security-Policy (django-csp, issue 13 item 5): our pages load scripts and styles from our static
# files only, no inline code. The admin, the browsable API and the API docs get a relaxed policy
# (core.headers.RELAXED_DIRECTIVES); Cache-Control: no-store comes from core.headers.NoStoreMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

ROOT_URLCONF = "settings.urls"
WSGI_APPLICATION = "settings.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.workspace",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
DATABASES = {
    "default": parse_database_url(_database_url) if _database_url else sqlite_database(str(VAR_DIR / "kts.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# the covering index of the queue counts (cases.models.Enquiry) names INCLUDE columns, which SQLite ignores
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:staff-home"

LANGUAGE_CODE = "de"
# each language named in its own tongue, as language pickers do
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # inbound e-mails (the original message) and their attachments; any storage backend in production
    "mail": {
        "BACKEND": env_str("MAIL_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(VAR_DIR / "mail")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Request bodies: the API answers 413 above this size (see api.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("KTS_MAX_BODY_BYTES", 64 * 1024, minimum=1024)

# --- e-mail -----------------------------------------------------------------------------------------------
_email_url = env_str("EMAIL_URL")
globals().update(parse_email_url(_email_url) if _email_url else parse_email_url("console://"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Transferstelle Smart Cities <noreply@kts.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The "closed" e-mail and the survey page invite an answer by e-mail; noreply@ cannot take one.
KTS_REPLY_TO = env_str("REPLY_TO_EMAIL", "Transferstelle Smart Cities <transferstelle@kts.invalid>")

# seed_demo and generate_load_data run only where this is true (production sets it False)
KTS_DEMO_ALLOWED = True

# --- the e-mail conversation (SPEC section 10) ----------------------------------------------------------------
# Mail to a municipality carries Reply-To: <local>+<case key>@<domain> of this address; inbound mail arrives
# through `manage.py receive_email` (an MTA pipe) or by polling INBOUND_IMAP_URL (imaps://user:pw@host:993/INBOX).
INBOUND_EMAIL_ADDRESS = env_str("INBOUND_EMAIL_ADDRESS", "transferstelle@kts.invalid")
INBOUND_IMAP_URL = env_str("INBOUND_IMAP_URL", "")
# imaps:// verifies the server's certificate against the system's CAs, or only against this PEM file (a private CA)
INBOUND_IMAP_CAFILE = env_str("INBOUND_IMAP_CAFILE", "")
# a message above this size is refused (the MTA bounces it); attachments above their limit are not stored
INBOUND_MAX_BYTES = env_int("INBOUND_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)
INBOUND_ATTACHMENT_MAX_BYTES = env_int("INBOUND_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
INBOUND_ATTACHMENTS_MAX = env_int("INBOUND_ATTACHMENTS_MAX", 20, minimum=1)

# --- REST framework ---------------------------------------------------------------------------------------
SUBMIT_RATE = env_rate("SUBMIT_RATE", "20/hour")
LOGIN_RATE = env_rate("LOGIN_RATE", "10/minute")
# Anonymous reads of the public catalogue (topics, municipality search, model projects, partners).
CATALOGUE_RATE = env_rate("CATALOGUE_RATE", "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    # DRF's JSON parser with a bound on nesting (3,000 levels were a RecursionError, a 500)
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exception_handlers.domain_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "submit": SUBMIT_RATE,
        "login": LOGIN_RATE,
        "public": "120/minute",
        "catalogue": CATALOGUE_RATE,
    },
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, minimum=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Transferstelle CRM API",
    "DESCRIPTION": "Anfragen, Vermittlung und Transferstatistik der Koordinierungs- und Transferstelle "
    "Modellprojekte Smart Cities.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # several serializers have a field "kind"; the decision's effect gets a name of its own
    "ENUM_NAME_OVERRIDES": {
        "DecisionEffectKindEnum": "matching.decisions.Effect",
        "MatchKindEnum": "matching.models.Match.Kind",
        "ExpectedStateEnum": "cases.models.State",
        "StateEnum": "matching.models.Introduction.State",
        "InvitationStateEnum": "events.models.Invitation.State",
        "EventStateEnum": "events.models.Event.State",
        "EventKindEnum": "events.models.Event.Kind",
        "EventFormatEnum": "events.models.Event.Format",
    },
}

_redis_url = env_str("REDIS_URL")
REDIS_URL = parse_redis_url(_redis_url) if _redis_url else None

# --- cache (throttle counters, ranking state, statistics version) ------------------------------------------
# Throttles must count per client across processes (gunicorn runs several workers), and must keep working
# while Redis is down (a submission is never refused with a 500 because of a cache). With REDIS_URL: Redis,
# and the database table while Redis does not answer (core.cache); without: the database table alone.
# `manage.py createcachetable` (make run and the production steps in README.md run it) makes the table.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kts_cache"}}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisWithDatabaseFallback",
            "LOCATION": REDIS_URL,
            # the broker may share the Redis database: clear() removes only keys with this prefix
            "KEY_PREFIX": "kts-cache",
            "OPTIONS": {"FALLBACK_TABLE": "kts_cache"},
        }
    }

# --- Celery -----------------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# (kombu's SQLAlchemy transport hands its options to create_engine, so the embedded broker gets none)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600} if REDIS_URL else {}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The periodic schedule lives in one place: settings.schedule (imported by settings.celery).

# --- the product's own knobs ------------------------------------------------------------------------------
KTS_DEADLINES = {
    "first_response_working_days": env_int("KTS_FIRST_RESPONSE_DAYS", 2, minimum=1),
    "assignment_working_days": env_int("KTS_ASSIGNMENT_DAYS", 5, minimum=1),
    "resolution_working_days": env_int("KTS_RESOLUTION_DAYS", 30, minimum=1),
    "awaiting_reminder_days": 7,
    "awaiting_close_days": 21,
    "satisfaction_survey_days": 14,
    "satisfaction_close_days": 30,
    "adoption_survey_days": 182,
    "reopen_days": 90,
    "duplicate_window_days": 30,
}
KTS_MATCHING_WEIGHTS = {
    "topic": 1.25,
    "text": 7.0,
    "similarity": 1.0,
    "maturity": 0.5,
    "capacity": 1.0,
    "success": 1.5,
    # partners only: a partner that serves the enquirer's Land (or all of Germany)
    "region": 2.0,
}
KTS_AUTO_ASSIGN = env_bool("KTS_AUTO_ASSIGN", False)
KTS_RETENTION_DAYS = env_int("KTS_RETENTION_DAYS", 730, minimum=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "core.logging.RedactTokensFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

"""The test suite: eager Celery, a fast hasher, in-memory e-mail. DATABASE_URL and REDIS_URL switch the
suite onto the real PostgreSQL and Redis (CI runs both)."""

import tempfile

from settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # inbound mail of the tests goes to a folder of this process, not into var/
    "mail": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="kts-test-mail-")},
    },
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
KTS_BASE_URL = "http://testserver"
# Throttle counters in memory: fast, and tests/conftest.py clears them around each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kts-test"}}

"""Production: PostgreSQL, Redis, gunicorn. Refuses to start without a secret key or a mail server.

Entry points: ``DJANGO_SETTINGS_MODULE=settings.production`` for all of them; the web process is
``gunicorn -c settings/gunicorn.py`` (WSGI application ``settings.wsgi:application``), the worker
``celery -A settings worker``, the one beat ``celery -A settings beat`` (the Celery app is ``settings.celery:app``)."""

from django.core.exceptions import ImproperlyConfigured

from settings.base import *  # noqa: F403
from settings.env import env_bool, env_int, env_str

if not env_str("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production (or SECRET_KEY_FILE)")
SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
# e-mails carry live links (status pages, surveys): without a mail server they would be printed to stdout
if not env_str("EMAIL_URL"):
    raise ImproperlyConfigured("EMAIL_URL must be set in production (smtp://…, smtp+tls://… or smtps://…)")
# demo and load data (devtools) never go into a production database
KTS_DEMO_ALLOWED = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

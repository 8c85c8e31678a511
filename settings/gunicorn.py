"""gunicorn's configuration for production (the Procfile's web line: ``gunicorn -c settings/gunicorn.py``).
The access log goes to standard output, with tokens and query secrets redacted (ops.gunicorn)."""

import os

wsgi_app = "settings.wsgi"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
logger_class = "ops.gunicorn.TokenRedactingLogger"

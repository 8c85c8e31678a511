"""The Celery app, wired to Django settings (CELERY_* names)."""

import os

from celery import Celery

from workflows.schedule import BEAT_SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")

app = Celery("kts")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["workflows"])
app.conf.beat_schedule = BEAT_SCHEDULE

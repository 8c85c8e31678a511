"""The Celery app, wired to Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import worker_init

from settings.schedule import BEAT_SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")

app = Celery("kts")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["outbox", "ops", "cases", "matching", "conversation", "stats", "privacy"])
app.conf.beat_schedule = BEAT_SCHEDULE


@worker_init.connect
def _poll_the_embedded_broker_briskly(**kwargs) -> None:
    """kombu polls its SQLAlchemy transport (the embedded broker of `make run`) once a second when a queue is
    empty, which makes a backlog such as the demo data's e-mails crawl. Its transport options are handed to
    create_engine, so the interval is set on the transport class, in the worker only."""
    if str(app.conf.broker_url).startswith("sqla+"):
        from kombu.transport import sqlalchemy

        sqlalchemy.Transport.polling_interval = 0.1

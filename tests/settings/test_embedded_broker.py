"""The embedded broker of `make run`: kombu's SQLAlchemy transport on a SQLite file, with the options the
settings give it. A message sent through it is really stored and received (no eager mode here)."""

from __future__ import annotations

from django.conf import settings
from kombu import Connection


def test_a_message_goes_through_the_embedded_sqlite_broker(tmp_path):
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS if not settings.REDIS_URL else {}
    with Connection(url, transport_options=options) as connection:
        queue = connection.SimpleQueue("kts-test")
        queue.put({"task": "ping", "n": 1})
        message = queue.get(timeout=5)
        assert message.payload == {"task": "ping", "n": 1}
        message.ack()
        queue.close()

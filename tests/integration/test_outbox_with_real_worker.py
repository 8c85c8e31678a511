"""Nothing accepted is lost (SPEC section 7), against the real parts: a Celery worker process, a redis-server
this test starts and stops, PostgreSQL and an SMTP server (aiosmtpd).

Runs when DATABASE_URL points at PostgreSQL and REDIS_URL is set (CI sets both); the Redis of REDIS_URL is not
touched: the test starts its own redis-server on a free port so that it can take it down.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.db import connection

from outbox.models import OutboxMessage
from tests import factories as f
from tests.cases.conftest import broker_at

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs DATABASE_URL=postgres://... and REDIS_URL (CI sets both)",
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Inbox:
    """aiosmtpd handler: keeps (recipients, raw message) of everything the SMTP server accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def recipients(self) -> Counter:
        with self.lock:
            return Counter(address for rcpts, _ in self.messages for address in rcpts)


def start_redis(port: int, workdir: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_until(answers, timeout=10, what="redis-server")
    return process


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def test_confirmations_submitted_while_redis_is_down_arrive_exactly_once_when_it_is_back(transactional_db):
    """GIVEN the broker (our own redis-server) is down
    WHEN three enquiries are submitted, then Redis comes back, a real worker starts, and the sweep runs twice
    the way beat sends it
    THEN the submissions succeeded, and each confirmation reached the SMTP server exactly once; a fourth
    submission with Redis up is kicked straight to the worker and also arrives once."""
    from aiosmtpd.controller import Controller

    from cases.intake import enquiry_submit

    topic = f.TopicFactory(slug="mobilitaet")
    municipality = f.MunicipalityFactory(ags="09162000", bundesland="BY")

    def submit(email: str):
        return enquiry_submit(
            municipality_ags=municipality.ags,
            contact_name="Erika Muster",
            contact_email=email,
            subject=f"Rufbus für {email}",
            message="Wie plant ihr einen Rufbus?",
            topic_slugs=[topic.slug],
            support_type="information",
            consent=True,
        )

    inbox = Inbox()
    smtp_port, redis_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    workdir = tempfile.mkdtemp(prefix="kts-integration-")
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    redis_process = worker = None
    worker_log = Path(workdir) / "worker.log"
    controller.start()
    try:
        with broker_at(redis_url) as app:
            # 1. Redis is down: the submissions succeed, the kicks fail quietly, the rows wait in the outbox.
            started = time.monotonic()
            first = [submit(f"amt{n}@gemeinde.example") for n in range(3)]
            assert time.monotonic() - started < 5, "a dead broker must not hold the request"
            assert OutboxMessage.objects.filter(status="pending").count() == 3

            # 2. Redis comes back and a real worker starts.
            redis_process = start_redis(redis_port, workdir)
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "settings.local",
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
                "KTS_VAR_DIR": workdir,
                "DEBUG": "false",
            }
            with worker_log.open("wb") as log:
                worker = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "settings",
                        "worker",
                        "--loglevel=INFO",
                        "--pool=threads",
                        "--concurrency=2",
                        "--without-mingle",
                        "--without-gossip",
                        "--without-heartbeat",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            wait_until(lambda: b"ready." in worker_log.read_bytes(), timeout=60, what="the worker to be ready")

            # 3. The sweep, sent twice through the broker as beat would (two ticks, or two beats by mistake).
            app.send_task("outbox.sweep_outbox")
            app.send_task("outbox.sweep_outbox")
            addresses = {enquiry.contact_email for enquiry in first}
            wait_until(lambda: addresses <= set(inbox.recipients()), timeout=60, what="three confirmations")

            # 4. With Redis up, the after-commit kick reaches the worker directly.
            fourth = submit("amt9@gemeinde.example")
            wait_until(lambda: fourth.contact_email in inbox.recipients(), timeout=60, what="the fourth confirmation")
            # the rest of its deferred work (ops.jobs) was done by the same worker run: nothing of it waits
            from ops.models import DeferredJob

            wait_until(
                lambda: not DeferredJob.objects.filter(key=str(fourth.pk)).exclude(name="outbox.send").exists(),
                timeout=60,
                what="the fourth submission's deferred jobs",
            )
            assert not DeferredJob.objects.exists(), list(DeferredJob.objects.values("name", "key", "last_error"))
            app.send_task("outbox.sweep_outbox")
            time.sleep(2)  # room for a duplicate to show up, if there were one

        counts = inbox.recipients()
        assert counts == Counter({address: 1 for address in [*addresses, fourth.contact_email]}), counts
        assert OutboxMessage.objects.filter(status="sent").count() == 4
        subjects = [message_from_bytes(raw, policy=policy.default)["subject"] for _, raw in inbox.messages]
        assert all("ist eingegangen" in subject for subject in subjects), subjects
    except BaseException:
        if worker_log.exists():
            sys.stderr.write(worker_log.read_text(errors="replace")[-5000:])
        raise
    finally:
        stop(worker)
        stop(redis_process)
        controller.stop()
        shutil.rmtree(workdir, ignore_errors=True)

"""/healthz and the one periodic schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from ops.tasks import heartbeat
from settings.celery import app
from settings.schedule import BEAT_SCHEDULE
from tests.cases.conftest import broker_at

pytestmark = pytest.mark.django_db


def test_every_schedule_entry_names_a_registered_task_and_expires_just_under_its_period():
    assert app.conf.beat_schedule == BEAT_SCHEDULE
    for name, entry in BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        assert entry["schedule"] - 10 <= entry["options"]["expires"] < entry["schedule"], name


def test_healthz_is_503_until_beat_has_run_then_200(client):
    before = client.get("/healthz")
    assert before.status_code == 503
    assert before.json()["beat"] == {"ok": False, "last_run": None}
    assert before.json()["database"] == {"ok": True}
    heartbeat.delay()
    after = client.get("/healthz")
    assert after.status_code == 200, after.json()
    body = after.json()
    assert body["status"] == "ok"
    assert body["broker"]["ok"] is True
    assert body["beat"]["age_seconds"] == 0


def test_healthz_reports_a_stale_beat(client):
    heartbeat.delay()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["beat"]["ok"] is False


def test_healthz_reports_a_dead_broker(client):
    heartbeat.delay()
    with broker_at("redis://127.0.0.1:1/0"):
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["broker"]["ok"] is False
    assert answer.json()["database"]["ok"] is True


def test_healthz_reports_the_backlog_of_deferred_work_without_judging_it(client):
    """GIVEN a change whose deferred work waits (no worker ran it) THEN /healthz counts it under "jobs", and
    the status depends on database, broker and beat alone."""
    from ops.jobs import job_defer

    job_defer("stats.rows", [123456])  # a case that does not exist: the job waits all the same
    body = client.get("/healthz").json()
    assert body["jobs"]["ok"] is True
    assert body["jobs"]["pending"] >= 1 and body["jobs"]["failing"] == 0
    assert body["jobs"]["oldest_seconds"] >= 0

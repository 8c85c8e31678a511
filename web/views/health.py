"""/healthz for the load balancer and the operator: database, broker and the last beat run, as JSON.
200 when all three are fine, 503 otherwise (the body says which part failed). It also reports the backlog of
deferred work (``jobs``: pending, failing, age of the oldest), without judging it."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Beat touches the heartbeat every minute; a few missed runs are tolerated (a restart, a deploy).
BEAT_MAX_AGE = timedelta(minutes=5)


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


def _broker() -> dict:
    from celery import current_app as app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


def _beat() -> dict:
    from ops.models import BeatHeartbeat

    try:
        beat = BeatHeartbeat.objects.filter(id=1).first()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    if beat is None:
        return {"ok": False, "last_run": None}
    age = timezone.now() - beat.last_beat_at
    return {
        "ok": age <= BEAT_MAX_AGE,
        "last_run": beat.last_beat_at.isoformat(),
        "age_seconds": int(age.total_seconds()),
    }


def _jobs() -> dict:
    """The deferred work (ops.jobs): reported, not judged; a backlog after an outage is normal for a while."""
    from ops.jobs import jobs_backlog

    try:
        return {"ok": True, **jobs_backlog()}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker(), "beat": _beat()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", **checks, "jobs": _jobs()}, status=200 if healthy else 503
    )

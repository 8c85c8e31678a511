"""The load test's URLconf: the project's routes and the floor, a minimal view on the same stack (gunicorn,
Django, PostgreSQL) that validates a small JSON body and inserts one row into ``loadtest_floor``, a table the
driver (benchmarks.loadtest) creates in its own database. The ratio of our submission to this is the figure
that holds on a shared machine."""

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from settings.urls import urlpatterns as project_urlpatterns

FLOOR_TABLE = "loadtest_floor"


@csrf_exempt
def floor(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"ready": True})  # the driver's readiness probe
    try:
        body = json.loads(request.body)
    except ValueError:
        return JsonResponse({"detail": "invalid JSON"}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"detail": "an object expected"}, status=400)
    name, email = body.get("name"), body.get("email")
    if not isinstance(name, str) or not name or len(name) > 200 or not isinstance(email, str) or "@" not in email:
        return JsonResponse({"detail": "name and email required"}, status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (name, email, created_at) VALUES (%s, %s, now()) RETURNING id",  # noqa: S608
            [name, email],
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("loadtest-floor/", floor), *project_urlpatterns]

"""The public submission in-process, at the size of the bench database: one POST /api/v1/enquiries/ through
Django's full stack (middleware, DRF, the intake, its deferred jobs), median ms and query count, beside the
floor of ``make loadtest`` (a view that validates a small JSON body and inserts one row) measured in the same
run. Its cost must not grow with the number of cases stored: compare the line at 100,000 with the one at
1,000,000. The enquiries it submits stay (non-synthetic, a few hundred per run); their deferred jobs are run
after the measurement, so the database is left as a worker would leave it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kts_bench_100000 KTS_BENCH_SIZE=100000 \\
        .venv/bin/python -m benchmarks.submission
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import time

import django

RUNS = 200


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    os.environ["SUBMIT_RATE"] = "1000000/hour"
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from benchmarks.urls_loadtest import FLOOR_TABLE
    from catalogue.models import Municipality, Topic
    from ops.jobs import jobs_run

    runs = int(os.environ.get("KTS_BENCH_SUBMISSIONS", RUNS))
    municipalities = list(Municipality.objects.order_by("-population", "ags").values_list("ags", flat=True)[:200])
    topics = list(Topic.objects.order_by("slug").values_list("slug", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} "
            "(id bigserial PRIMARY KEY, name varchar(200) NOT NULL, email varchar(254) NOT NULL, "
            "created_at timestamptz NOT NULL)"
        )
    tag = secrets.token_hex(4)

    def body(n: int) -> dict:
        return {
            "municipality": municipalities[n % len(municipalities)],
            "contact_name": "Frau Lasttest",
            "contact_email": f"bench-{tag}-{n}@loadtest.invalid",
            "subject": f"Digitale Bürgerdienste Frage {n}",
            "message": "Wie haben Sie die Plattform für Bürgerbeteiligung eingeführt und betrieben?",
            "topics": [topics[n % len(topics)]],
            "support_type": "contact",
            "consent": True,
        }

    def measure(client: Client, path: str, make_body, expect: int) -> tuple[float, int]:
        times, queries = [], []
        for n in range(runs + 10):
            payload = json.dumps(make_body(n))
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                answer = client.post(path, data=payload, content_type="application/json")
                elapsed = time.perf_counter() - started
            assert answer.status_code == expect, (answer.status_code, answer.content[:300])
            if n >= 10:  # the first ones warm the caches
                times.append(elapsed)
                queries.append(len(captured))
        return statistics.median(times), int(statistics.median(queries))

    rest = settings.REST_FRAMEWORK
    rates = {**rest.get("DEFAULT_THROTTLE_RATES", {}), "submit": "1000000/hour"}
    with override_settings(
        ROOT_URLCONF="benchmarks.urls_loadtest",
        ALLOWED_HOSTS=["*"],
        REST_FRAMEWORK={**rest, "DEFAULT_THROTTLE_RATES": rates},
    ):
        client = Client()
        ours, our_queries = measure(client, "/api/v1/enquiries/", body, 201)
        floor, floor_queries = measure(
            client, "/loadtest-floor/", lambda n: {"name": "Frau Lasttest", "email": f"f{n}@x.invalid"}, 201
        )
    size = int(os.environ.get("KTS_BENCH_SIZE", "0"))
    print(f"benchmarks.submission: {size:,} synthetic enquiries ({connection.vendor}), median of {runs}")
    print(
        f"  public submission       {ours * 1000:8.1f} ms  {our_queries:3d} queries   "
        f"floor {floor * 1000:6.1f} ms ({floor_queries} queries)   ratio {ours / floor:5.1f}x"
    )
    started = time.perf_counter()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        done = jobs_run(budget=600)
    print(f"  their deferred jobs     {done:8d} done in {time.perf_counter() - started:.1f} s (as a worker would)")


if __name__ == "__main__":
    main()

"""Matching benchmark: one enquiry against the whole catalogue (median of many) and 10,000 re-ranked.

Runs on the configured database (SQLite by default); loads the directory and the catalogue itself when the
database holds no model projects. ``python -m benchmarks benchmarks.matching``.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

ONE_RUNS = 300
RERANK = 10_000


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if "catalogue_modelproject" not in connection.introspection.table_names():
        # auth first: without migrations of their own (before the release), the app tables are created by
        # syncdb and point at auth_user, which PostgreSQL wants to exist already
        call_command("migrate", "auth", verbosity=0)
        call_command("migrate", run_syncdb=True, verbosity=0)
    if "kts_cache" not in connection.introspection.table_names():
        call_command("createcachetable", verbosity=0)


def _ensure_catalogue() -> None:
    from django.conf import settings

    from catalogue import loaders
    from catalogue.models import ModelProject

    if ModelProject.objects.exists():
        return
    data = Path(settings.SHARED_DATA_DIR)
    print(f"matching: loading the catalogue from {data} ...")
    loaders.topics_sync()
    loaders.municipalities_import(path=data / "municipalities.csv")
    loaders.model_projects_import(path=data / "model_projects.csv", measures_path=data / "model_project_measures.csv")


def _queries(n: int, seed: int = 7) -> list:
    from catalogue.models import Municipality, Topic
    from matching.engine import MatchQuery, own_keys, place_of
    from matching.evaluation import labelled_set_read

    rng = random.Random(seed)
    texts = [row.text for row in labelled_set_read(path=Path("tests/matching/labelled_enquiries.csv"))]
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    places = list(Municipality.objects.filter(level="gemeinde").order_by("?")[:500])
    prepared = [(place_of(m), own_keys(m)) for m in places]
    queries = []
    for i in range(n):
        place, own = prepared[i % len(prepared)]
        topics = (
            frozenset(rng.sample(topic_ids, k=min(len(topic_ids), rng.randint(0, 3)))) if topic_ids else frozenset()
        )
        queries.append(MatchQuery(text=texts[i % len(texts)], topic_ids=topics, place=place, own_ags=own))
    return queries


def main() -> None:
    _setup()
    _ensure_catalogue()
    from catalogue.models import ConsortiumPartner, Measure, ModelProject
    from matching.engine import partners_rank, projects_rank, ranking_state_load
    from matching.index import catalogue_index, catalogue_index_build, catalogue_index_invalidate

    catalogue_index_invalidate()
    started = time.perf_counter()
    catalogue_index_build()
    build_ms = (time.perf_counter() - started) * 1000
    index = catalogue_index()
    note = ""
    if not index.partners:
        # a catalogue without the consortium (no seed_demo): time the routing against twelve stand-ins,
        # in memory only, so that the figures include partner ranking as in production
        from dataclasses import replace

        from catalogue.models import Topic
        from matching.index import PartnerEntry

        topic_ids = list(Topic.objects.values_list("pk", flat=True))
        stand_ins = [
            PartnerEntry(i, f"Partner {i}", f"P{i}", frozenset(topic_ids[i % len(topic_ids) :][:3]), frozenset(), 20)
            for i in range(1, 13)
        ]
        index = replace(index, partners=stand_ins)
        note = " (12 partners simulated in memory)"
    queries = _queries(RERANK)

    # one enquiry as the submit hook scores it: the live workload/history read (4 queries) + both rankings
    one = []
    for query in queries[:ONE_RUNS]:
        started = time.perf_counter()
        state = ranking_state_load()
        catalogue_index()  # the per-call version check the hook pays
        projects_rank(query=query, index=index, state=state, limit=5)
        partners_rank(query=query, index=index, state=state, limit=3)
        one.append((time.perf_counter() - started) * 1000)

    # re-ranking 10,000: the live state is read once for the batch
    started = time.perf_counter()
    state = ranking_state_load()
    for query in queries:
        # what proposals_compute keeps: the best five projects and three partners, explained
        projects_rank(query=query, index=index, state=state, limit=5)
        partners_rank(query=query, index=index, state=state, limit=3)
    rerank_s = time.perf_counter() - started

    print(
        f"matching: catalogue {ModelProject.objects.count()} model projects, {Measure.objects.count()} measures, "
        f"{ConsortiumPartner.objects.filter(active=True).count()} active partners{note}; "
        f"index built in {build_ms:.1f} ms"
    )
    print(
        f"matching: one enquiry against the whole catalogue: median {statistics.median(one):.2f} ms, "
        f"p90 {statistics.quantiles(one, n=10)[-1]:.2f} ms ({ONE_RUNS} runs)"
    )
    print(f"matching: {RERANK:,} enquiries re-ranked in {rerank_s:.1f} s ({rerank_s / RERANK * 1000:.2f} ms each)")


if __name__ == "__main__":
    main()

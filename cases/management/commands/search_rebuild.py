"""``python manage.py search_rebuild``: recompute the full text and the next deadline of every case (after a
bulk load, which bypasses the signals that keep them current)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from cases.search import search_rebuild_all


class Command(BaseCommand):
    help = "Volltextsuche und nächste Frist aller Anfragen neu berechnen."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        done = search_rebuild_all()
        self.stdout.write(f"{done} Anfragen in {time.perf_counter() - started:.1f} s neu indiziert.")

"""python manage.py anonymise_expired: what the daily task does, at once (e.g. after lowering the period)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.services import enquiries_anonymise_expired


class Command(BaseCommand):
    help = "Anonymisiert die Kontaktdaten abgeschlossener Anfragen nach Ablauf der Aufbewahrungsfrist."

    def handle(self, *args, **options) -> None:
        count = enquiries_anonymise_expired()
        days = settings.KTS_RETENTION_DAYS
        self.stdout.write(self.style.SUCCESS(f"{count} Anfragen anonymisiert (Aufbewahrungsfrist {days} Tage)."))

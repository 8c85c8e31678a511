"""Demo data for `make run` (see devtools.demo). Idempotent; prints the demo logins."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Municipality
from devtools.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Legt Demo-Partner, Demo-Logins, Demo-Kontakte und Demo-Anfragen an (deutlich als Demo markiert)."

    def handle(self, *args, **options) -> None:
        if not settings.KTS_DEMO_ALLOWED:
            raise CommandError("Demo-Daten gehören nicht in die Produktion (KTS_DEMO_ALLOWED ist aus).")
        if not Municipality.objects.exists():
            raise CommandError("Das Gemeindeverzeichnis ist leer: zuerst import_municipalities ausführen.")
        result = demo_seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo: {result['partners']} Partner, {result['contacts']} Projektkontakte, "
                f"{result['enquiries']} Anfragen, {result['events']} Veranstaltungen neu angelegt."
            )
        )
        self.stdout.write("")
        self.stdout.write("Demo-Logins (Passwort für alle, solange nicht geändert: " + DEMO_PASSWORD + "):")
        for username, role, partner, _created in result["logins"]:
            where = f", Partner {partner}" if partner else ""
            self.stdout.write(f"  {username:<14} Rolle {role}{where}")
        base = settings.KTS_BASE_URL
        self.stdout.write("")
        self.stdout.write(f"Anmeldung: {base}/anmelden/   Verwaltung: {base}/admin/   API-Doku: {base}/api/docs/")

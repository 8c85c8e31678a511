"""python manage.py export_contact_data EMAIL [--output FILE]: everything stored about an address, as JSON."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from privacy.services import contact_data_export


class Command(BaseCommand):
    help = "Gibt alle zu einer E-Mail-Adresse gespeicherten Daten als JSON aus (Auskunft, Datenübertragbarkeit)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--output", "-o", default=None, help="Datei, in die das JSON geschrieben wird")

    def handle(self, *args, email, output, **options) -> None:
        try:
            data = contact_data_export(email=email)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}") from exc
        self.stderr.write(f"{len(data['enquiries'])} Anfragen nach {output} geschrieben.")

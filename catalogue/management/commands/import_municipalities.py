"""Load the official municipality directory (Destatis GV-ISys) into Municipality rows."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.loaders import ImportFileError, municipalities_import
from catalogue.management.commands._importing import print_report


class Command(BaseCommand):
    help = "Lädt das Gemeindeverzeichnis (municipalities.csv). Idempotent: ein zweiter Lauf ändert nichts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", type=Path, default=None, help="CSV-Datei (Standard: KTS_DATA_DIR)")
        parser.add_argument("--strict", action="store_true", help="Bei einer fehlerhaften Zeile nichts laden")

    def handle(self, *args, path: Path | None, strict: bool, **options) -> None:
        path = path or Path(settings.SHARED_DATA_DIR) / "municipalities.csv"
        started = time.perf_counter()
        try:
            report = municipalities_import(path=path, strict=strict)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        print_report(self, report, strict=strict)
        self.stdout.write(f"({time.perf_counter() - started:.1f} s)")

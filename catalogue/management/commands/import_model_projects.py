"""Load the taxonomy, the 73 model projects and their measures."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.loaders import ImportFileError, model_projects_import, topics_sync
from catalogue.management.commands._importing import print_report


class Command(BaseCommand):
    help = (
        "Lädt die Handlungsfelder, die Modellprojekte (model_projects.csv) und ihre Maßnahmen "
        "(model_project_measures.csv). Zuvor import_municipalities. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", type=Path, default=None, help="Modellprojekte-CSV (Standard: KTS_DATA_DIR)")
        parser.add_argument("--measures", type=Path, default=None, help="Maßnahmen-CSV (Standard: KTS_DATA_DIR)")
        parser.add_argument("--no-measures", action="store_true", help="Keine Maßnahmen laden")
        parser.add_argument("--strict", action="store_true", help="Bei einer fehlerhaften Zeile nichts laden")

    def handle(self, *args, path, measures, no_measures, strict, **options) -> None:
        data = Path(settings.SHARED_DATA_DIR)
        path = path or data / "model_projects.csv"
        measures = None if no_measures else (measures or data / "model_project_measures.csv")
        print_report(self, topics_sync(), strict=strict)
        try:
            report, measure_report = model_projects_import(path=path, measures_path=measures, strict=strict)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if measure_report is not None and strict and measure_report.rejected and not report.rejected:
            print_report(self, measure_report, strict=strict)
        print_report(self, report, strict=strict)
        if measure_report is not None:
            print_report(self, measure_report, strict=strict)
        reports = [r for r in (report, measure_report) if r is not None]
        self.stdout.write(
            "Geladen: "
            + ", ".join(f"{r.loaded} {r.kind}" for r in reports)
            + f"; {sum(len(r.rejected) for r in reports)} Zeilen abgewiesen, "
            + f"{sum(len(r.notes) for r in reports)} Hinweise"
        )

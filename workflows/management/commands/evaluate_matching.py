"""python manage.py evaluate_matching FILE: recall@1, recall@3 and MRR of the ranking on a labelled set."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crm.errors import DomainError
from crm.models import ModelProject
from workflows.matching.evaluation import evaluation_run, labelled_set_read


class Command(BaseCommand):
    help = (
        "Bewertet die Vorschläge an einem gelabelten Satz (CSV: text, municipality, expected mit "
        "Modellprojekt-Kennungen, durch ; getrennt) und gibt recall@1, recall@3 und MRR aus."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--verbose-rows", action="store_true", help="Jede Zeile mit den ersten drei Rängen")

    def handle(self, *args, file: Path, verbose_rows: bool, **options) -> None:
        if not ModelProject.objects.exists():
            raise CommandError("Kein Katalog geladen: zuerst import_municipalities und import_model_projects.")
        try:
            rows = labelled_set_read(path=file)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        result = evaluation_run(rows=rows)
        for note in result.skipped:
            self.stderr.write(note)
        if verbose_rows:
            for r in result.rows:
                mark = r.first_hit or "-"
                self.stdout.write(f"[{mark}] {r.row.text[:70]!r} -> {', '.join(r.ranked[:3])}")
        self.stdout.write(f"Anfragen: {len(result.rows)}")
        self.stdout.write(f"recall@1: {result.recall_at(1):.3f}")
        self.stdout.write(f"recall@3: {result.recall_at(3):.3f}")
        self.stdout.write(f"MRR: {result.mrr:.3f}")
        self.stdout.write(f"coverage@3: {result.coverage_at(3):.3f}")

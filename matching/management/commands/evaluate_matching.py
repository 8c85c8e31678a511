"""python manage.py evaluate_matching [FILE] [--set tuning|holdout|all]: recall@1, recall@3 and MRR of the
ranking on labelled sets.

Without FILE it evaluates the sets of tests/matching that ``--set`` names (both by default): the tuning set
(``labelled_enquiries.csv``, the one weights and synonyms may be adjusted on) and the held-out set
(``labelled_enquiries_holdout.csv``, never tuned on; its figures are the honest ones). Whoever tunes runs
``--set tuning`` (or ``--path`` with the tuning file) so that the held-out set stays unseen.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import ModelProject
from core.errors import DomainError
from matching.evaluation import Evaluation, evaluation_run, labelled_set_read

LABELLED_DIR = Path(settings.BASE_DIR) / "tests" / "matching"
DEFAULT_SETS = [
    ("tuning", "Tuning-Satz", LABELLED_DIR / "labelled_enquiries.csv"),
    ("holdout", "Held-out-Satz", LABELLED_DIR / "labelled_enquiries_holdout.csv"),
]
SET_CHOICES = ["tuning", "holdout", "all"]


class Command(BaseCommand):
    help = (
        "Bewertet die Vorschläge an gelabelten Sätzen (CSV: text, municipality, expected mit "
        "Modellprojekt-Kennungen, durch ; getrennt) und gibt recall@1, recall@3 und MRR aus; ohne Datei für "
        "die mit --set gewählten Sätze (Tuning, Held-out oder beide)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--path", type=Path, dest="path", help="Eine gelabelte Datei (wie FILE)")
        parser.add_argument(
            "--set",
            choices=SET_CHOICES,
            default="all",
            dest="which",
            help="Ohne Datei: nur der Tuning-Satz, nur der Held-out-Satz oder beide (Vorgabe)",
        )
        parser.add_argument("--verbose-rows", action="store_true", help="Jede Zeile mit den ersten drei Rängen")

    def handle(self, *args, file: Path | None, path: Path | None, which: str, verbose_rows: bool, **options) -> None:
        if file is not None and path is not None and file != path:
            raise CommandError("Entweder FILE oder --path, nicht beide.")
        file = file or path
        if not ModelProject.objects.exists():
            raise CommandError("Kein Katalog geladen: zuerst import_municipalities und import_model_projects.")
        if file is not None:
            self._report(self._run(file), verbose_rows=verbose_rows, indent="")
            return
        for key, name, set_path in DEFAULT_SETS:
            if which not in (key, "all"):
                continue
            result = self._run(set_path)
            self.stdout.write(f"{name} ({set_path.relative_to(settings.BASE_DIR)})")
            self._report(result, verbose_rows=verbose_rows, indent="  ")

    def _run(self, path: Path) -> Evaluation:
        try:
            rows = labelled_set_read(path=path)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        result = evaluation_run(rows=rows)
        for note in result.skipped:
            self.stderr.write(note)
        return result

    def _report(self, result: Evaluation, *, verbose_rows: bool, indent: str) -> None:
        if verbose_rows:
            for r in result.rows:
                mark = r.first_hit or "-"
                self.stdout.write(f"{indent}[{mark}] {r.row.text[:70]!r} -> {', '.join(r.ranked[:3])}")
        self.stdout.write(f"{indent}Anfragen: {len(result.rows)}")
        self.stdout.write(f"{indent}recall@1: {result.recall_at(1):.3f}")
        self.stdout.write(f"{indent}recall@3: {result.recall_at(3):.3f}")
        self.stdout.write(f"{indent}MRR: {result.mrr:.3f}")
        self.stdout.write(f"{indent}coverage@3: {result.coverage_at(3):.3f}")

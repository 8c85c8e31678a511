"""Shared output of the import commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from catalogue.loaders import ImportReport


def print_report(command: BaseCommand, report: ImportReport, *, strict: bool, limit: int = 50) -> None:
    """Print the summary and every rejected row (line number and reason); in strict mode a rejected row
    means nothing was loaded and the command fails."""
    style = command.style
    for line, reason in report.rejected[:limit]:
        command.stderr.write(style.WARNING(f"{report.kind}: Zeile {line} abgewiesen: {reason}"))
    if len(report.rejected) > limit:
        command.stderr.write(style.WARNING(f"{report.kind}: ... und {len(report.rejected) - limit} weitere"))
    for note in report.notes:
        command.stdout.write(f"{report.kind}: Hinweis: {note}")
    if strict and report.rejected:
        raise CommandError(f"{report.kind}: {len(report.rejected)} Zeilen abgewiesen, nichts geladen (--strict).")
    command.stdout.write(style.SUCCESS(report.summary()))

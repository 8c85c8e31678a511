"""Reading the catalogue files: CSV rows with their line numbers, typed values, and the report of a load.

A broken file (missing, not UTF-8, not CSV, columns missing) raises ImportFileError before any row is
written; a bad row raises RowError inside its loader, which lists it in the report and goes on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.models import split_urls
from core.errors import GuardFailed


class ImportFileError(GuardFailed):
    """The file as a whole cannot be read (missing, not UTF-8, not CSV, columns missing): nothing is loaded."""


@dataclass
class ImportReport:
    """What a loader did. ``rejected`` holds (line number, reason) of the rows not loaded; ``notes`` what the
    reader should know about rows that did load ("Zeile 35: ..."). Line 1 is the header."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated

    @property
    def loaded(self) -> int:
        """Rows of the file now in the database: new, changed and unchanged ones."""
        return self.created + self.updated + self.unchanged

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append((line, reason))

    def note(self, line: int, text: str) -> None:
        """A row that loads, with something the reader should know (an unmapped theme word, an unknown status)."""
        self.notes.append(f"Zeile {line}: {text}")

    def summary(self) -> str:
        return (
            f"{self.kind}: {self.created} neu, {self.updated} geändert, {self.unchanged} unverändert, "
            f"{len(self.rejected)} abgewiesen; {self.loaded} Zeilen geladen, {len(self.notes)} Hinweise"
        )


class RowError(ValueError):
    pass


# --- reading --------------------------------------------------------------------------------------------


def read_csv(path: Path, required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row; a broken file raises ImportFileError before any row."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: Datei kann nicht gelesen werden ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: keine UTF-8-Datei (Byte {exc.start})") from exc
    if "\x00" in text:
        raise ImportFileError(f"{path}: keine CSV-Textdatei (enthält Nullbytes)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{path}: leere Datei, keine Kopfzeile") from None
    except csv.Error as exc:
        raise ImportFileError(f"{path}: Zeile 1: kein gültiges CSV ({exc})") from exc
    header = [column.strip() for column in header]
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(f"{path}: Spalten fehlen in der Kopfzeile: {', '.join(missing)}")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                rows.append((line, {"__error__": f"{len(values)} Felder statt {len(header)}"}))
                continue
            rows.append((line, {key: value.strip() for key, value in zip(header, values, strict=True)}))
    except csv.Error as exc:
        raise ImportFileError(f"{path}: Zeile {reader.line_num}: kein gültiges CSV ({exc})") from exc
    yield from rows


def to_int(value: str, name: str, *, minimum: int = 0) -> int | None:
    if value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise RowError(f"{name}: keine ganze Zahl: {value!r}") from None
    if number < minimum:
        raise RowError(f"{name}: darf nicht kleiner als {minimum} sein: {number}")
    return number


def to_float(value: str, name: str, *, low: float, high: float) -> float | None:
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{name}: keine Zahl: {value!r}") from None
    if not low <= number <= high:
        raise RowError(f"{name}: {number} liegt nicht zwischen {low} und {high}")
    return number


def web_urls(value: str) -> tuple[list[str], list[str]]:
    """Split a "; "-separated source field into (http(s) URLs, everything else).

    Only web addresses are kept: the catalogue pages turn these into links, so a "javascript:" or a typo
    must not get there.
    """
    good: list[str] = []
    bad: list[str] = []
    for url in split_urls(value):
        (good if url.startswith(("https://", "http://")) and " " not in url else bad).append(url)
    return good, bad

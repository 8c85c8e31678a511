"""Offline evaluation of the ranking against a labelled set (CSV: text, municipality, expected).

Each row is ranked the way a submission would be: topics auto-tagged from the text, the municipality's
place and own projects from the directory. The expected projects of a row are the acceptable answers (two
projects may have built the same thing), so recall@k is the share of rows with an expected project among the
first k proposals (what staff see first); ``coverage_at(k)`` is the stricter share of all expected projects
found in the first k, averaged over rows; MRR is the mean of 1 / rank of the first expected project.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from cases.autotag import topics_for_text
from catalogue.models import ModelProject, Municipality
from core.errors import GuardFailed
from matching.engine import MatchQuery, RankingState, own_keys, place_of, projects_rank
from matching.index import catalogue_index

COLUMNS = ["text", "municipality", "expected"]


@dataclass
class LabelledRow:
    line: int
    text: str
    municipality: str
    expected: list[str]


@dataclass
class RowResult:
    row: LabelledRow
    ranked: list[str]
    first_hit: int | None


@dataclass
class Evaluation:
    rows: list[RowResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def recall_at(self, k: int) -> float:
        if not self.rows:
            return 0.0
        return sum(1 for r in self.rows if r.first_hit is not None and r.first_hit <= k) / len(self.rows)

    def coverage_at(self, k: int) -> float:
        if not self.rows:
            return 0.0
        return sum(len(set(r.ranked[:k]) & set(r.row.expected)) / len(r.row.expected) for r in self.rows) / len(
            self.rows
        )

    @property
    def mrr(self) -> float:
        if not self.rows:
            return 0.0
        return sum(1 / r.first_hit for r in self.rows if r.first_hit) / len(self.rows)


def labelled_set_read(*, path: Path) -> list[LabelledRow]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise GuardFailed(f"{path}: Spalten fehlen: {', '.join(missing)}", field="file")
            rows = []
            for line, raw in enumerate(reader, start=2):
                expected = [e.strip() for e in (raw["expected"] or "").split(";") if e.strip()]
                rows.append(LabelledRow(line, raw["text"] or "", (raw["municipality"] or "").strip(), expected))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GuardFailed(f"{path}: {exc}", field="file") from exc


def evaluation_run(*, rows: list[LabelledRow]) -> Evaluation:
    """Rank every row against the whole catalogue (one RankingState for the whole set)."""
    index = catalogue_index()
    state = RankingState()  # evaluation judges the content features, not today's workload or history
    slug_of = dict(ModelProject.objects.values_list("pk", "slug"))
    known = set(slug_of.values()) | {str(pk) for pk in slug_of}
    municipalities = {m.ags: m for m in Municipality.objects.filter(ags__in=[r.municipality for r in rows])}
    result = Evaluation()
    for row in rows:
        municipality = municipalities.get(row.municipality)
        if municipality is None:
            result.skipped.append(f"Zeile {row.line}: Kommune {row.municipality!r} unbekannt")
            continue
        expected = [e for e in row.expected if e in known]
        if not expected:
            result.skipped.append(f"Zeile {row.line}: kein erwartetes Modellprojekt im Katalog")
            continue
        row.expected = [e if e in slug_of.values() else slug_of[int(e)] for e in expected]
        query = MatchQuery(
            text=row.text,
            topic_ids=frozenset(t.pk for t in topics_for_text(text=row.text)),
            place=place_of(municipality),
            own_ags=own_keys(municipality),
        )
        ranked = [slug_of[p.target_id] for p in projects_rank(query=query, index=index, state=state, explain=False)]
        first = next((i for i, slug in enumerate(ranked, start=1) if slug in row.expected), None)
        result.rows.append(RowResult(row=row, ranked=ranked, first_hit=first))
    return result

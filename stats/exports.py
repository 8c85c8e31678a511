"""CSV and XLSX exports of the breakdowns and of the filtered case list.

A file starts with its header row (German column titles), so that a spreadsheet program sorts and filters it
as it is; what it counts (period and filters) goes into the file name (``export_filename``) and, in XLSX,
onto a second sheet "Filter" with the moment it was made. CSV uses the semicolon, the decimal comma and a
byte-order mark, as German spreadsheet programs expect. XLSX cells are typed by their column's kind: counts
and durations as numbers, shares as fractions shown as percentages, moments as dates; the header row is
frozen and filtered.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cases.models import OPEN_STATES, Enquiry, OutcomeCategory, State
from core.errors import GuardFailed
from stats.filters import StatsFilters, size_class_labels

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# An XLSX sheet is built in memory; larger case lists go out as (streamed) CSV.
XLSX_MAX_ROWS = 100_000

# The kinds of cells, with their XLSX number formats (None: text, no format). A share is written as the
# fraction (0.3333) and shown as a percentage; durations are hours.
TEXT = "text"
COUNT = "count"
SHARE = "share"
HOURS = "hours"
MEAN = "mean"
DATE = "date"
DATETIME = "datetime"
MONTH = "month"
NUMBER_FORMATS = {
    TEXT: None,
    COUNT: "#,##0",
    SHARE: "0.0 %",
    HOURS: "0.0",
    MEAN: "0.00",
    DATE: "dd.mm.yyyy",
    DATETIME: "dd.mm.yyyy hh:mm",
    MONTH: "mm/yyyy",
}
# (kind, how CSV writes it): German notation, as the dashboard shows it
_CSV_DATE_FORMATS = {DATE: "%d.%m.%Y", DATETIME: "%d.%m.%Y %H:%M", MONTH: "%m/%Y"}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT


class Typed(NamedTuple):
    """A value whose kind differs from its column's (the summary's "Wert" column holds every kind)."""

    value: Any
    kind: str


def dimension_title(dimension: str) -> str:
    return {
        "topic": _("Handlungsfeld"),
        "bundesland": _("Bundesland"),
        "size_class": _("Größenklasse"),
        "partner": _("Konsortialpartner"),
        "model_project": _("Modellprojekt"),
        "channel": _("Eingangskanal"),
        "month": _("Monat"),
    }[dimension]


def breakdown_columns(dimension: str) -> list[tuple[str, Column]]:
    if dimension == "model_project":
        return [
            ("label", Column(_("Modellprojekt"))),
            ("introductions_requested", Column(_("Vermittlungen angefragt"), COUNT)),
            ("introductions_accepted", Column(_("Vermittlungen zugesagt"), COUNT)),
            ("introductions_completed", Column(_("Vermittlungen abgeschlossen"), COUNT)),
            ("enquiries_helped", Column(_("unterstützte Anfragen"), COUNT)),
        ]
    return [
        ("month", Column(_("Monat"), MONTH)) if dimension == "month" else ("label", Column(dimension_title(dimension))),
        ("received", Column(_("Anfragen"), COUNT)),
        ("municipalities", Column(_("Kommunen"), COUNT)),
        ("small_share", Column(_("Anteil kleiner Kommunen (< 20.000)"), SHARE)),
        ("open", Column(_("offen"), COUNT)),
        ("resolved", Column(_("mit Ergebnis erledigt"), COUNT)),
        ("successful", Column(_("erfolgreicher Transfer"), COUNT)),
        ("transfer_rate", Column(_("Transferquote"), SHARE)),
        ("escalated", Column(_("eskaliert"), COUNT)),
        ("first_response_median_hours", Column(_("erste Reaktion, Median (Std.)"), HOURS)),
        ("first_response_p90_hours", Column(_("erste Reaktion, 90. Perzentil (Std.)"), HOURS)),
        ("assignment_median_hours", Column(_("Zuweisung, Median (Std.)"), HOURS)),
        ("assignment_p90_hours", Column(_("Zuweisung, 90. Perzentil (Std.)"), HOURS)),
        ("resolution_median_hours", Column(_("Erledigung, Median (Std.)"), HOURS)),
        ("resolution_p90_hours", Column(_("Erledigung, 90. Perzentil (Std.)"), HOURS)),
        ("satisfaction_mean", Column(_("Zufriedenheit (Mittel 1-5)"), MEAN)),
        ("satisfaction_response_rate", Column(_("Rücklaufquote Befragung"), SHARE)),
        ("adoption_share", Column(_("Anteil übernommen oder geplant"), SHARE)),
    ]


def case_columns() -> list[Column]:
    return [
        Column(_("Aktenzeichen")),
        Column(_("Eingang"), DATETIME),
        Column(_("Kommune")),
        Column(_("AGS")),
        Column(_("Bundesland")),
        Column(_("Größenklasse")),
        Column(_("Handlungsfelder")),
        Column(_("Eingangskanal")),
        Column(_("Art der Unterstützung")),
        Column(_("Status")),
        Column(_("Konsortialpartner")),
        Column(_("erste Reaktion"), DATETIME),
        Column(_("zugewiesen"), DATETIME),
        Column(_("erledigt"), DATETIME),
        Column(_("abgeschlossen"), DATETIME),
        Column(_("Transferergebnis")),
        Column(_("eskaliert")),
        Column(_("gefördert")),
    ]


def case_row(enquiry: Enquiry, sizes: dict[str, str]) -> list[Any]:
    """One exported case; contact data stay out of the export (personal data)."""
    outcome = getattr(enquiry, "outcome", None)
    return [
        enquiry.reference,
        enquiry.created_at,
        enquiry.municipality.short_name,
        enquiry.municipality.ags,
        enquiry.municipality.bundesland,
        sizes.get(enquiry.municipality.size_class, ""),
        ", ".join(topic.name for topic in enquiry.topics.all()),
        enquiry.get_channel_display(),
        enquiry.get_support_type_display(),
        enquiry.get_state_display(),
        enquiry.assigned_partner.short_name if enquiry.assigned_partner else "",
        enquiry.first_response_at,
        enquiry.assigned_at,
        enquiry.resolved_at,
        enquiry.closed_at,
        outcome.get_category_display() if outcome else "",
        _("ja") if enquiry.escalated_at else _("nein"),
        _("ja") if enquiry.funded else _("nein"),
    ]


# --- what the file counts: its name and the "Filter" sheet ------------------------------------------------

_FILE_NAME_PART = re.compile(r"[^A-Za-z0-9-]+")
_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def _name_part(value: str, *, lower: bool = True, limit: int = 40) -> str:
    """ASCII letters, digits and hyphens only (a name every system and header carries); umlauts spelled out."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_GERMAN_LETTERS)
    text = slugify(text) if lower else _FILE_NAME_PART.sub("-", text)
    return text.replace("_", "-").strip("-")[:limit].strip("-") or "x"


def export_filename(*, name: str, filters: StatsFilters, fmt: str) -> str:
    """E.g. ``transferstatistik-bundesland_2026-01-01_2026-04-30_topic-mobilitaet.csv``: the period, then each
    active filter as parameter-value (parts apart by "_", words within a part by "-")."""
    parts = [_name_part(name), filters.date_from.isoformat(), filters.date_to.isoformat()]
    if filters.topic is not None:
        parts.append("topic-" + _name_part(filters.topic.slug))
    if filters.bundesland:
        parts.append("bundesland-" + _name_part(filters.bundesland, lower=False))
    if filters.size_class:
        parts.append("size-class-" + _name_part(filters.size_class))
    if filters.partner is not None:
        parts.append("partner-" + _name_part(filters.partner.short_name))
    if filters.model_project is not None:
        parts.append("model-project-" + _name_part(filters.model_project.name))
    if filters.channel:
        parts.append("channel-" + _name_part(filters.channel))
    if filters.funded is not None:
        parts.append("funded-" + ("true" if filters.funded else "false"))
    return "_".join(parts) + "." + fmt


def filter_rows(*, title: str, filters: StatsFilters, made_at: dt.datetime) -> list[list[Any]]:
    """The rows of the sheet "Filter": what the file holds, its period, each active filter, when it was made."""
    return [
        [_("Inhalt"), title],
        [_("Zeitraum von"), Typed(filters.date_from, DATE)],
        [_("Zeitraum bis"), Typed(filters.date_to, DATE)],
        *([label, value] for label, value in filters.describe_filters()),
        [_("erstellt am"), Typed(made_at, DATETIME)],
    ]


# A text cell that begins with one of these is read as a formula by spreadsheet programs (CSV injection: a
# catalogue name "=HYPERLINK(...)" became a live formula). Such text is written as text: in CSV with a leading
# apostrophe (OWASP's advice; Excel and LibreOffice show the rest), in XLSX as a string cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_check_format(*, fmt: str) -> str:
    if fmt not in FORMATS:
        raise GuardFailed(_("Unbekanntes Format (csv oder xlsx)."), field="format")
    return fmt


def _typed(value: Any, column: Column) -> tuple[Any, str]:
    return (value.value, value.kind) if isinstance(value, Typed) else (value, column.kind)


def _local(value: dt.date) -> dt.date:
    """Moments in the office's time zone, without it (a spreadsheet cell has no time zone)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


# --- CSV --------------------------------------------------------------------------------------------------


def _csv_cell(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind in _CSV_DATE_FORMATS and isinstance(value, dt.date):
        return _local(value).strftime(_CSV_DATE_FORMATS[kind])
    # German Excel reads "150.0" as a date or a thousand separator; it expects the decimal comma
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return _text_safe(value)


def _csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow(values)
    return buffer.getvalue()


def csv_stream(*, columns: list[Column], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Yield the CSV file piece by piece (the case list can be long): the header row first."""
    yield "\ufeff" + _csv_line(_text_safe(column.title) for column in columns)
    for row in rows:
        yield _csv_line(_csv_cell(*_typed(value, column)) for value, column in zip(row, columns, strict=True))


# --- XLSX -------------------------------------------------------------------------------------------------

# Column widths follow the header and the first rows: at least a short number, at most a long name; a long
# header wraps instead of widening its column.
WIDTH_SAMPLE_ROWS = 500
_WIDTH_MIN, _WIDTH_MAX, _HEADER_WIDTH_MAX = 8, 60, 22
_WIDTHS_OF_KIND = {SHARE: 8, DATE: 10, DATETIME: 16, MONTH: 8}


def _shown_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind in _WIDTHS_OF_KIND:
        return _WIDTHS_OF_KIND[kind]
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(columns: list[Column], sample: list[list[Any]]) -> list[int]:
    widths = []
    for index, column in enumerate(columns):
        shown = [_shown_width(*_typed(row[index], column)) for row in sample]
        widest = max([min(len(column.title), _HEADER_WIDTH_MAX), *shown])
        widths.append(min(max(widest + 2, _WIDTH_MIN), _WIDTH_MAX))
    return widths


def _xlsx_cell(worksheet, value: Any, kind: str) -> Any:
    """A typed cell. openpyxl stores a string that begins with "=" as a formula; text goes in as a string."""
    if value is None or value == "":
        return None
    cell = WriteOnlyCell(worksheet, value=_local(value) if isinstance(value, dt.date) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif NUMBER_FORMATS[kind]:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def _xlsx_header(worksheet, columns: list[Column], widths: list[int]) -> list[WriteOnlyCell]:
    lines = 1
    for index, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
        lines = max(lines, math.ceil(len(column.title) / max(width - 2, 1)))
    worksheet.row_dimensions[1].height = 15 * min(lines, 4)
    cells = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=column.title)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def _xlsx_table(worksheet, *, columns: list[Column], rows: Iterable[list[Any]], filtered: bool) -> None:
    """Header row (frozen, filtered), then the typed rows. A write-only sheet takes widths, panes and row
    heights before its first row: the widths come from a sample of the first rows."""
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    widths = _widths(columns, sample)
    worksheet.freeze_panes = "A2"
    worksheet.append(_xlsx_header(worksheet, columns, widths))
    count = 0
    for count, row in enumerate(itertools.chain(sample, rows), start=1):
        if count > XLSX_MAX_ROWS:
            raise GuardFailed(
                _("Zu viele Zeilen für XLSX (höchstens %(n)d). Bitte CSV wählen oder enger filtern.")
                % {"n": XLSX_MAX_ROWS},
                field="format",
            )
        worksheet.append(
            [_xlsx_cell(worksheet, *_typed(value, column)) for value, column in zip(row, columns, strict=True)]
        )
    if filtered:
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def xlsx_bytes(*, columns: list[Column], rows: Iterable[Iterable[Any]], sheet: str, about: list[list[Any]]) -> bytes:
    """The table on the first sheet, ``about`` (``filter_rows``) on the second, "Filter"."""
    workbook = Workbook(write_only=True)
    _xlsx_table(workbook.create_sheet(title=sheet[:31]), columns=columns, rows=rows, filtered=True)
    about_columns = [Column(_("Angabe")), Column(_("Wert"))]
    _xlsx_table(workbook.create_sheet(title=_("Filter")[:31]), columns=about_columns, rows=about, filtered=False)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- the tables -------------------------------------------------------------------------------------------


def _month(key: str) -> dt.date:
    return dt.date.fromisoformat(f"{key}-01")


def breakdown_table(*, dimension: str, rows: list[dict[str, Any]]) -> tuple[list[Column], list[list[Any]]]:
    columns = breakdown_columns(dimension)
    table = [[_month(row["key"]) if key == "month" else row.get(key) for key, _column in columns] for row in rows]
    return [column for _key, column in columns], table


def case_rows(enquiries) -> Iterator[list[Any]]:
    sizes = size_class_labels()
    for enquiry in enquiries.iterator(chunk_size=2000):
        yield case_row(enquiry, sizes)


def summary_table(*, summary: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    """The summary as figure/value rows (the same numbers as the JSON), each value typed as its figure."""
    rows: list[list[Any]] = []

    def add(label: str, value: Any, kind: str = COUNT) -> None:
        rows.append([label, Typed(value, kind)])

    volume = summary["volume"]
    add(_("Anfragen eingegangen"), volume["received"])
    add(_("Kommunen erreicht"), volume["municipalities"])
    add(_("davon kleine Kommunen (< 20.000)"), volume["small_municipalities"])
    add(_("Anteil kleiner Kommunen (< 20.000)"), volume["small_share"], SHARE)
    backlog = summary["backlog"]
    add(_("offen"), backlog["open"])
    for state in OPEN_STATES:
        add(_("offen: %(state)s") % {"state": State(state).label}, backlog["by_state"][state])
    ages = {
        "lt7": _("unter 7 Tagen"),
        "7_30": _("7 bis 30 Tagen"),
        "30_90": _("30 bis 90 Tagen"),
        "gt90": _("über 90 Tagen"),
    }
    for key, label in ages.items():
        add(_("offen seit %(age)s") % {"age": label}, backlog["by_age"][key])
    milestones = {"first_response": _("erste Reaktion"), "assignment": _("Zuweisung"), "resolution": _("Erledigung")}
    for key, label in milestones.items():
        speed = summary["speed"][key]
        add(_("%(milestone)s: Anzahl") % {"milestone": label}, speed["count"])
        add(_("%(milestone)s, Median (Std.)") % {"milestone": label}, speed["median_hours"], HOURS)
        add(_("%(milestone)s, 90. Perzentil (Std.)") % {"milestone": label}, speed["p90_hours"], HOURS)
    for key, label in milestones.items():
        deadline = summary["deadlines"][key]
        add(_("Frist %(milestone)s: gemessen") % {"milestone": label}, deadline["measured"])
        add(_("Frist %(milestone)s: eingehalten") % {"milestone": label}, deadline["met"])
        add(_("Frist %(milestone)s: Anteil eingehalten") % {"milestone": label}, deadline["share"], SHARE)
    add(_("eskaliert"), summary["deadlines"]["escalated"])
    add(_("Anteil eskaliert"), summary["deadlines"]["escalated_share"], SHARE)
    outcomes = summary["outcomes"]
    add(_("mit Ergebnis erledigt"), outcomes["resolved"])
    for category in OutcomeCategory:
        add(_("Ergebnis: %(category)s") % {"category": category.label}, outcomes["by_category"][category.value])
    add(_("erfolgreicher Transfer"), outcomes["successful"])
    add(_("Transferquote"), outcomes["transfer_rate"], SHARE)
    satisfaction = summary["satisfaction"]
    add(_("Zufriedenheitsbefragung: versandt"), satisfaction["sent"])
    add(_("Zufriedenheitsbefragung: beantwortet"), satisfaction["answered"])
    add(_("Rücklaufquote Befragung"), satisfaction["response_rate"], SHARE)
    add(_("Zufriedenheit (Mittel 1-5)"), satisfaction["mean_score"], MEAN)
    add(_("Anteil hilfreich"), satisfaction["useful_share"], SHARE)
    adoption = summary["adoption"]
    add(_("Übernahmebefragung: versandt"), adoption["sent"])
    add(_("Übernahmebefragung: beantwortet"), adoption["answered"])
    add(_("übernommen"), adoption["adopted"])
    add(_("geplant"), adoption["planned"])
    add(_("Anteil übernommen oder geplant"), adoption["share"], SHARE)
    events = summary["events"]
    add(_("Veranstaltungen durchgeführt"), events["held"])
    add(_("Kommunen erreicht durch Veranstaltungen"), events["municipalities_reached"])
    add(_("Anfragen beantwortet durch Veranstaltungen"), events["enquiries_answered"])
    add(_("Anteil beantwortet durch Veranstaltungen"), events["share_answered"], SHARE)
    for project in summary["model_projects"]:
        for key, column in breakdown_columns("model_project")[1:]:
            add(f"{project['label']}: {column.title}", project[key])
    return [Column(_("Kennzahl")), Column(_("Wert"), COUNT)], rows

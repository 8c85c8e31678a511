"""CSV and XLSX exports of the breakdowns and of the filtered case list.

German column headers; the first line states the period and the filters, so that a file passed on by e-mail
still says what it counts. CSV uses the semicolon, the decimal comma and a byte-order mark, as German
spreadsheet programs expect; XLSX keeps numbers as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from cases.models import OPEN_STATES, Enquiry, OutcomeCategory, State
from core.errors import GuardFailed
from stats.filters import StatsFilters, size_class_labels

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# An XLSX sheet is built in memory; larger case lists go out as (streamed) CSV.
XLSX_MAX_ROWS = 100_000


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


def breakdown_columns(dimension: str) -> list[tuple[str, str]]:
    if dimension == "model_project":
        return [
            ("label", _("Modellprojekt")),
            ("introductions_requested", _("Vermittlungen angefragt")),
            ("introductions_accepted", _("Vermittlungen zugesagt")),
            ("introductions_completed", _("Vermittlungen abgeschlossen")),
            ("enquiries_helped", _("unterstützte Anfragen")),
        ]
    return [
        ("label", dimension_title(dimension)),
        ("received", _("Anfragen")),
        ("municipalities", _("Kommunen")),
        ("small_share", _("Anteil kleiner Kommunen (< 20.000)")),
        ("open", _("offen")),
        ("resolved", _("mit Ergebnis erledigt")),
        ("successful", _("erfolgreicher Transfer")),
        ("transfer_rate", _("Transferquote")),
        ("escalated", _("eskaliert")),
        ("first_response_median_hours", _("erste Reaktion, Median (Std.)")),
        ("first_response_p90_hours", _("erste Reaktion, 90. Perzentil (Std.)")),
        ("assignment_median_hours", _("Zuweisung, Median (Std.)")),
        ("assignment_p90_hours", _("Zuweisung, 90. Perzentil (Std.)")),
        ("resolution_median_hours", _("Erledigung, Median (Std.)")),
        ("resolution_p90_hours", _("Erledigung, 90. Perzentil (Std.)")),
        ("satisfaction_mean", _("Zufriedenheit (Mittel 1-5)")),
        ("satisfaction_response_rate", _("Rücklaufquote Befragung")),
        ("adoption_share", _("Anteil übernommen oder geplant")),
    ]


def case_columns() -> list[str]:
    return [
        _("Aktenzeichen"),
        _("Eingang"),
        _("Kommune"),
        _("AGS"),
        _("Bundesland"),
        _("Größenklasse"),
        _("Handlungsfelder"),
        _("Eingangskanal"),
        _("Art der Unterstützung"),
        _("Status"),
        _("Konsortialpartner"),
        _("erste Reaktion"),
        _("zugewiesen"),
        _("erledigt"),
        _("abgeschlossen"),
        _("Transferergebnis"),
        _("eskaliert"),
        _("gefördert"),
    ]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def case_row(enquiry: Enquiry, sizes: dict[str, str]) -> list[Any]:
    """One exported case; contact data stay out of the export (personal data)."""
    outcome = getattr(enquiry, "outcome", None)
    return [
        enquiry.reference,
        _when(enquiry.created_at),
        enquiry.municipality.short_name,
        enquiry.municipality.ags,
        enquiry.municipality.bundesland,
        sizes.get(enquiry.municipality.size_class, ""),
        ", ".join(topic.name for topic in enquiry.topics.all()),
        enquiry.get_channel_display(),
        enquiry.get_support_type_display(),
        enquiry.get_state_display(),
        enquiry.assigned_partner.short_name if enquiry.assigned_partner else "",
        _when(enquiry.first_response_at),
        _when(enquiry.assigned_at),
        _when(enquiry.resolved_at),
        _when(enquiry.closed_at),
        outcome.get_category_display() if outcome else "",
        _("ja") if enquiry.escalated_at else _("nein"),
        _("ja") if enquiry.funded else _("nein"),
    ]


def header_line(*, title: str, filters: StatsFilters) -> str:
    parts = [f"{label}: {value}" for label, value in filters.describe()]
    return f"{title} – " + "; ".join(parts)


# A text cell that begins with one of these is read as a formula by spreadsheet programs (CSV injection: a
# catalogue name "=HYPERLINK(...)" became a live formula). Such text is written as text: in CSV with a leading
# apostrophe (OWASP's advice; Excel and LibreOffice show the rest), in XLSX as a string cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _text_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_check_format(*, fmt: str) -> str:
    if fmt not in FORMATS:
        raise GuardFailed(_("Unbekanntes Format (csv oder xlsx)."), field="format")
    return fmt


def _csv_cell(value: Any) -> Any:
    # German Excel reads "150.0" as a date or a thousand separator; it expects the decimal comma
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return _text_safe(_cell(value))


def _csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow([_csv_cell(v) for v in values])
    return buffer.getvalue()


def csv_stream(*, header: str, columns: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Yield the CSV file piece by piece (the case list can be long)."""
    yield "\ufeff" + _csv_line([header])
    yield _csv_line(columns)
    for row in rows:
        yield _csv_line(row)


def _xlsx_cell(worksheet, value: Any) -> Any:
    """openpyxl stores a string that begins with "=" as a formula; such text goes in as a string cell."""
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_bytes(*, header: str, columns: list[str], rows: Iterable[Iterable[Any]], sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append([_xlsx_cell(worksheet, header)])
    worksheet.append([_xlsx_cell(worksheet, c) for c in columns])
    for count, row in enumerate(rows, start=1):
        if count > XLSX_MAX_ROWS:
            raise GuardFailed(
                _("Zu viele Zeilen für XLSX (höchstens %(n)d). Bitte CSV wählen oder enger filtern.")
                % {"n": XLSX_MAX_ROWS},
                field="format",
            )
        worksheet.append([_xlsx_cell(worksheet, v) for v in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def breakdown_table(*, dimension: str, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    columns = breakdown_columns(dimension)
    return [title for _key, title in columns], [[row.get(key) for key, _title in columns] for row in rows]


def case_rows(enquiries) -> Iterator[list[Any]]:
    sizes = size_class_labels()
    for enquiry in enquiries.iterator(chunk_size=2000):
        yield case_row(enquiry, sizes)


def summary_table(*, summary: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The summary as figure/value rows (the same numbers as the JSON)."""
    rows: list[list[Any]] = []

    def add(label: str, value: Any) -> None:
        rows.append([label, value])

    volume = summary["volume"]
    add(_("Anfragen eingegangen"), volume["received"])
    add(_("Kommunen erreicht"), volume["municipalities"])
    add(_("davon kleine Kommunen (< 20.000)"), volume["small_municipalities"])
    add(_("Anteil kleiner Kommunen (< 20.000)"), volume["small_share"])
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
        add(_("%(milestone)s, Median (Std.)") % {"milestone": label}, speed["median_hours"])
        add(_("%(milestone)s, 90. Perzentil (Std.)") % {"milestone": label}, speed["p90_hours"])
    for key, label in milestones.items():
        deadline = summary["deadlines"][key]
        add(_("Frist %(milestone)s: gemessen") % {"milestone": label}, deadline["measured"])
        add(_("Frist %(milestone)s: eingehalten") % {"milestone": label}, deadline["met"])
        add(_("Frist %(milestone)s: Anteil eingehalten") % {"milestone": label}, deadline["share"])
    add(_("eskaliert"), summary["deadlines"]["escalated"])
    add(_("Anteil eskaliert"), summary["deadlines"]["escalated_share"])
    outcomes = summary["outcomes"]
    add(_("mit Ergebnis erledigt"), outcomes["resolved"])
    for category in OutcomeCategory:
        add(_("Ergebnis: %(category)s") % {"category": category.label}, outcomes["by_category"][category.value])
    add(_("erfolgreicher Transfer"), outcomes["successful"])
    add(_("Transferquote"), outcomes["transfer_rate"])
    satisfaction = summary["satisfaction"]
    add(_("Zufriedenheitsbefragung: versandt"), satisfaction["sent"])
    add(_("Zufriedenheitsbefragung: beantwortet"), satisfaction["answered"])
    add(_("Rücklaufquote Befragung"), satisfaction["response_rate"])
    add(_("Zufriedenheit (Mittel 1-5)"), satisfaction["mean_score"])
    add(_("Anteil hilfreich"), satisfaction["useful_share"])
    adoption = summary["adoption"]
    add(_("Übernahmebefragung: versandt"), adoption["sent"])
    add(_("Übernahmebefragung: beantwortet"), adoption["answered"])
    add(_("übernommen"), adoption["adopted"])
    add(_("geplant"), adoption["planned"])
    add(_("Anteil übernommen oder geplant"), adoption["share"])
    for project in summary["model_projects"]:
        for key, title in breakdown_columns("model_project")[1:]:
            add(f"{project['label']}: {title}", project[key])
    return [_("Kennzahl"), _("Wert")], rows

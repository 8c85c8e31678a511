"""Catalogue loaders: the taxonomy, the municipality directory, the model projects and their measures.

Each loader runs in one transaction, validates every row, reports rejected rows with their line number and
writes only what differs from the database, so that a second run over the same file changes no row. Reading
the files and the report are in catalogue.importing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from catalogue.importing import ImportFileError, ImportReport, RowError, read_csv, to_float, to_int, web_urls
from catalogue.models import Measure, ModelProject, Municipality, Topic
from catalogue.taxonomy import TOPICS, keywords_for, source_topics_to_slugs
from core.geo import BUNDESLAENDER

# Kreis-level kinds whose Kreis row and single Gemeinde row are the same territory (kreisfreie Städte,
# Stadtkreise, and the city states): the funded flag covers both rows.
_KREISFREI = {"kreisfreie_stadt", "stadtkreis"}

MUNICIPALITY_COLUMNS = [
    "ags", "ars", "name", "short_name", "level", "kind", "state_code", "state", "district_ags",
    "district_name", "association_name", "population", "area_km2", "postal_code", "lat", "lon", "urbanisation",
]  # fmt: skip
MODEL_PROJECT_COLUMNS = [
    "id", "name", "cohort", "category", "kind", "lead_ags", "member_ags", "population", "lat", "lon", "phase",
    "topics", "profile_url", "list_source", "note",
]  # fmt: skip
MEASURE_COLUMNS = ["model_project_id", "title", "topic", "source_url"]


# --- topics ---------------------------------------------------------------------------------------------


@transaction.atomic
def topics_sync() -> ImportReport:
    """Write the taxonomy of catalogue.taxonomy into Topic rows (by slug); rows not in the taxonomy stay."""
    report = ImportReport(kind="Handlungsfelder")
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    for spec in TOPICS:
        values = {
            "name_de": spec.name_de,
            "name_en": spec.name_en,
            "keywords": keywords_for(spec),
            "description": spec.description,
        }
        topic = existing.get(spec.slug)
        if topic is None:
            existing[spec.slug] = Topic.objects.create(slug=spec.slug, **values)
            report.created += 1
        elif any(getattr(topic, key) != value for key, value in values.items()):
            Topic.objects.filter(pk=topic.pk).update(**values)
            report.updated += 1
        else:
            report.unchanged += 1
    for spec in TOPICS:
        parent_id = existing[spec.parent].pk if spec.parent else None
        if existing[spec.slug].parent_id != parent_id:
            Topic.objects.filter(pk=existing[spec.slug].pk).update(parent_id=parent_id)
    return report


# --- municipalities -------------------------------------------------------------------------------------

_MUNICIPALITY_FIELDS = [
    "ars", "name", "short_name", "level", "kind", "bundesland", "bundesland_name", "district_ags", "district_name",
    "association_name", "population", "area_km2", "postal_code", "lat", "lon", "urbanisation",
    "search_name", "size_class",
]  # fmt: skip


def _municipality_from_row(row: dict[str, str]) -> Municipality:
    ags, level = row["ags"], row["level"]
    if level not in {"gemeinde", "kreis"}:
        raise RowError(f"level: {level!r} ist weder gemeinde noch kreis")
    expected = 8 if level == "gemeinde" else 5
    if not (ags.isdigit() and len(ags) == expected):
        raise RowError(f"ags: {ags!r} ist kein {expected}-stelliger Schlüssel (Ebene {level})")
    if not row["name"]:
        raise RowError("name: leer")
    bundesland = row["state_code"]
    if bundesland not in BUNDESLAENDER:
        raise RowError(f"state_code: unbekanntes Land {bundesland!r}")
    if not row["kind"]:
        raise RowError("kind: leer")
    postal_code = row["postal_code"]
    if postal_code and not (postal_code.isdigit() and len(postal_code) == 5):
        raise RowError(f"postal_code: {postal_code!r} ist keine fünfstellige PLZ")
    district = row["district_ags"]
    if district and not (district.isdigit() and len(district) == 5 and ags.startswith(district)):
        raise RowError(f"district_ags: {district!r} passt nicht zum Schlüssel {ags}")
    municipality = Municipality(
        ags=ags,
        ars=row["ars"],
        name=row["name"],
        short_name=row["short_name"] or row["name"].split(", ")[0],
        level=level,
        kind=row["kind"],
        bundesland=bundesland,
        bundesland_name=row["state"] or BUNDESLAENDER[bundesland],
        district_ags=district,
        district_name=row["district_name"],
        association_name=row["association_name"],
        population=to_int(row["population"], "population"),
        area_km2=to_float(row["area_km2"], "area_km2", low=0, high=1_000_000),
        postal_code=postal_code,
        lat=to_float(row["lat"], "lat", low=47.0, high=55.5),
        lon=to_float(row["lon"], "lon", low=5.5, high=15.5),
        urbanisation=row["urbanisation"],
    )
    if (municipality.lat is None) != (municipality.lon is None):
        raise RowError("lat/lon: nur eine der beiden Koordinaten angegeben")
    municipality.fill_derived()
    return municipality


@transaction.atomic
def municipalities_import(*, path: Path, strict: bool = False) -> ImportReport:
    """Load the directory (municipalities.csv) by AGS: new rows are created, changed rows updated.

    ``funded`` is not in the file: ``model_projects_import`` owns it, so it is left as it is. With
    ``strict`` a single rejected row loads nothing (the report still lists every rejected row).
    """
    report = ImportReport(kind="Kommunen")
    incoming: dict[str, Municipality] = {}
    for line, row in read_csv(path, MUNICIPALITY_COLUMNS):
        if "__error__" in row:
            report.reject(line, row["__error__"])
            continue
        try:
            municipality = _municipality_from_row(row)
        except RowError as exc:
            report.reject(line, str(exc))
            continue
        if municipality.ags in incoming:
            report.reject(line, f"ags: {municipality.ags} kommt mehrfach vor")
            continue
        incoming[municipality.ags] = municipality
    if strict and report.rejected:
        transaction.set_rollback(True)
        return report

    existing = {m.ags: m for m in Municipality.objects.only("id", "ags", *_MUNICIPALITY_FIELDS)}
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    for ags, new in incoming.items():
        old = existing.get(ags)
        if old is None:
            to_create.append(new)
            continue
        if all(getattr(old, name) == getattr(new, name) for name in _MUNICIPALITY_FIELDS):
            report.unchanged += 1
            continue
        for name in _MUNICIPALITY_FIELDS:
            setattr(old, name, getattr(new, name))
        to_update.append(old)
    Municipality.objects.bulk_create(to_create, batch_size=1000)
    Municipality.objects.bulk_update(to_update, _MUNICIPALITY_FIELDS, batch_size=500)
    report.created, report.updated = len(to_create), len(to_update)
    return report


# --- model projects and measures ------------------------------------------------------------------------


def _describe(row: dict[str, str], member_count: int) -> str:
    """A neutral sentence built only from facts in the file, for a row that has no description of its own."""
    categories = {
        "grossstadt": "Großstädte",
        "mittelstadt": "Mittelstädte",
        "kleinstadt_landgemeinde": "Kleinstädte und Landgemeinden",
        "interkommunal_landkreis": "Interkommunale Kooperationen und Landkreise",
    }
    parts = [f"Modellprojekt Smart Cities der Staffel {row['cohort']}"]
    if row["category"] in categories:
        parts[0] += f", Wettbewerbskategorie „{categories[row['category']]}“"
    parts[0] += "."
    if member_count > 1:
        parts.append(f"{member_count} beteiligte Kommunen laut Gemeindeverzeichnis.")
    if row["topics"]:
        parts.append(f"Themen laut Quelle: {row['topics']}.")
    return " ".join(parts)


def _unmapped_note(what: str, words: list[str]) -> str:
    return f"{what}: keinem Handlungsfeld zugeordnet (geladen, ohne Zuordnung): {', '.join(words)}"


@dataclass
class _ProjectRow:
    line: int
    values: dict
    lead_ags: str
    member_ags: list[str]
    topic_slugs: list[str]
    notes: list[str]


def _project_from_row(
    line: int, row: dict[str, str], municipalities: dict[str, Municipality], topics: dict[str, Topic]
) -> _ProjectRow:
    slug = row["id"]
    if not slug or len(slug) > 80 or not all(ch.isalnum() or ch in "-_" for ch in slug):
        raise RowError(f"id: {slug!r} ist keine gültige Kennung")
    if not row["name"]:
        raise RowError("name: leer")
    cohort = to_int(row["cohort"], "cohort")
    if cohort not in {2019, 2020, 2021}:
        raise RowError(f"cohort: {row['cohort']!r} ist keine Staffel (2019, 2020, 2021)")
    if row["kind"] not in ModelProject.Kind.values:
        raise RowError(f"kind: unbekannte Art {row['kind']!r}")
    notes: list[str] = []
    phase = row["phase"]
    if phase not in ModelProject.Phase.values:
        notes.append(f"phase: unbekannte Phase {phase!r}, als unbekannt geladen")
        phase = ""
    members = [ags.strip() for ags in row["member_ags"].split(";") if ags.strip()]
    unknown = [ags for ags in [row["lead_ags"], *members] if ags and ags not in municipalities]
    if unknown:
        raise RowError(f"member_ags/lead_ags: Schlüssel nicht im Gemeindeverzeichnis: {', '.join(unknown)}")
    if row["lead_ags"] and row["lead_ags"] not in members:
        members.insert(0, row["lead_ags"])
    # A theme word without a field of action is reported by the caller, never a reason to drop the project.
    slugs, unknown_topics = source_topics_to_slugs(row["topics"])
    if unknown_topics:
        notes.append(_unmapped_note(f"topics von {slug}", unknown_topics))
    missing_topics = [s for s in slugs if s not in topics]
    if missing_topics:
        raise RowError(f"topics: Handlungsfeld fehlt in der Datenbank: {', '.join(missing_topics)}")
    lead = municipalities.get(row["lead_ags"])
    description_sources, not_urls = web_urls(row.get("description_source", ""))
    if not_urls:
        notes.append(f"description_source: keine Web-Adresse, weggelassen: {', '.join(not_urls)}")
    links = {}
    for column in ("profile_url", "list_source"):
        urls, not_urls = web_urls(row[column])
        if not_urls or len(urls) > 1:
            notes.append(f"{column}: keine einzelne Web-Adresse, weggelassen: {row[column]}")
            urls = []
        links[column] = urls[0][:400] if urls else ""
    values = {
        "name": row["name"][:200],
        "cohort": cohort,
        "category": row["category"],
        "kind": row["kind"],
        "lead_municipality_id": lead.pk if lead else None,
        # The Länder of the members in the order named ("HH;SN;BY" for Connected Urban Twins).
        "bundeslaender": ";".join(dict.fromkeys(municipalities[ags].bundesland for ags in members))[:20],
        "population": to_int(row["population"], "population"),
        "lat": to_float(row["lat"], "lat", low=47.0, high=55.5),
        "lon": to_float(row["lon"], "lon", low=5.5, high=15.5),
        "phase": phase,
        "source_topics": row["topics"][:400],
        "description": row.get("description", "") or _describe(row, len(members)),
        "description_source": "; ".join(description_sources),
        "topics_source": row.get("topics_source", "")[:400],
        "website": links["profile_url"],
        "source_url": links["list_source"],
        "note": row["note"],
    }
    return _ProjectRow(
        line=line, values=values, lead_ags=row["lead_ags"], member_ags=members, topic_slugs=slugs, notes=notes
    )


def _sync_m2m(manager, wanted_ids: Iterable[int]) -> bool:
    wanted = set(wanted_ids)
    current = set(manager.values_list("pk", flat=True))
    if wanted == current:
        return False
    manager.set(wanted)
    return True


@transaction.atomic
def model_projects_import(
    *, path: Path, measures_path: Path | None = None, strict: bool = False
) -> tuple[ImportReport, ImportReport | None]:
    """Load model_projects.csv (by ``id`` = slug) and, when given, model_project_measures.csv.

    The directory must be loaded first: members are looked up by AGS. Afterwards exactly the member
    municipalities are ``funded`` (and, for a kreisfreie Stadt, its Kreis row and its Gemeinde row both,
    since they are one territory). A project's topics are its mapped source topics plus its measures'
    topics. Contact fields and capacity are not in the file and are left alone (seed_demo fills demo ones).
    """
    report = ImportReport(kind="Modellprojekte")
    municipalities = {m.ags: m for m in Municipality.objects.only("id", "ags", "bundesland", "level", "kind")}
    if not municipalities:
        raise ImportFileError("Das Gemeindeverzeichnis ist leer: zuerst import_municipalities ausführen.")
    topics = {t.slug: t for t in Topic.objects.all()}
    rows: dict[str, _ProjectRow] = {}
    rejected_ids: set[str] = set()
    for line, row in read_csv(path, MODEL_PROJECT_COLUMNS):
        if "__error__" in row:
            report.reject(line, row["__error__"])
            continue
        try:
            parsed = _project_from_row(line, row, municipalities, topics)
        except RowError as exc:
            report.reject(line, str(exc))
            rejected_ids.add(row["id"])
            continue
        if row["id"] in rows:
            report.reject(line, f"id: {row['id']} kommt mehrfach vor")
            continue
        rows[row["id"]] = parsed
        for note in parsed.notes:
            report.note(line, note)

    measure_report = None
    measure_rows: list[tuple[int, str, dict, list[str]]] = []
    if measures_path is not None:
        measure_report = ImportReport(kind="Maßnahmen")
        seen: set[tuple[str, str]] = set()
        for line, row in read_csv(measures_path, MEASURE_COLUMNS):
            if "__error__" in row:
                measure_report.reject(line, row["__error__"])
                continue
            project, title = row["model_project_id"], row["title"]
            slugs, unknown_topics = source_topics_to_slugs(row["topic"])
            status = row.get("status", "")
            if project in rejected_ids:
                measure_report.reject(line, f"model_project_id: das Modellprojekt {project!r} wurde abgewiesen")
            elif project not in rows:
                measure_report.reject(line, f"model_project_id: unbekanntes Modellprojekt {project!r}")
            elif not title or len(title) > 300:
                measure_report.reject(line, "title: leer oder länger als 300 Zeichen")
            elif (project, title) in seen:
                measure_report.reject(line, f"title: {title!r} kommt für {project} mehrfach vor")
            else:
                seen.add((project, title))
                if unknown_topics:
                    measure_report.note(line, _unmapped_note(f"topic von {title!r}", unknown_topics))
                if status not in Measure.Status.values:
                    measure_report.note(line, f"status: unbekannter Status {status!r}, als unbekannt geladen")
                    status = ""
                source_urls, not_urls = web_urls(row["source_url"])
                if not_urls:
                    measure_report.note(line, f"source_url: keine Web-Adresse, weggelassen: {', '.join(not_urls)}")
                values = {
                    "title": title,
                    "source_url": "; ".join(source_urls),
                    "source_topic": row["topic"][:200],
                    "description": row.get("description", ""),
                    "status": status,
                }
                measure_rows.append((line, project, values, slugs))

    if strict and (report.rejected or (measure_report and measure_report.rejected)):
        transaction.set_rollback(True)
        return report, measure_report

    projects = {p.slug: p for p in ModelProject.objects.all()}
    measure_topics: dict[str, set[str]] = {}
    for _line, project, _values, slugs in measure_rows:
        measure_topics.setdefault(project, set()).update(slugs)
    for slug, parsed in rows.items():
        project = projects.get(slug)
        created = project is None
        if created:
            project = ModelProject.objects.create(slug=slug, **parsed.values)
            projects[slug] = project
            changed = True
        else:
            changed_fields = {k: v for k, v in parsed.values.items() if getattr(project, k) != v}
            if changed_fields:
                ModelProject.objects.filter(pk=project.pk).update(**changed_fields)
            changed = bool(changed_fields)
        changed |= _sync_m2m(project.municipalities, [municipalities[ags].pk for ags in parsed.member_ags])
        wanted_topics = [*parsed.topic_slugs, *sorted(measure_topics.get(slug, set()) - set(parsed.topic_slugs))]
        changed |= _sync_m2m(project.topics, [topics[s].pk for s in wanted_topics])
        if created:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1

    if measure_report is not None:
        _measures_sync(measure_rows, projects, topics, measure_report)
    _funded_sync()
    return report, measure_report


def _measures_sync(
    measure_rows: list[tuple[int, str, dict, list[str]]],
    projects: dict[str, ModelProject],
    topics: dict[str, Topic],
    report: ImportReport,
) -> None:
    existing = {(m.model_project_id, m.title): m for m in Measure.objects.all()}
    for _line, project_slug, values, slugs in measure_rows:
        project = projects[project_slug]
        measure = existing.get((project.pk, values["title"]))
        if measure is None:
            measure = Measure.objects.create(model_project=project, **values)
            report.created += 1
            changed = True
        else:
            changed_fields = {k: v for k, v in values.items() if getattr(measure, k) != v}
            changed = bool(changed_fields)
            if changed:
                Measure.objects.filter(pk=measure.pk).update(**changed_fields)
        changed |= _sync_m2m(measure.topics, [topics[s].pk for s in slugs])
        if (project.pk, values["title"]) not in existing:
            continue
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1


def _funded_sync() -> None:
    """funded = member of a model project, or the other row of the same kreisfreie territory."""
    member_ags = set(Municipality.objects.filter(model_projects__isnull=False).values_list("ags", flat=True).distinct())
    twins: set[str] = set()
    kreisfrei = Municipality.objects.filter(kind__in=_KREISFREI).values_list("ags", "level")
    kreisfrei_ags = {ags for ags, _level in kreisfrei}
    for ags in member_ags:
        if ags in kreisfrei_ags:
            twin = ags[:5] if len(ags) == 8 else ags + "000"
            if twin in kreisfrei_ags:
                twins.add(twin)
    funded = member_ags | twins
    Municipality.objects.filter(ags__in=funded, funded=False).update(funded=True)
    Municipality.objects.filter(funded=True).exclude(ags__in=funded).update(funded=False)


def projects_funded_ags() -> set[str]:
    """The AGS marked funded (for the report and tests)."""
    return set(Municipality.objects.filter(funded=True).values_list("ags", flat=True))

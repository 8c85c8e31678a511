"""The catalogue loaders on the real files and on small files with good and bad rows."""

from __future__ import annotations

import io
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue.loaders import ImportFileError, model_projects_import, municipalities_import, topics_sync
from catalogue.models import Measure, ModelProject, Municipality, Topic

pytestmark = pytest.mark.django_db

DATA = Path(settings.SHARED_DATA_DIR)
HEADER = (
    "ags,ars,name,short_name,level,kind,kind_code,state_code,state,district_ags,district_name,association_ars,"
    "association_name,association_kind,population,area_km2,postal_code,lat,lon,urbanisation\n"
)
BAMBERG_KREIS = "09461,09461,Bamberg,Bamberg,kreis,kreisfreie_stadt,41,BY,Bayern,09461,Bamberg,,,,79000,54.62,,,,\n"
BAMBERG = (
    "09461000,094610000000,Bamberg,Bamberg,gemeinde,kreisfreie_stadt,61,BY,Bayern,09461,Bamberg,094610000,"
    "Bamberg,verbandsfreie_gemeinde,79000,54.62,96047,49.891000,10.886000,dicht besiedelt\n"
)
HALLSTADT = (
    '09471145,094715145145,"Hallstadt, St",Hallstadt,gemeinde,stadt,63,BY,Bayern,09471,Bamberg,094715145,'
    "Hallstadt,verbandsfreie_gemeinde,8700,14.2,96103,49.929000,10.877000,mittlere Besiedlungsdichte\n"
)


def write(tmp_path: Path, text: str, name: str = "m.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(model) -> list[tuple]:
    return sorted(model.objects.values_list())


def test_the_real_directory_loads_all_11152_rows_in_a_few_seconds():
    started = time.perf_counter()
    report = municipalities_import(path=DATA / "municipalities.csv")
    elapsed = time.perf_counter() - started

    assert report.rejected == []
    assert report.created == 11_152
    assert Municipality.objects.filter(level="gemeinde").count() == 10_752
    assert Municipality.objects.filter(level="kreis").count() == 400
    assert elapsed < 20, f"import took {elapsed:.1f} s"
    munich = Municipality.objects.get(ags="09162000")
    assert (munich.short_name, munich.search_name, munich.size_class) == ("München", "muenchen", "gt100k")


def test_a_second_import_of_the_directory_changes_no_row():
    municipalities_import(path=DATA / "municipalities.csv")
    before = snapshot(Municipality)

    report = municipalities_import(path=DATA / "municipalities.csv")

    assert (report.created, report.updated, report.unchanged) == (0, 0, 11_152)
    assert snapshot(Municipality) == before


def _links() -> list[list[tuple]]:
    """The many-to-many rows of the catalogue: members, project topics, measure topics."""
    return [
        sorted(through.objects.values_list())
        for through in (
            ModelProject.municipalities.through,
            ModelProject.topics.through,
            Measure.topics.through,
        )
    ]


def test_all_73_model_projects_and_319_measures_load_and_a_second_run_changes_nothing(directory):
    topics_sync()
    report, measures = model_projects_import(
        path=DATA / "model_projects.csv", measures_path=DATA / "model_project_measures.csv"
    )
    assert report.rejected == [] and measures.rejected == []
    assert (report.created, measures.created) == (73, 319)
    assert (ModelProject.objects.count(), Measure.objects.count()) == (73, 319)
    before = [snapshot(m) for m in (Municipality, ModelProject, Measure, Topic)]
    links_before = _links()

    again, measures_again = model_projects_import(
        path=DATA / "model_projects.csv", measures_path=DATA / "model_project_measures.csv"
    )

    assert (again.created, again.updated, again.unchanged) == (0, 0, 73)
    assert (measures_again.created, measures_again.updated, measures_again.unchanged) == (0, 0, 319)
    assert [snapshot(m) for m in (Municipality, ModelProject, Measure, Topic)] == before
    assert _links() == links_before
    # The notes of the second run are those of the first: the same words, still unmapped.
    assert (again.notes, measures_again.notes) == (report.notes, measures.notes)


def test_the_real_files_give_the_phases_and_statuses_the_sources_state(directory):
    call_command("import_model_projects", verbosity=0)

    phases = Counter(ModelProject.objects.values_list("phase", flat=True))
    statuses = Counter(Measure.objects.values_list("status", flat=True))

    assert phases == {"implementation": 46, "completed": 1, "": 26}
    assert statuses == {"operational": 93, "implementing": 55, "planned": 37, "": 134}
    assert ModelProject.objects.get(slug="mpsc-2020-hagenow").phase == ModelProject.Phase.COMPLETED
    assert ModelProject.objects.get(slug="mpsc-2020-barleben").phase == ""  # left open on purpose (SOURCES.md)
    # Every project has a description with its sources, and every measure a description.
    assert not ModelProject.objects.filter(description="").exists()
    assert not ModelProject.objects.filter(description_source="").exists()
    assert not Measure.objects.filter(description="").exists()
    # The measures' fields of action reach their project, so no project is left without one.
    assert not ModelProject.objects.filter(topics__isnull=True).exists()


def test_real_facts_of_the_files_arrive_as_the_sources_say(directory):
    call_command("import_model_projects", verbosity=0)

    shuttle = Measure.objects.get(model_project__slug="mpsc-2019-suederbrarup", title="Smartes Dorfshuttle")
    assert shuttle.status == Measure.Status.OPERATIONAL
    assert "On-Demand-Shuttle" in shuttle.description
    assert list(shuttle.topics.values_list("slug", flat=True)) == ["mobility"]
    assert shuttle.source_urls == [
        "https://smart-city-dialog.de/node/12427",
        "https://smartcityamtsuederbrarup.de/was-bringt-das-smart-city-projekt-eigentlich-eine-halbzeitbilanz/",
        "https://smartcityamtsuederbrarup.de/besuch-der-bundesministerin-klara-geywitz-im-amt-suederbrarup/",
    ]
    solingen = ModelProject.objects.get(slug="mpsc-2019-solingen")
    assert solingen.description.startswith("Solingen verbindet")
    assert solingen.topics_source and solingen.description_sources
    assert all(url.startswith("https://") for url in solingen.description_sources)
    giessen = ModelProject.objects.get(slug="mpsc-2021-lk-giessen")
    # A bare ";" inside a URL is part of it; only "; " separates two sources.
    assert len(giessen.description_sources) == 4
    assert giessen.description_sources[-1].endswith("smart-region;art2773,905898")
    assert Measure.objects.filter(source_url__contains="; ").count() == 38


def test_the_import_command_ends_with_what_was_loaded_and_lists_each_unmapped_word_with_its_line(directory):
    out, err = io.StringIO(), io.StringIO()

    call_command("import_model_projects", stdout=out, stderr=err)

    text = out.getvalue()
    assert err.getvalue() == ""
    assert text.rstrip().splitlines()[-1].startswith("Geladen: 73 Modellprojekte, 319 Maßnahmen; 0 Zeilen abgewiesen")
    assert "Modellprojekte: 73 neu, 0 geändert, 0 unverändert, 0 abgewiesen; 73 Zeilen geladen" in text
    assert "Maßnahmen: 319 neu, 0 geändert, 0 unverändert, 0 abgewiesen; 319 Zeilen geladen" in text
    assert (
        "Modellprojekte: Hinweis: Zeile 35: topics von mpsc-2020-aalen-heidenheim: keinem Handlungsfeld "
        "zugeordnet (geladen, ohne Zuordnung): lebenswert, nachhaltig, stark, vernetzt, innovativ"
    ) in text
    assert "Maßnahmen: Hinweis: Zeile 128: topic von 'Digitale schwarze Bretter'" in text


def test_model_projects_carry_members_lead_topics_phase_and_funded_flags(directory):
    call_command("import_model_projects", verbosity=0)

    cut = ModelProject.objects.get(slug="mpsc-2020-cut")
    assert cut.lead_municipality.ags == "02000000"
    assert sorted(cut.municipalities.values_list("ags", flat=True)) == ["02000000", "09162000", "14713000"]
    assert cut.bundeslaender == "HH;SN;BY"
    assert {"digital-twin", "urban-data-platform", "housing"} <= set(cut.topics.values_list("slug", flat=True))
    assert ModelProject.objects.get(slug="mpsc-2019-kaiserslautern").phase == "implementation"
    assert ModelProject.objects.exclude(phase="").count() == 47
    assert ModelProject.objects.get(slug="mpsc-2019-suederbrarup").municipalities.count() == 13
    vrrn = ModelProject.objects.get(slug="mpsc-2021-vrrn")
    assert vrrn.lead_municipality is None and vrrn.municipalities.count() == 0
    # A kreisfreie Stadt: its Gemeinde row and its Kreis row are one territory, both funded.
    assert Municipality.objects.get(ags="09461000").funded and Municipality.objects.get(ags="09461").funded
    # A Landkreis project funds the Kreis, not each of its Gemeinden.
    assert Municipality.objects.get(ags="09479").funded
    assert not Municipality.objects.filter(ags__startswith="09479", level="gemeinde", funded=True).exists()
    assert Municipality.objects.get(ags="09162").funded  # München (a CUT member) as Kreis row too
    solingen = ModelProject.objects.get(slug="mpsc-2019-solingen")
    lights = solingen.measures.get(title__startswith="Open SmartCity HUB")
    assert list(lights.topics.values_list("slug", flat=True)) == ["urban-data-platform"]
    # Mapped source words and the measures' fields together: "Sensorik & LoRaWan", "Wasser", the HUB.
    assert {"digital-infrastructure", "water", "climate-adaptation", "urban-data-platform"} == set(
        solingen.topics.values_list("slug", flat=True)
    )


def test_rejected_directory_rows_are_reported_with_their_line_number_and_the_good_rows_load(tmp_path):
    bad = [
        "0946100,094610000000,Kurz,Kurz,gemeinde,stadt,63,BY,Bayern,09461,B,,,,1,1,,,,\n",  # line 2: 7 digits
        "09471146,x,,Leer,gemeinde,stadt,63,BY,Bayern,09471,B,,,,1,1,,,,\n",  # line 3: empty name
        "09471147,x,N,N,gemeinde,stadt,63,XX,Nirgendwo,09471,B,,,,1,1,,,,\n",  # line 4: unknown Land
        "09471148,x,N,N,gemeinde,stadt,63,BY,Bayern,09471,B,,,,viele,1,,,,\n",  # line 5: population
        "09471149,x,N,N,gemeinde,stadt,63,BY,Bayern,09471,B,,,,1,1,,91.0,10.0,\n",  # line 6: latitude
        "09471150,x,N,N,stadtteil,stadt,63,BY,Bayern,09471,B,,,,1,1,,,,\n",  # line 7: level
        "09471151,x,N,N,gemeinde\n",  # line 8: too few fields
    ]
    path = write(tmp_path, HEADER + "".join(bad) + BAMBERG + BAMBERG)  # line 10 repeats line 9

    report = municipalities_import(path=path)

    reasons = dict(report.rejected)
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 10]
    assert "ags" in reasons[2] and "name" in reasons[3] and "XX" in reasons[4] and "viele" in reasons[5]
    assert "lat" in reasons[6] and "stadtteil" in reasons[7] and "Felder" in reasons[8] and "mehrfach" in reasons[10]
    assert list(Municipality.objects.values_list("ags", flat=True)) == ["09461000"]


def test_strict_import_loads_nothing_when_a_row_is_bad(tmp_path):
    path = write(tmp_path, HEADER + BAMBERG + "0946100,x,Kurz,Kurz,gemeinde,stadt,63,BY,Bayern,,,,,,1,1,,,,\n")

    with pytest.raises(CommandError, match="nichts geladen"):
        call_command("import_municipalities", path=path, strict=True, verbosity=0)

    assert not Municipality.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leere Datei"),
        (b"ags,name\n01001,Flensburg\n", "Spalten fehlen"),
        ("ags;name\n".encode("utf-16"), "keine UTF-8-Datei"),
        (HEADER.encode() + b'"01001,unterminated\n', "kein gültiges CSV"),
    ],
)
def test_a_malformed_file_gives_a_clear_error_and_loads_nothing(tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFileError, match=message):
        municipalities_import(path=path)
    with pytest.raises(CommandError, match=message):
        call_command("import_municipalities", path=path, verbosity=0)
    assert not Municipality.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        call_command("import_municipalities", path=tmp_path / "nope.csv", verbosity=0)


def test_a_changed_row_is_updated_and_only_that_row(tmp_path):
    municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + BAMBERG + HALLSTADT))
    changed = BAMBERG.replace(",79000,", ",80000,")

    report = municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + changed + HALLSTADT, "n.csv"))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Municipality.objects.get(ags="09461000").population == 80_000


MP_HEADER = (
    "id,name,cohort,category,kind,lead_ags,lead_name,member_ags,member_names,state,population,lat,lon,phase,"
    "topics,topics_source,profile_url,list_source,note\n"
)


def test_rejected_model_project_and_measure_rows_name_line_and_reason_and_the_rest_loads(tmp_path):
    municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + BAMBERG + HALLSTADT))
    topics_sync()
    projects = write(
        tmp_path,
        MP_HEADER
        + "mp-bamberg,Bamberg,2020,mittelstadt,city,09461000,,09461000,,,79000,49.89,10.88,,Mobilität; Daten,,,,\n"
        + "mp-x,X,2018,mittelstadt,city,09461000,,09461000,,,1,,,,,,,,\n"  # line 3: cohort
        + "mp-y,Y,2020,mittelstadt,city,09999999,,09999999,,,1,,,,,,,,\n"  # line 4: unknown AGS
        + "mp-z,Z,2020,mittelstadt,city,09461000,,09461000,,,1,,,,Raumfahrt,,,,\n"  # line 5: a note only
        + "mp-w,W,2020,mittelstadt,stadtstaat,09461000,,09461000,,,1,,,,,,,,\n"  # line 6: kind
        + "mp v!,V,2020,mittelstadt,city,09461000,,09461000,,,1,,,,,,,,\n"  # line 7: bad id
        + "mp-n,,2020,mittelstadt,city,09461000,,09461000,,,1,,,,,,,,\n"  # line 8: no name
        + "mp-k,K,2020,mittelstadt,city,0946100x,,0946100x,,,1,,,,,,,,\n"  # line 9: malformed AGS
        + "mp-bamberg,Bamberg,2021,mittelstadt,city,09461000,,09461000,,,1,,,,,,,,\n",  # line 10: id again
        "p.csv",
    )
    measures = write(
        tmp_path,
        "model_project_id,model_project_name,title,topic,source_url\n"
        "mp-bamberg,Bamberg,Mobilitätsplattform,Mobilität,https://example.org/a\n"
        "mp-unbekannt,?,Etwas,,https://example.org/b\n"  # line 3: unknown project
        "mp-bamberg,Bamberg,Sternwarte,Astronomie,\n"  # line 4: a note only
        "mp-bamberg,Bamberg,,Mobilität,https://example.org/c\n"  # line 5: no title
        "mp-y,Y,Rufbus,Mobilität,https://example.org/d\n"  # line 6: its project was rejected
        "mp-bamberg,Bamberg,Mobilitätsplattform,Daten,https://example.org/e\n",  # line 7: title again
        "me.csv",
    )

    report, measure_report = model_projects_import(path=projects, measures_path=measures)

    reasons = dict(report.rejected)
    assert sorted(reasons) == [3, 4, 6, 7, 8, 9, 10]
    assert "2018" in reasons[3] and "09999999" in reasons[4] and "stadtstaat" in reasons[6]
    assert "id" in reasons[7] and "name: leer" in reasons[8] and "0946100x" in reasons[9]
    assert "mehrfach" in reasons[10]
    assert report.notes == [
        "Zeile 5: topics von mp-z: keinem Handlungsfeld zugeordnet (geladen, ohne Zuordnung): Raumfahrt"
    ]
    measure_reasons = dict(measure_report.rejected)
    assert sorted(measure_reasons) == [3, 5, 6, 7]
    assert "mp-unbekannt" in measure_reasons[3] and "title" in measure_reasons[5]
    assert "abgewiesen" in measure_reasons[6] and "mehrfach" in measure_reasons[7]
    assert measure_report.notes == [
        "Zeile 4: topic von 'Sternwarte': keinem Handlungsfeld zugeordnet (geladen, ohne Zuordnung): Astronomie"
    ]
    assert sorted(ModelProject.objects.values_list("slug", flat=True)) == ["mp-bamberg", "mp-z"]
    project = ModelProject.objects.get(slug="mp-bamberg")
    assert sorted(project.topics.values_list("slug", flat=True)) == ["mobility", "urban-data-platform"]
    assert sorted(project.measures.values_list("title", flat=True)) == ["Mobilitätsplattform", "Sternwarte"]
    assert ModelProject.objects.get(slug="mp-z").source_topics == "Raumfahrt"
    assert Municipality.objects.get(ags="09461").funded and not Municipality.objects.get(ags="09471145").funded


NEW_MP_HEADER = MP_HEADER.rstrip("\n") + ",description,description_source\n"
NEW_MEASURE_HEADER = "model_project_id,model_project_name,title,topic,source_url,description,status\n"


def test_an_unknown_status_or_phase_is_a_note_and_loads_as_unknown(tmp_path):
    municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + BAMBERG))
    topics_sync()
    projects = write(
        tmp_path,
        NEW_MP_HEADER + 'mp,Bamberg,2020,mittelstadt,city,09461000,,09461000,,,1,,,fertig,,,,,,"Text.",\n',
        "p.csv",
    )
    measures = write(
        tmp_path,
        NEW_MEASURE_HEADER
        + "mp,Bamberg,Rufbus,Mobilität,https://example.org/a,Ein Rufbus.,läuft\n"
        + "mp,Bamberg,Bürgerbus,Mobilität,https://example.org/b,Ein Bürgerbus.,planned\n",
        "me.csv",
    )

    report, measure_report = model_projects_import(path=projects, measures_path=measures)

    assert report.rejected == [] and measure_report.rejected == []
    assert report.notes == ["Zeile 2: phase: unbekannte Phase 'fertig', als unbekannt geladen"]
    assert measure_report.notes == ["Zeile 2: status: unbekannter Status 'läuft', als unbekannt geladen"]
    assert ModelProject.objects.get().phase == ModelProject.Phase.UNKNOWN
    assert dict(Measure.objects.values_list("title", "status")) == {"Rufbus": "", "Bürgerbus": "planned"}


def test_files_without_the_new_columns_still_load(tmp_path):
    """GIVEN files in the layout before descriptions, sources and status were added
    WHEN they are imported
    THEN every row loads, the description is written from the row's facts and status stays unknown."""
    municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + BAMBERG))
    topics_sync()
    projects = write(
        tmp_path, MP_HEADER + "mp,Bamberg,2020,mittelstadt,city,09461000,,09461000,,,1,,,,Mobilität,,,,\n", "p.csv"
    )
    measures = write(
        tmp_path,
        "model_project_id,model_project_name,title,topic,source_url\nmp,Bamberg,Rufbus,Mobilität,https://example.org/a\n",
        "me.csv",
    )

    report, measure_report = model_projects_import(path=projects, measures_path=measures)

    assert (report.created, report.rejected, measure_report.created, measure_report.rejected) == (1, [], 1, [])
    project = ModelProject.objects.get()
    assert "Staffel 2020" in project.description and project.description_sources == []
    measure = Measure.objects.get()
    assert (measure.status, measure.description, measure.source_urls) == ("", "", ["https://example.org/a"])


def test_only_web_addresses_are_kept_as_sources(tmp_path):
    municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + BAMBERG))
    topics_sync()
    projects = write(
        tmp_path,
        NEW_MP_HEADER + "mp,Bamberg,2020,mittelstadt,city,09461000,,09461000,,,1,,,,,,javascript:alert(1),,,"
        '"Text.","https://example.org/a; javascript:alert(1); http://example.org/b;x=1"\n',
        "p.csv",
    )
    measures = write(
        tmp_path,
        NEW_MEASURE_HEADER + "mp,Bamberg,Rufbus,,ftp://example.org/a; https://example.org/b,Ein Rufbus.,\n",
        "me.csv",
    )

    report, measure_report = model_projects_import(path=projects, measures_path=measures)

    project = ModelProject.objects.get()
    assert project.description_sources == ["https://example.org/a", "http://example.org/b;x=1"]
    assert project.website == ""
    assert Measure.objects.get().source_urls == ["https://example.org/b"]
    assert [note.split(":")[0] for note in report.notes] == ["Zeile 2", "Zeile 2"]
    assert "javascript:alert(1)" in report.notes[0] and "ftp://example.org/a" in measure_report.notes[0]


def test_a_changed_description_or_status_updates_only_that_row(tmp_path):
    municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + BAMBERG))
    topics_sync()
    projects = write(
        tmp_path, NEW_MP_HEADER + "mp,Bamberg,2020,mittelstadt,city,09461000,,09461000,,,1,,,,,,,,,Text.,\n", "p.csv"
    )
    rows = "mp,Bamberg,Rufbus,Mobilität,https://example.org/a,Ein Rufbus.,{status}\nmp,Bamberg,App,,,Eine App.,\n"
    model_projects_import(path=projects, measures_path=write(tmp_path, NEW_MEASURE_HEADER + rows.format(status="")))

    report, measure_report = model_projects_import(
        path=projects, measures_path=write(tmp_path, NEW_MEASURE_HEADER + rows.format(status="operational"), "n.csv")
    )

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (measure_report.created, measure_report.updated, measure_report.unchanged) == (0, 1, 1)
    assert Measure.objects.get(title="Rufbus").status == "operational"


def test_a_municipality_that_leaves_every_project_is_no_longer_funded(tmp_path):
    municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + BAMBERG + HALLSTADT))
    topics_sync()
    row = "mp,Hallstadt,2020,mittelstadt,city,{ags},,{ags},,,1,,,,,,,,\n"
    model_projects_import(path=write(tmp_path, MP_HEADER + row.format(ags="09471145"), "a.csv"))
    assert Municipality.objects.get(ags="09471145").funded

    model_projects_import(path=write(tmp_path, MP_HEADER + row.format(ags="09461000"), "b.csv"))

    assert not Municipality.objects.get(ags="09471145").funded
    assert Municipality.objects.filter(funded=True).count() == 2


def test_model_projects_need_the_directory_first(tmp_path):
    with pytest.raises(CommandError, match="import_municipalities"):
        call_command("import_model_projects", verbosity=0)


def test_topics_sync_writes_at_least_15_fields_with_folded_keywords_and_is_idempotent():
    first = topics_sync()
    second = topics_sync()

    assert first.created >= 15 and second.changed == 0
    mobility = Topic.objects.get(slug="mobility")
    assert mobility.name_de == "Mobilität und Verkehr" and mobility.name_en == "Mobility and transport"
    assert "mobilität" in mobility.keywords and "mobilitaet" in mobility.keywords
    assert Topic.objects.get(slug="digital-twin").parent.slug == "urban-data-platform"


def test_the_command_lists_each_rejected_line_and_still_loads_the_good_rows(tmp_path):
    path = write(tmp_path, HEADER + BAMBERG + "0946100,x,Kurz,Kurz,gemeinde,stadt,63,BY,Bayern,,,,,,1,1,,,,\n")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_municipalities", path=path, stdout=out, stderr=err)

    assert "Zeile 3 abgewiesen: ags: '0946100' ist kein 8-stelliger Schlüssel" in err.getvalue()
    assert "1 neu, 0 geändert, 0 unverändert, 1 abgewiesen" in out.getvalue()
    assert Municipality.objects.filter(ags="09461000").exists()

"""The catalogue loaders on the real files and on small files with good and bad rows."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from crm.models import Measure, ModelProject, Municipality, Topic
from crm.services import ImportFileError, model_projects_import, municipalities_import, topics_sync

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


def test_all_73_model_projects_and_22_measures_load_and_a_second_run_changes_nothing():
    municipalities_import(path=DATA / "municipalities.csv")
    topics_sync()
    report, measures = model_projects_import(
        path=DATA / "model_projects.csv", measures_path=DATA / "model_project_measures.csv"
    )
    assert report.rejected == [] and measures.rejected == []
    assert (report.created, measures.created) == (73, 22)
    assert ModelProject.objects.count() == 73
    before = [snapshot(m) for m in (Municipality, ModelProject, Measure, Topic)]
    members_before = sorted(
        ModelProject.municipalities.through.objects.values_list("modelproject_id", "municipality_id")
    )

    again, measures_again = model_projects_import(
        path=DATA / "model_projects.csv", measures_path=DATA / "model_project_measures.csv"
    )

    assert (again.created, again.updated, again.unchanged) == (0, 0, 73)
    assert (measures_again.created, measures_again.updated, measures_again.unchanged) == (0, 0, 22)
    assert [snapshot(m) for m in (Municipality, ModelProject, Measure, Topic)] == before
    assert (
        sorted(ModelProject.municipalities.through.objects.values_list("modelproject_id", "municipality_id"))
        == members_before
    )


def test_model_projects_carry_members_lead_topics_phase_and_funded_flags():
    municipalities_import(path=DATA / "municipalities.csv")
    call_command("import_model_projects", verbosity=0)

    cut = ModelProject.objects.get(slug="mpsc-2020-cut")
    assert cut.lead_municipality.ags == "02000000"
    assert sorted(cut.municipalities.values_list("ags", flat=True)) == ["02000000", "09162000", "14713000"]
    assert cut.state == "HH;SN;BY"
    assert {"digital-twin", "urban-data-platform", "housing"} <= set(cut.topics.values_list("slug", flat=True))
    assert ModelProject.objects.get(slug="mpsc-2019-kaiserslautern").phase == "implementation"
    assert ModelProject.objects.exclude(phase="").count() == 1
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
    assert "Staffel 2019" in solingen.description


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


def test_rejected_model_project_and_measure_rows_name_line_and_reason(tmp_path):
    municipalities_import(path=write(tmp_path, HEADER + BAMBERG_KREIS + BAMBERG + HALLSTADT))
    topics_sync()
    projects = write(
        tmp_path,
        MP_HEADER
        + "mp-bamberg,Bamberg,2020,mittelstadt,city,09461000,,09461000,,,79000,49.89,10.88,,Mobilität; Daten,,,,\n"
        + "mp-x,X,2018,mittelstadt,city,09461000,,09461000,,,1,,,,,,,,\n"  # line 3: cohort
        + "mp-y,Y,2020,mittelstadt,city,09999999,,09999999,,,1,,,,,,,,\n"  # line 4: unknown AGS
        + "mp-z,Z,2020,mittelstadt,city,09461000,,09461000,,,1,,,,Raumfahrt,,,,\n"  # line 5: unknown topic
        + "mp-w,W,2020,mittelstadt,stadtstaat,09461000,,09461000,,,1,,,,,,,,\n",  # line 6: kind
        "p.csv",
    )
    measures = write(
        tmp_path,
        "model_project_id,model_project_name,title,topic,source_url\n"
        "mp-bamberg,Bamberg,Mobilitätsplattform,Mobilität,https://example.org/a\n"
        "mp-unbekannt,?,Etwas,,https://example.org/b\n"  # line 3
        "mp-bamberg,Bamberg,Sternwarte,Astronomie,\n",  # line 4
        "me.csv",
    )

    report, measure_report = model_projects_import(path=projects, measures_path=measures)

    assert [line for line, _ in report.rejected] == [3, 4, 5, 6]
    assert "2018" in report.rejected[0][1] and "09999999" in report.rejected[1][1]
    assert "Raumfahrt" in report.rejected[2][1] and "stadtstaat" in report.rejected[3][1]
    assert [line for line, _ in measure_report.rejected] == [3, 4]
    project = ModelProject.objects.get()
    assert sorted(project.topics.values_list("slug", flat=True)) == ["mobility", "urban-data-platform"]
    assert project.measures.get().title == "Mobilitätsplattform"
    assert Municipality.objects.get(ags="09461").funded and not Municipality.objects.get(ags="09471145").funded


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

"""The evaluation on the real catalogue (the shared data files) and the labelled set of tests/matching."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LABELLED = Path(__file__).with_name("labelled_enquiries.csv")


@pytest.fixture
def real_catalogue(db):
    services = pytest.importorskip("crm.services")
    if not hasattr(services, "model_projects_import"):
        pytest.skip("catalogue loaders not there yet")
    data = Path(settings.SHARED_DATA_DIR)
    if not (data / "model_project_measures.csv").exists():
        pytest.skip(f"no shared data in {data}")
    services.topics_sync()
    services.municipalities_import(path=data / "municipalities.csv")
    services.model_projects_import(path=data / "model_projects.csv", measures_path=data / "model_project_measures.csv")


def test_the_labelled_set_has_at_least_25_enquiries():
    lines = LABELLED.read_text(encoding="utf-8").strip().splitlines()
    assert len(lines) - 1 >= 25


def test_recall_at_3_on_the_real_catalogue_is_at_least_0_8(real_catalogue):
    out = StringIO()
    call_command("evaluate_matching", str(LABELLED), stdout=out)
    figures = dict(line.split(": ") for line in out.getvalue().strip().splitlines())
    assert int(figures["Anfragen"]) >= 25
    assert float(figures["recall@3"]) >= 0.8
    assert float(figures["recall@1"]) <= float(figures["recall@3"])
    assert 0 < float(figures["MRR"]) <= 1


def test_a_file_without_the_columns_is_refused(real_catalogue, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Spalten fehlen"):
        call_command("evaluate_matching", str(bad))
    with pytest.raises(CommandError):
        call_command("evaluate_matching", str(tmp_path / "missing.csv"))


def test_every_proposal_on_the_real_catalogue_carries_an_explanation(real_catalogue):
    """GIVEN the real catalogue WHEN Freiberg asks something without topic or content words
    THEN it still gets model projects, each explained by all six signals in German, and never its own."""
    from crm.models import Match
    from workflows.intake import enquiry_submit

    enquiry = enquiry_submit(
        municipality_ags="14522180",
        contact_name="Test",
        contact_email="test@freiberg.example",
        subject="Hallo",
        message="Wir haben eine Frage.",
        topic_slugs=[],
        support_type="information",
        consent=True,
    )
    matches = list(Match.objects.filter(enquiry=enquiry, kind="model_project"))
    assert len(matches) == 5
    for match in matches:
        assert [e["signal"] for e in match.explanation] == [
            "topic", "text", "similarity", "maturity", "capacity", "success"
        ]  # fmt: skip
        assert all(e["text"] for e in match.explanation)
    texts = {e["text"] for m in matches for e in m.explanation}
    assert "Anfrage ohne Handlungsfeld: Themen nicht bewertet" in texts
    assert "keine inhaltliche Übereinstimmung im Text der Anfrage" in texts

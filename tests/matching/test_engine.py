"""The engine over a small catalogue: ranking, explanations, exclusion of the own project, bad input."""

from __future__ import annotations

import pytest

from crm.models import Measure
from tests import factories as f
from workflows.matching.engine import partners_rank, projects_rank, query_for_enquiry
from workflows.matching.index import catalogue_index

pytestmark = pytest.mark.django_db

SIGNALS = ["topic", "text", "similarity", "maturity", "capacity", "success"]


def _rank(enquiry):
    return projects_rank(query=query_for_enquiry(enquiry=enquiry))


def test_a_village_asking_for_an_on_demand_bus_gets_the_dorfshuttle_first(catalogue):
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer,
        subject="Rufbus für unsere Dörfer",
        message="Wie organisiert man einen Bus, den man per App bestellt?",
        topics=[catalogue.mobility],
    )
    ranking = _rank(enquiry)
    assert ranking[0].target_id == catalogue.dorf.pk
    assert ranking[0].measures == [(catalogue.shuttle.pk, "Smartes Dorfshuttle")]
    assert [e["signal"] for e in ranking[0].explanation] == SIGNALS
    texts = {e["signal"]: e["text"] for e in ranking[0].explanation}
    assert texts["topic"] == "Handlungsfeld Mobilität und Verkehr"
    assert "Smartes Dorfshuttle" in texts["text"]
    assert "km entfernt" in texts["similarity"]


def test_text_relevance_alone_finds_the_measure(catalogue):
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer,
        subject="Stromverbrauch unserer Schulen",
        message="Wir wollen den Energieverbrauch der Gebäude laufend messen.",
    )
    ranking = _rank(enquiry)
    assert ranking[0].target_id == catalogue.energie.pk
    text = next(e for e in ranking[0].explanation if e["signal"] == "text")
    assert text["value"] > 0
    assert "Energiemonitoring" in text["text"]


def test_every_score_is_the_sum_of_weight_times_value(catalogue):
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Offene Daten", message="Datenplattform")
    for proposal in _rank(enquiry):
        assert proposal.score == pytest.approx(sum(e["weight"] * e["value"] for e in proposal.explanation), abs=1e-3)
        assert all(0 <= e["value"] <= 1 for e in proposal.explanation)


def test_the_ranking_is_deterministic(catalogue):
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Daten", message="Plattform für Daten")
    first = [(p.target_id, p.score) for p in _rank(enquiry)]
    assert first == [(p.target_id, p.score) for p in _rank(enquiry)]


def test_the_enquirers_own_project_is_never_proposed(catalogue):
    enquiry = f.EnquiryFactory(
        municipality=catalogue.dorf.lead_municipality,
        subject="Dorfshuttle",
        message="Unser Dorfshuttle mit Kleinbus per App",
        topics=[catalogue.mobility],
    )
    assert catalogue.dorf.pk not in {p.target_id for p in _rank(enquiry)}


def test_a_kreisfreie_stadt_asking_as_kreis_does_not_get_its_own_project(catalogue):
    kreis = f.MunicipalityFactory(
        ags="05122", level="kreis", kind="kreisfreie_stadt", short_name="Solingen", state="NW", population=160_000
    )
    enquiry = f.EnquiryFactory(municipality=kreis, subject="Datenplattform", message="Offene Daten")
    assert catalogue.city.pk not in {p.target_id for p in _rank(enquiry)}


def test_an_enquiry_without_topic_and_text_signal_is_still_ranked_and_says_so(catalogue):
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Hallo", message="Wir haben eine Frage.")
    ranking = _rank(enquiry)
    assert len(ranking) == 3
    texts = {e["signal"]: e["text"] for e in ranking[0].explanation}
    assert texts["topic"] == "Anfrage ohne Handlungsfeld: Themen nicht bewertet"
    assert texts["text"] == "keine inhaltliche Übereinstimmung im Text der Anfrage"
    # the nearest, most similar project wins on the other signals
    assert ranking[0].target_id == catalogue.dorf.pk


def test_a_project_without_measures_does_not_crash_the_engine(catalogue):
    bare = f.ModelProjectFactory(name="Ohne Maßnahmen", lead_municipality=None, population=None, lat=None, lon=None)
    enquiry = f.EnquiryFactory(municipality=catalogue.enquirer, subject="Dorfshuttle", message="Bus")
    proposal = next(p for p in _rank(enquiry) if p.target_id == bare.pk)
    assert proposal.measures == []
    assert "keine Maßnahmen erfasst" in next(e["text"] for e in proposal.explanation if e["signal"] == "maturity")


def test_the_catalogue_index_is_rebuilt_when_the_catalogue_changes(catalogue):
    before = catalogue_index()
    assert catalogue_index() is before
    f.MeasureFactory(model_project=catalogue.city, title="Lichtmanagement", status=Measure.Status.OPERATIONAL)
    after = catalogue_index()
    assert after is not before
    assert any(m.title == "Lichtmanagement" for p in after.projects for m in p.measures)


def test_partners_are_ranked_by_expertise_and_region(catalogue):
    f.PartnerFactory(short_name="MOB", expertise=[catalogue.mobility], regions=["SH"])
    f.PartnerFactory(short_name="NRG", expertise=[catalogue.energy], regions=[])
    f.PartnerFactory(short_name="BAY", expertise=[catalogue.mobility], regions=["BY"])
    enquiry = f.EnquiryFactory(
        municipality=catalogue.enquirer, subject="Bus", message="Bus", topics=[catalogue.mobility]
    )
    ranked = partners_rank(query=query_for_enquiry(enquiry=enquiry))
    names = [p.name for p in ranked]
    assert ranked[0].explanation[0]["text"] == "Handlungsfeld Mobilität und Verkehr"
    assert names.index(next(p.name for p in ranked if "zuständig für SH" in p.explanation[1]["text"])) == 0

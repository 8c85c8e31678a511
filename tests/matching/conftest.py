"""A small catalogue built with factories: three model projects with measures, two partners, topics."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from catalogue.models import Measure, ModelProject
from tests import builders as b
from tests import factories as f


@dataclass
class Catalogue:
    mobility: object
    energy: object
    data: object
    dorf: ModelProject  # small rural project, village shuttle
    city: ModelProject  # large city, data platform
    energie: ModelProject  # mid-size, energy monitoring
    shuttle: Measure
    platform: Measure
    monitoring: Measure
    enquirer: object  # a small municipality near "dorf"


@pytest.fixture
def catalogue(db) -> Catalogue:
    mobility = f.TopicFactory(slug="mobility", name_de="Mobilität und Verkehr", keywords=["mobilität", "bus"])
    energy = f.TopicFactory(slug="energy", name_de="Energie", keywords=["energie", "strom"])
    data = f.TopicFactory(slug="urban-data-platform", name_de="Urbane Datenplattform", keywords=["daten"])
    dorf_home = f.MunicipalityFactory(
        ags="01059001",
        short_name="Süderbrarup",
        name="Süderbrarup",
        kind="gemeinde",
        bundesland="SH",
        population=4_000,
        lat=54.63,
        lon=9.77,
    )
    city_home = f.MunicipalityFactory(
        ags="05122000",
        short_name="Solingen",
        name="Solingen, Klingenstadt",
        kind="kreisfreie_stadt",
        bundesland="NW",
        population=160_000,
        lat=51.17,
        lon=7.08,
    )
    energie_home = f.MunicipalityFactory(
        ags="12052000",
        short_name="Cottbus",
        name="Cottbus",
        kind="kreisfreie_stadt",
        bundesland="BB",
        population=98_000,
        lat=51.76,
        lon=14.33,
    )
    dorf = f.ModelProjectFactory(
        slug="mpsc-dorf",
        name="Amt Süderbrarup",
        kind="municipal_association",
        lead_municipality=dorf_home,
        topics=[mobility],
        phase="implementation",
    )
    city = f.ModelProjectFactory(
        slug="mpsc-city", name="Solingen", kind="city", lead_municipality=city_home, topics=[data]
    )
    energie = f.ModelProjectFactory(
        slug="mpsc-energie", name="Cottbus", kind="city", lead_municipality=energie_home, topics=[energy]
    )
    shuttle = f.MeasureFactory(
        model_project=dorf,
        title="Smartes Dorfshuttle",
        topics=[mobility],
        description="Ein Kleinbus fährt auf Bestellung per App zwischen den Dörfern des Amtes.",
    )
    platform = f.MeasureFactory(
        model_project=city,
        title="Open SmartCity HUB (urbane Datenplattform)",
        topics=[data],
        description="Offene Daten der Stadt in Echtzeit, Schnittstellen für Verwaltung und Wirtschaft.",
    )
    monitoring = f.MeasureFactory(
        model_project=energie,
        title="Energiemonitoring",
        topics=[energy],
        description="Verbrauch von Strom und Wärme in städtischen Gebäuden wird laufend gemessen.",
        status=Measure.Status.IMPLEMENTING,
    )
    enquirer = f.MunicipalityFactory(
        ags="01059099",
        short_name="Kleindorf",
        name="Kleindorf",
        kind="gemeinde",
        bundesland="SH",
        population=3_500,
        lat=54.60,
        lon=9.80,
    )
    return Catalogue(mobility, energy, data, dorf, city, energie, shuttle, platform, monitoring, enquirer)


@pytest.fixture
def submit(catalogue):
    """Submit an enquiry from the enquirer municipality the way the public form does."""

    def _submit(
        *, subject="Rufbus für unsere Dörfer", message="Ein Bus, den man per App bestellt.", topics=None, ags=None
    ):
        return b.enquiry_submitted(
            municipality=ags or catalogue.enquirer,
            topics=["mobility"] if topics is None else topics,
            contact_name="Maria Muster",
            contact_email="maria@kleindorf.example",
            contact_phone="04641 123",
            subject=subject,
            message=message,
            support_type="contact",
        )

    return _submit


@pytest.fixture
def in_progress(submit, coordinator, partner, partner_user):
    """An enquiry submitted, triaged, assigned to the partner and accepted by its staff."""

    def _in_progress(**kwargs):
        return b.enquiry_brought_to(
            submit(**kwargs), "in_progress", coordinator=coordinator, staff=partner_user, partner=partner
        )

    return _in_progress

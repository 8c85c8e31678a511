"""Enquiries for the demand radar (matching.radar): two similar ones on parking sensors, one unrelated, and a
model project with a parking measure that fits them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tests import factories as f


@dataclass
class RadarData:
    mobility: object
    parking: list  # the two similar enquiries
    unrelated: object
    project: object
    places: list


def radar_data() -> RadarData:
    mobility = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["mobilität", "verkehr"])
    places = [
        f.MunicipalityFactory(ags="09162000", name="München, Landeshauptstadt", short_name="München"),
        f.MunicipalityFactory(
            ags="05315000",
            name="Köln, Stadt",
            short_name="Köln",
            bundesland="NW",
            bundesland_name="Nordrhein-Westfalen",
        ),
        f.MunicipalityFactory(ags="09564000", name="Nürnberg", short_name="Nürnberg"),
    ]
    now = timezone.now()
    parking = [
        f.EnquiryFactory(
            municipality=places[0],
            subject="Sensoren für freie Parkplätze",
            message="Wir möchten Parkplätze mit Sensoren ausstatten, damit Autofahrer freie Parkplätze finden.",
            topics=[mobility],
            created_at=now - timedelta(days=20),
        ),
        f.EnquiryFactory(
            municipality=places[1],
            subject="Parkplätze in der Altstadt: Sensoren",
            message="Welche Sensoren melden, ob Parkplätze belegt sind? Wir suchen Parkplatz-Erfahrungen.",
            topics=[mobility],
            created_at=now - timedelta(days=5),
        ),
    ]
    unrelated = f.EnquiryFactory(
        municipality=places[2],
        subject="Rufbus für die Dörfer",
        message="Ein Kleinbus, den man per Telefon bestellt, soll die Ortsteile verbinden.",
        topics=[mobility],
        created_at=now - timedelta(days=10),
    )
    project = f.ModelProjectFactory(slug="mpsc-parken", name="Parkstadt", topics=[mobility])
    f.MeasureFactory(
        model_project=project,
        title="Sensoren für Parkplätze",
        description="Sensoren im Boden melden freie Parkplätze an eine App.",
        topics=[mobility],
    )
    return RadarData(mobility=mobility, parking=parking, unrelated=unrelated, project=project, places=places)

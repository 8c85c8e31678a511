"""Fixtures of the event tests (tests/events and the event pages in tests/workspace, whose conftests import
them): a field of action, municipalities with enquiries on it (one in progress at the partner) and a model
project that can present."""

from __future__ import annotations

import pytest

from tests import builders as b
from tests import factories as f


@pytest.fixture
def parking(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")


@pytest.fixture
def project(db, parking):
    return f.ModelProjectFactory(name="Smarte Region Parken", contact_email="parken@modellprojekt.example")


@pytest.fixture
def case_in_progress(db, parking, coordinator, partner_user, partner):
    municipality = f.MunicipalityFactory(ags="09780139", name="Kempten (Allgäu), Stadt", bundesland="BY")
    enquiry = b.enquiry_submitted(
        municipality=municipality,
        topics=[parking.slug],
        contact_email="verkehr@kempten.example",
        subject="Parkraumsensoren",
        message="Wie erfasst ihr freie Parkplätze mit Sensoren?",
    )
    return b.enquiry_brought_to(enquiry, "in_progress", coordinator=coordinator, staff=partner_user, partner=partner)


@pytest.fixture
def new_case(db, parking):
    municipality = f.MunicipalityFactory(ags="05315000", name="Köln, Stadt", bundesland="NW")
    return b.enquiry_submitted(
        municipality=municipality,
        topics=[parking.slug],
        contact_email="mobil@koeln.example",
        subject="Parken mit Sensoren",
        message="Wir planen Sensoren für Parkplätze.",
    )

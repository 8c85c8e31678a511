"""Helpers for the enquiry API tests: a catalogue to submit against and cases in a given state."""

from __future__ import annotations

import itertools

import pytest

from tests import builders as b
from tests import factories as f


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Mobilität", "Radverkehr", "ÖPNV"])


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")


@pytest.fixture
def submission(municipality, topic):
    return {
        "municipality": municipality.ags,
        "contact_name": "Erika Muster",
        "contact_email": "erika@bamberg.example",
        "contact_phone": "0951 123",
        "contact_role": "Smart-City-Beauftragte",
        "subject": "Radverkehr in der Innenstadt",
        "message": "Wie habt ihr das Radnetz geplant?",
        "topics": ["mobilitaet"],
        "support_type": "contact",
        "consent": True,
    }


_emails = itertools.count()


@pytest.fixture
def make_case(municipality, topic, coordinator, partner, partner_user):
    """make_case("in_progress") -> an enquiry of `partner` moved there through the services."""

    def make(state: str = "new", *, subject: str = "Radverkehr", for_partner=None, muni=None):
        enquiry = b.enquiry_submitted(
            municipality=muni or municipality,
            topics=[topic.slug],
            contact_name="Max",
            contact_email=f"max-{next(_emails)}@gemeinde.example",
            subject=subject,
            message="Wie geht das?",
        )
        owner = for_partner or partner
        staff = f.UserFactory(username=f"staff-{owner.short_name.lower()}", role="partner", partner=owner)
        return b.enquiry_brought_to(enquiry, state, coordinator=coordinator, staff=staff, partner=owner)

    return make

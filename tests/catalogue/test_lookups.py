"""The submission's per-process lookups (catalogue.lookups): what they remember, and when they forget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.lookups import municipality_by_ags, topics_by_slugs
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_municipality_read_once_is_remembered_and_an_unknown_key_is_not():
    f.MunicipalityFactory(ags="09162000", name="München, Landeshauptstadt")
    assert municipality_by_ags("09162000").name == "München, Landeshauptstadt"
    with CaptureQueriesContext(connection) as again:
        assert municipality_by_ags("09162000").ags == "09162000"
    assert len(again) == 0
    assert municipality_by_ags("01001000") is None
    f.MunicipalityFactory(ags="01001000", name="Flensburg, Stadt")
    assert municipality_by_ags("01001000").name == "Flensburg, Stadt"


def test_a_change_of_a_row_in_this_process_is_seen_at_once():
    munich = f.MunicipalityFactory(ags="09162000", name="München")
    municipality_by_ags("09162000")
    munich.funded = True
    munich.save()
    assert municipality_by_ags("09162000").funded is True


def test_topics_are_read_only_for_the_slugs_not_remembered():
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität")
    f.TopicFactory(slug="energie", name_de="Energie")
    assert [t.slug for t in topics_by_slugs(["mobilitaet"])] == ["mobilitaet"]
    with CaptureQueriesContext(connection) as both:
        found = topics_by_slugs(["energie", "mobilitaet", "gibt-es-nicht"])
    assert [t.slug for t in found] == ["energie", "mobilitaet"]
    assert len(both) == 1

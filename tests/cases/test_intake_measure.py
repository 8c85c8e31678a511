"""enquiry_submit with the measure an enquiry is about (made from its catalogue page)."""

from __future__ import annotations

import pytest

from cases.intake import enquiry_submit
from cases.models import Activity, Enquiry
from core.errors import GuardFailed
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    f.MunicipalityFactory(ags="09474121", short_name="Ebermannstadt", bundesland="BY")
    return {
        "municipality_ags": "09474121",
        "contact_name": "Erika Muster",
        "contact_email": "erika@ebermannstadt.example",
        "subject": "Bus auf Bestellung",
        "message": "Wie habt ihr den Rufbus eingeführt?",
        "topic_slugs": [],
        "support_type": "contact",
        "consent": True,
    }


def test_it_stores_the_measure_and_notes_it_on_the_case(data):
    """GIVEN a measure of a model project
    WHEN an enquiry is submitted naming it
    THEN the enquiry stores it and a system note names measure and project."""
    measure = f.MeasureFactory(title="Smartes Dorfshuttle", model_project__name="Amt Dorfland")
    enquiry = enquiry_submit(**data, measure_id=measure.pk)
    assert Enquiry.objects.get(pk=enquiry.pk).measure == measure
    notes = list(Activity.objects.filter(enquiry=enquiry, kind="system").values_list("text", flat=True))
    assert "Anfrage zur Maßnahme „Smartes Dorfshuttle“ des Modellprojekts Amt Dorfland." in notes


def test_without_a_measure_it_stores_none(data):
    assert enquiry_submit(**data).measure is None


@pytest.mark.parametrize("value", [999_999, "12", True, 1.0])
def test_it_refuses_an_unknown_or_malformed_measure_naming_the_field(data, value):
    with pytest.raises(GuardFailed) as caught:
        enquiry_submit(**data, measure_id=value)
    assert caught.value.field == "measure"
    assert not Enquiry.objects.exists()


def test_an_enquiry_about_a_measure_takes_the_measures_fields_of_action_when_its_words_name_none(data):
    """GIVEN a measure in the field of action mobility
    WHEN an enquiry about it is submitted whose text names no field of action and no topics are chosen
    THEN the enquiry is auto-tagged with the measure's field of action."""
    mobility = f.TopicFactory(slug="mobility-test", name_de="Mobilität", keywords=["rufbus"])
    measure = f.MeasureFactory(title="Bedarfsverkehr")
    measure.topics.add(mobility)

    enquiry = enquiry_submit(**{**data, "message": "Wie habt ihr das gemacht?"}, measure_id=measure.pk)

    assert enquiry.topics_auto is True
    assert [t.slug for t in enquiry.topics.all()] == ["mobility-test"]

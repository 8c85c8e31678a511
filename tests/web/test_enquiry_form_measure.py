"""The enquiry form opened from a measure page (/anfrage/?massnahme=<id>): the measure is named and stored."""

from __future__ import annotations

import pytest

from cases.models import Enquiry
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure():
    project = f.ModelProjectFactory(name="Amt Dorfland", slug="mpsc-2019-dorf")
    return f.MeasureFactory(model_project=project, title="Smartes Dorfshuttle")


@pytest.fixture
def form_data():
    f.MunicipalityFactory(ags="09474121", short_name="Ebermannstadt", bundesland="BY")
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität")
    return {
        "municipality": "09474121",
        "municipality_search": "Ebermannstadt (09474121)",
        "contact_name": "Erika Muster",
        "contact_email": "erika@ebermannstadt.example",
        "subject": "Ein Shuttle für unsere Dörfer",
        "message": "Wie habt ihr den Bus auf Bestellung eingeführt?",
        "support_type": "contact",
        "consent": "on",
    }


def test_the_form_names_the_measure_and_carries_it_in_a_hidden_field(client, measure):
    response = client.get("/anfrage/", {"massnahme": str(measure.pk)})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Ihre Anfrage bezieht sich auf die Maßnahme "
        f'<a href="/projekte/mpsc-2019-dorf/massnahmen/{measure.pk}/">„Smartes Dorfshuttle“</a> '
        "des Modellprojekts Amt Dorfland." in html
    )
    assert f'<input type="hidden" name="measure" value="{measure.pk}" id="id_measure">' in html
    assert "nicht gefunden" not in html


@pytest.mark.parametrize("value", ["999999", "abc", "²", "-1", "1.5", " ", "1" * 40, "%00"])
def test_an_unknown_or_malformed_measure_is_ignored_with_a_visible_note(client, measure, value):
    response = client.get("/anfrage/", {"massnahme": value})
    assert response.status_code == 200
    html = response.content.decode()
    if value.strip():
        assert "Die angegebene Maßnahme wurde nicht gefunden; Sie können trotzdem anfragen." in html
    assert "bezieht sich auf die Maßnahme" not in html
    assert 'name="measure" id="id_measure"' in html  # the hidden field stays empty


def test_the_submitted_form_stores_the_measure(client, measure, form_data):
    """GIVEN the form opened from the measure page
    WHEN it is submitted with the hidden measure
    THEN the new enquiry stores that measure."""
    response = client.post("/anfrage/", {**form_data, "measure": str(measure.pk)})
    assert response.status_code == 302
    assert Enquiry.objects.get().measure == measure


def test_a_form_without_a_measure_stores_none(client, form_data):
    assert client.post("/anfrage/", form_data).status_code == 302
    assert Enquiry.objects.get().measure is None


@pytest.mark.parametrize("value", ["999999", "abc", "²", "-1", "1" * 20])
def test_a_posted_measure_that_is_gone_or_bad_does_not_refuse_the_enquiry(client, measure, form_data, value):
    # gone from the catalogue since the page was opened, or tampered with: stored without a measure
    response = client.post("/anfrage/", {**form_data, "measure": value})
    assert response.status_code == 302
    assert Enquiry.objects.get().measure is None


def test_after_a_failed_submit_the_measure_stays_named(client, measure, form_data):
    form_data["contact_email"] = "kaputt"
    response = client.post("/anfrage/", {**form_data, "measure": str(measure.pk)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "„Smartes Dorfshuttle“" in html
    assert f'name="measure" value="{measure.pk}"' in html

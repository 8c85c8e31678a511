"""POST /api/v1/enquiries/: the submission contract and every class of bad input (nothing stored)."""

from __future__ import annotations

import json

import pytest

from cases.models import Activity, Enquiry, TransitionLog
from tests import factories as f

pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return not Enquiry.objects.exists() and not TransitionLog.objects.exists() and not Activity.objects.exists()


def test_a_valid_submission_answers_201_with_reference_token_and_status_url(anon_client, submission):
    answer = anon_client.post("/api/v1/enquiries/", submission, format="json")
    assert answer.status_code == 201
    data = answer.json()
    enquiry = Enquiry.objects.get(pk=data["id"])
    assert data["reference"] == enquiry.reference and data["token"] == enquiry.public_token
    assert data["status_url"].endswith(f"/status/{enquiry.public_token}/")
    assert enquiry.contact_role == "Smart-City-Beauftragte" and enquiry.consent_at is not None


def test_empty_topics_are_auto_tagged(anon_client, submission):
    submission["topics"] = []
    data = anon_client.post("/api/v1/enquiries/", submission, format="json").json()
    enquiry = Enquiry.objects.get(pk=data["id"])
    assert enquiry.topics_auto and list(enquiry.topics.values_list("slug", flat=True)) == ["mobilitaet"]


def test_a_funded_municipality_is_accepted_and_marked_funded(anon_client, submission):
    f.MunicipalityFactory(ags="08421000", funded=True)
    submission["municipality"] = "08421000"
    data = anon_client.post("/api/v1/enquiries/", submission, format="json").json()
    assert Enquiry.objects.get(pk=data["id"]).funded is True


def test_a_likely_duplicate_is_flagged_not_refused(anon_client, submission, coordinator_client):
    first = anon_client.post("/api/v1/enquiries/", submission, format="json").json()
    submission["subject"] = "Radverkehr in der Innenstadt?"
    second = anon_client.post("/api/v1/enquiries/", submission, format="json")
    assert second.status_code == 201
    data = coordinator_client.get(f"/api/v1/enquiries/{second.json()['id']}/").json()
    assert data["duplicate_of"] == first["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"municipality": "12345678"}, "municipality"),
        ({"municipality": "0946100"}, "municipality"),
        ({"municipality": None}, "municipality"),
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"contact_email": "nicht-gueltig"}, "contact_email"),
        ({"contact_name": ""}, "contact_name"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"message": ""}, "message"),
        ({"message": "x" * 10_001}, "message"),
        ({"message": "Hallo\x00Welt"}, "message"),
        ({"contact_name": "Nul\x00"}, "contact_name"),
        ({"topics": ["gibt-es-nicht"]}, "topics"),
        ({"topics": "mobilitaet"}, "topics"),
        ({"topics": [{"slug": "x"}]}, "topics"),
        ({"support_type": "zauberei"}, "support_type"),
        ({"website": "http://spam.example"}, "website"),
    ],
)
def test_bad_submissions_get_400_naming_the_field_and_store_nothing(anon_client, submission, change, field):
    submission.update(change)
    answer = anon_client.post("/api/v1/enquiries/", submission, format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert isinstance(answer.json()[field], list)
    assert nothing_stored()


@pytest.mark.parametrize("missing", ["municipality", "contact_name", "contact_email", "subject", "message", "consent"])
def test_missing_required_fields_are_named(anon_client, submission, missing):
    del submission[missing]
    answer = anon_client.post("/api/v1/enquiries/", submission, format="json")
    assert answer.status_code == 400 and missing in answer.json()
    assert nothing_stored()


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "null"])
def test_malformed_json_is_a_400(anon_client, raw):
    answer = anon_client.post("/api/v1/enquiries/", raw, content_type="application/json")
    assert answer.status_code == 400
    assert nothing_stored()


def test_an_oversized_body_gets_413_as_json(anon_client, submission, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    submission["message"] = "x" * 5000
    answer = anon_client.post("/api/v1/enquiries/", json.dumps(submission), content_type="application/json")
    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"
    assert nothing_stored()


def test_submissions_are_throttled_per_client(anon_client, submission, settings, one_throttle_window):
    settings.SUBMIT_RATE = "2/minute"
    codes = []
    for n in range(3):
        submission["subject"] = f"Ganz eigene Frage Nummer {n} über etwas anderes {'x' * n * 20}"
        codes.append(anon_client.post("/api/v1/enquiries/", submission, format="json").status_code)
    assert codes == [201, 201, 429]
    assert Enquiry.objects.count() == 2


def test_a_wrong_method_and_an_unknown_route_are_not_500(anon_client):
    assert anon_client.delete("/api/v1/enquiries/").status_code in (401, 403, 405)
    assert anon_client.get("/api/v1/enquiries/abc/").status_code == 404


def test_staff_may_record_the_channel_anybody_else_submits_through_the_web(anon_client, coordinator_client, submission):
    submission["channel"] = "phone"
    by_staff = coordinator_client.post("/api/v1/enquiries/", submission, format="json").json()
    submission["subject"] = "Eine andere Frage zu einem anderen Thema"
    by_anybody = anon_client.post("/api/v1/enquiries/", submission, format="json").json()
    assert Enquiry.objects.get(pk=by_staff["id"]).channel == "phone"
    assert Enquiry.objects.get(pk=by_anybody["id"]).channel == "web"
    assert TransitionLog.objects.get(enquiry_id=by_staff["id"]).by == "koordination"


def test_a_submission_may_name_the_catalogue_measure_it_is_about(anon_client, coordinator_client, submission):
    """GIVEN a measure of the catalogue
    WHEN the body names it in the optional field ``measure``
    THEN the enquiry stores it, the case timeline notes it and staff see it on the enquiry."""
    measure = f.MeasureFactory(title="Dorfshuttle")
    submission["measure"] = measure.pk
    answer = anon_client.post("/api/v1/enquiries/", submission, format="json")
    assert answer.status_code == 201
    enquiry = Enquiry.objects.get(pk=answer.json()["id"])
    assert enquiry.measure == measure
    notes = Activity.objects.filter(enquiry=enquiry, kind=Activity.Kind.SYSTEM).values_list("text", flat=True)
    assert any("„Dorfshuttle“" in note and measure.model_project.name in note for note in notes)
    shown = coordinator_client.get(f"/api/v1/enquiries/{enquiry.pk}/").json()["measure"]
    assert shown == {
        "id": measure.pk,
        "title": "Dorfshuttle",
        "model_project": {"id": measure.model_project_id, "name": measure.model_project.name},
    }


def test_a_submission_without_a_measure_or_with_null_stores_none(anon_client, submission):
    first = anon_client.post("/api/v1/enquiries/", submission, format="json")
    submission.update(measure=None, subject="Eine ganz andere Frage zum Thema Wärme")
    second = anon_client.post("/api/v1/enquiries/", submission, format="json")
    assert first.status_code == second.status_code == 201
    assert list(Enquiry.objects.values_list("measure", flat=True)) == [None, None]


@pytest.mark.parametrize("value", [999_999, 0, -1, "abc", "²", True, [1], {"id": 1}, 2**40])
def test_an_unknown_or_malformed_measure_is_a_400_naming_measure(anon_client, submission, value):
    submission["measure"] = value
    answer = anon_client.post("/api/v1/enquiries/", submission, format="json")
    assert answer.status_code == 400
    assert isinstance(answer.json()["measure"], list)
    assert nothing_stored()

"""Regression tests for the QA walkthrough: consistent times, filters that do not hide typos, transition
comments on the timeline and "Sie" in the submission's error messages."""

from __future__ import annotations

import pytest

from cases.services import enquiry_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def post(client, enquiry_id, name, body=None):
    return client.post(f"/api/v1/enquiries/{enquiry_id}/transitions/{name}/", body or {}, format="json")


def test_the_outcome_time_is_local_like_every_other_time_of_the_case(coordinator_client, make_case):
    """GIVEN a resolved case WHEN staff read it THEN outcome.recorded_at has the same local offset as
    resolved_at, not a UTC "Z"."""
    enquiry = make_case("resolved")

    body = coordinator_client.get(f"/api/v1/enquiries/{enquiry.pk}/").json()

    assert body["outcome"]["recorded_at"] == body["resolved_at"]
    assert not body["outcome"]["recorded_at"].endswith("Z")
    assert body["outcome"]["recorded_at"][-6:] in {"+01:00", "+02:00"}


def test_a_known_topic_without_cases_is_an_empty_list_but_an_unknown_one_is_a_400(coordinator_client, make_case):
    """GIVEN a topic no case carries WHEN staff filter by it THEN 200 and no rows; an unknown slug is a 400
    naming "topic"."""
    make_case("new")
    f.TopicFactory(slug="anderes")

    known = coordinator_client.get("/api/v1/enquiries/?topic=anderes")
    unknown = coordinator_client.get("/api/v1/enquiries/?topic=nope")

    assert known.status_code == 200 and known.json()["results"] == []
    assert unknown.status_code == 400 and "topic" in unknown.json()


def test_a_partner_without_cases_is_an_empty_list_but_an_unknown_number_is_a_400(coordinator_client, make_case):
    make_case("new")
    idle = f.PartnerFactory(short_name="IDLE")

    assert coordinator_client.get(f"/api/v1/enquiries/?partner={idle.pk}").json()["results"] == []
    unknown = coordinator_client.get(f"/api/v1/enquiries/?partner={idle.pk + 1000}")
    assert unknown.status_code == 400 and "partner" in unknown.json()


def test_a_district_key_filters_by_the_district_row_and_an_unknown_key_is_a_400(coordinator_client, make_case):
    make_case("new")
    f.MunicipalityFactory(ags="09461", name="Bamberg", short_name="Bamberg", level="kreis")

    assert coordinator_client.get("/api/v1/enquiries/?municipality=09461").json()["results"] == []
    unknown = coordinator_client.get("/api/v1/enquiries/?municipality=01234567")
    assert unknown.status_code == 400 and "municipality" in unknown.json()


def test_the_timeline_shows_the_comment_of_each_transition(coordinator_client, make_case, manager_client):
    """GIVEN a case closed and reopened with a comment
    WHEN staff read its timeline
    THEN the reopen entry carries the comment and entries without one an empty string."""
    enquiry = make_case("closed")
    answer = post(manager_client, enquiry.pk, "reopen", {"comment": "Kommune meldet sich erneut"})
    assert answer.status_code == 200, answer.json()

    rows = coordinator_client.get(f"/api/v1/enquiries/{enquiry.pk}/timeline/").json()["results"]

    reopen = [row for row in rows if row["transition"] == "reopen"]
    assert [row["comment"] for row in reopen] == ["Kommune meldet sich erneut"]
    assert all(row["comment"] == "" for row in rows if row["transition"] != "reopen")


@pytest.mark.parametrize("page_size", [3, 40])
def test_the_timeline_reads_the_comments_in_a_fixed_number_of_queries(
    coordinator_client, coordinator, make_case, django_assert_num_queries, page_size
):
    enquiry = make_case("triaged")
    for n in range(20):
        enquiry = enquiry_transition(enquiry=enquiry, name="close", by=coordinator, payload={"reason": "spam"})
        enquiry = enquiry_transition(enquiry=enquiry, name="reopen", by=coordinator, payload={"comment": f"Nr. {n}"})
    url = f"/api/v1/enquiries/{enquiry.pk}/timeline/?page_size={page_size}"
    coordinator_client.get(url)  # warm the token and group caches alike for both sizes

    # token + user, groups, enquiry, count, page, the page's transition comments
    with django_assert_num_queries(6):
        answer = coordinator_client.get(url)

    assert len(answer.json()["results"]) == page_size


def test_the_submission_errors_address_the_municipality_with_sie(anon_client, submission):
    """GIVEN a submission with a bad e-mail, an empty subject, a missing name and a too long role
    WHEN it is posted THEN every message is in the "Sie" form, none in DRF's "du"."""
    body = {**submission, "contact_email": "kein-mail", "subject": "", "contact_role": "x" * 1000}
    del body["contact_name"]

    answer = anon_client.post("/api/v1/enquiries/", body, format="json")

    assert answer.status_code == 400
    errors = answer.json()
    assert errors["contact_email"] == ["Bitte geben Sie eine gültige E-Mail-Adresse an."]
    assert errors["subject"] == ["Bitte füllen Sie dieses Feld aus."]
    assert errors["contact_name"] == ["Bitte füllen Sie dieses Feld aus."]
    assert errors["contact_role"][0].startswith("Bitte geben Sie höchstens ")
    text = str(errors)
    assert "Gib " not in text and "Stelle sicher" not in text


def test_null_values_and_unknown_choices_are_refused_with_sie_too(anon_client, submission):
    body = {**submission, "message": None, "support_type": "alles", "consent": None}

    errors = anon_client.post("/api/v1/enquiries/", body, format="json").json()

    assert errors["message"] == ["Bitte geben Sie einen Wert an."]
    assert "Bitte wählen Sie" in errors["support_type"][0]
    assert errors["consent"] == ["Bitte geben Sie einen Wert an."]

"""Issue 13, item 8: numbers written with digits that are not ASCII ("²", "①", the Arabic-Indic "٢") are a 400
naming the parameter wherever the API takes an id, a page or an official key: Python's isdigit() is true for
all three, and int() reads "٢" as 2."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

DIGITS = ["²", "①", "٢"]


@pytest.mark.parametrize("digit", DIGITS)
@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/enquiries/?partner={}", "partner"),
        ("/api/v1/enquiries/?page={}", "page"),
        ("/api/v1/enquiries/?page_size={}", "page_size"),
        ("/api/v1/enquiries/?municipality=0946100{}", "municipality"),
        ("/api/v1/enquiries/?created_after=2026-01-0{}", "created_after"),
        ("/api/v1/measures/?model_project={}", "model_project"),
        ("/api/v1/stats/summary/?partner={}", "partner"),
        ("/api/v1/stats/summary/?model_project={}", "model_project"),
    ],
)
def test_query_parameters_with_other_digits_are_a_400_naming_the_parameter(
    coordinator_client, make_case, path, parameter, digit
):
    """GIVEN a case of partner 1 WHEN a list is asked with an id, page or key written in other digits THEN 400
    naming the parameter (never 500, never read as the ASCII number)."""
    make_case("assigned")

    response = coordinator_client.get(path.format(digit))

    assert response.status_code == 400, response.content
    assert parameter in response.json()


@pytest.mark.parametrize("digit", DIGITS)
def test_a_transition_body_with_another_digit_as_partner_is_a_400(coordinator_client, make_case, partner, digit):
    """GIVEN a triaged case WHEN assign names the partner as "٢" (or "²", "①") THEN 400 on "partner" and the
    case stays triaged."""
    enquiry = make_case("triaged")

    response = coordinator_client.post(
        f"/api/v1/enquiries/{enquiry.pk}/transitions/assign/", {"partner": digit}, format="json"
    )

    assert response.status_code == 400 and "partner" in response.json()
    enquiry.refresh_from_db()
    assert enquiry.state == "triaged"


@pytest.mark.parametrize("digit", DIGITS)
def test_a_submission_with_another_digit_in_the_key_or_the_measure_is_a_400(anon_client, submission, digit):
    """GIVEN the public submission WHEN the municipality key or the measure holds other digits THEN 400 naming
    the field and nothing is stored."""
    from cases.models import Enquiry

    key = anon_client.post("/api/v1/enquiries/", {**submission, "municipality": "0946100" + digit}, format="json")
    measure = anon_client.post("/api/v1/enquiries/", {**submission, "measure": digit}, format="json")

    assert key.status_code == 400 and "municipality" in key.json()
    assert measure.status_code == 400 and "measure" in measure.json()
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("digit", DIGITS)
def test_a_follow_up_assignee_and_an_introduction_match_with_other_digits_are_a_400(
    coordinator_client, make_case, digit
):
    """GIVEN a case WHEN a follow-up names its assignee, or an introduction its match, as "٢" THEN 400 naming
    the field and nothing is stored."""
    enquiry = make_case("in_progress")

    follow_up = coordinator_client.post(
        f"/api/v1/enquiries/{enquiry.pk}/follow-ups/",
        {"due_at": "2026-12-24T10:00:00+01:00", "assignee": digit},
        format="json",
    )
    introduction = coordinator_client.post(
        f"/api/v1/enquiries/{enquiry.pk}/introductions/", {"match": digit}, format="json"
    )

    assert follow_up.status_code == 400 and "assignee" in follow_up.json()
    assert introduction.status_code == 400 and "match" in introduction.json()
    assert not enquiry.follow_ups.exists()

"""Issue 13, item 11: text fields take strings only (a JSON number or true as subject is a 400, not the text
"12"), and a text of only invisible characters (zero-width space, word joiner, BOM, soft hyphen) is empty."""

from __future__ import annotations

import pytest

from cases.models import Enquiry

pytestmark = pytest.mark.django_db

INVISIBLE = ["\u200b\u200b", "\u2060", "\ufeff ", "\u00ad", "\u200e\u3000"]


@pytest.mark.parametrize("field", ["subject", "message", "contact_name"])
@pytest.mark.parametrize("value", [12, 1.5, True, ["Radverkehr"], {"de": "Radverkehr"}])
def test_a_submission_with_a_non_string_text_is_a_400_and_stores_nothing(anon_client, submission, field, value):
    response = anon_client.post("/api/v1/enquiries/", {**submission, field: value}, format="json")

    assert response.status_code == 400 and field in response.json()
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("value", INVISIBLE)
def test_a_subject_of_only_invisible_characters_is_empty(anon_client, submission, value):
    response = anon_client.post("/api/v1/enquiries/", {**submission, "subject": value}, format="json")

    assert response.status_code == 400 and "subject" in response.json()
    assert not Enquiry.objects.exists()


def test_invisible_characters_at_the_ends_are_trimmed_and_inside_kept(anon_client, submission):
    response = anon_client.post(
        "/api/v1/enquiries/", {**submission, "subject": "\u200bRad\u00adverkehr\ufeff"}, format="json"
    )

    assert response.status_code == 201
    assert Enquiry.objects.get().subject == "Rad\u00adverkehr"


@pytest.mark.parametrize("value", INVISIBLE)
def test_a_transition_message_of_only_invisible_characters_is_missing(coordinator_client, make_case, value):
    """GIVEN a case in progress WHEN request_info's message is only zero-width characters THEN 400 on
    "message" and the case stays in progress."""
    enquiry = make_case("in_progress")

    response = coordinator_client.post(
        f"/api/v1/enquiries/{enquiry.pk}/transitions/request_info/", {"message": value}, format="json"
    )

    assert response.status_code == 400 and "message" in response.json()
    enquiry.refresh_from_db()
    assert enquiry.state == "in_progress"

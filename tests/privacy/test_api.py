"""POST /api/v1/privacy/export/ and POST /api/v1/privacy/erase/: coordinators only, clear 400s."""

from __future__ import annotations

import pytest

from cases.models import Enquiry
from tests.conftest import client_for
from tests.privacy.conftest import CONTACT

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/privacy/export/"
ERASE = "/api/v1/privacy/erase/"


def test_a_coordinator_exports_an_address(coordinator_client, submit):
    enquiry = submit()
    response = coordinator_client.post(EXPORT, {"email": CONTACT}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == CONTACT.lower()
    assert [e["reference"] for e in body["enquiries"]] == [enquiry.reference]
    assert body["enquiries"][0]["contact"]["name"] == "Erika Muster"
    assert response["Cache-Control"] == "no-store"


def test_a_coordinator_erases_an_address(coordinator_client, submit):
    """GIVEN an open case WHEN a coordinator posts its address to erase THEN the answer counts the
    anonymised case, the case is withdrawn and anonymised."""
    enquiry = submit()
    response = coordinator_client.post(ERASE, {"email": f" {CONTACT} "}, format="json")
    assert response.status_code == 200
    assert response.json() == {"email": CONTACT.lower(), "anonymised": 1}
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.close_reason, enquiry.contact_email) == ("closed", "withdrawn", "")


@pytest.mark.parametrize("who", ["manager", "partner_user"])
def test_other_roles_get_403_and_nothing_changes(request, who, submit):
    client = client_for(request.getfixturevalue(who))
    enquiry = submit()
    assert client.post(EXPORT, {"email": CONTACT}, format="json").status_code == 403
    assert client.post(ERASE, {"email": CONTACT}, format="json").status_code == 403
    assert Enquiry.objects.get(pk=enquiry.pk).anonymised_at is None


def test_without_login_the_answer_is_401(anon_client):
    assert anon_client.post(EXPORT, {"email": CONTACT}, format="json").status_code == 401
    assert anon_client.post(ERASE, {"email": CONTACT}, format="json").status_code == 401


@pytest.mark.parametrize("params", [{}, {"email": ""}, {"email": "kein-at-zeichen"}, {"email": "a" * 300 + "@x.de"}])
def test_export_with_a_bad_address_is_a_400_naming_the_field(coordinator_client, params):
    response = coordinator_client.post(EXPORT, params, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "email"


@pytest.mark.parametrize("body", [{}, {"email": None}, {"email": 42}, {"email": ["a@b.de"]}, {"email": "nope"}, []])
def test_erase_with_a_bad_body_is_a_400_naming_the_field_and_changes_nothing(coordinator_client, submit, body):
    enquiry = submit()
    response = coordinator_client.post(ERASE, body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "email"
    assert Enquiry.objects.get(pk=enquiry.pk).anonymised_at is None


def test_erase_with_a_broken_json_body_is_a_400(coordinator_client):
    response = coordinator_client.post(ERASE, "{nicht json", content_type="application/json")
    assert response.status_code == 400

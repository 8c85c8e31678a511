"""The response headers of issue 13, item 5: `Cache-Control: no-store` on the token pages, the staff pages and
authenticated API answers; the Content-Security-Policy, strict on our pages and relaxed on the ones we do not own
(the browser side of the policy: tests/browser/test_content_security_policy.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import SurveyResponse
from matching.models import Introduction
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

STRICT_POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def policy_of(response) -> set[str]:
    return {directive.strip() for directive in response["Content-Security-Policy"].split(";")}


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def enquiry(db):
    return f.EnquiryFactory(subject="Rufbus im ländlichen Raum")


@pytest.fixture
def introduction(enquiry):
    return Introduction.objects.create(
        enquiry=enquiry,
        model_project=f.ModelProjectFactory(),
        state=Introduction.State.REQUESTED,
        created_at=enquiry.created_at,
    )


@pytest.fixture
def survey(enquiry):
    now = timezone.now()
    return SurveyResponse.objects.create(
        enquiry=enquiry, kind=SurveyResponse.Kind.SATISFACTION, sent_at=now, expires_at=now + timedelta(days=30)
    )


def test_the_token_pages_and_their_api_routes_are_not_stored(client, enquiry, introduction, survey):
    """GIVEN a case with a status link, an introduction link and a survey link
    WHEN anyone opens them (also a link that does not exist) or their public API routes
    THEN no answer may be stored by a browser or a proxy."""
    token = enquiry.public_token
    pages = [
        f"/status/{token}/",
        f"/vermittlung/{introduction.token}/",
        f"/umfrage/{survey.token}/",
        f"/status/{'x' * 40}/",
        f"/umfrage/{'z' * 32}/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert no_store(response), path
    api = client_for(None)
    assert no_store(api.get(f"/api/v1/public/enquiries/{token}/"))
    answer = api.post(f"/api/v1/public/enquiries/{token}/reply/", {"message": ""}, format="json")
    assert answer.status_code == 400 and no_store(answer)
    withdrawn = api.post(f"/api/v1/public/enquiries/{'x' * 40}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 404 and no_store(withdrawn)


def test_every_staff_page_is_not_stored(coordinator, enquiry):
    """GIVEN a coordinator with a back-office account WHEN she opens the workspace, the dashboard and the admin
    THEN none of their answers may be stored; the login page neither."""
    coordinator.is_staff = True
    coordinator.is_superuser = True
    coordinator.save()
    browser = Client()
    assert no_store(browser.get("/anmelden/"))
    browser.force_login(coordinator)
    for path in (
        "/intern/",
        "/intern/faelle/",
        f"/intern/faelle/{enquiry.pk}/",
        "/intern/benachrichtigungen/",
        "/statistik/",
        "/admin/",
        "/admin/cases/enquiry/",
    ):
        response = browser.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path


def test_authenticated_api_answers_are_not_stored_and_the_public_catalogue_may_be(coordinator, enquiry):
    """GIVEN the API WHEN a staff member asks with a token or with a session, and an anonymous visitor reads the
    catalogue THEN the staff answers (also a 404 and a 400) carry no-store, the anonymous catalogue does not."""
    token_client = client_for(coordinator)
    for path in ("/api/v1/enquiries/", f"/api/v1/enquiries/{enquiry.pk}/", "/api/v1/topics/", "/api/v1/nope/"):
        assert no_store(token_client.get(path)), path
    bad_filter = token_client.get("/api/v1/enquiries/?created_after=gestern")
    assert bad_filter.status_code == 400 and no_store(bad_filter)

    session_client = client_for(None)
    session_client.force_login(coordinator)
    assert no_store(session_client.get("/api/v1/topics/"))

    anonymous = client_for(None)
    catalogue = anonymous.get("/api/v1/topics/")
    assert catalogue.status_code == 200 and not no_store(catalogue)
    assert not no_store(Client().get("/anfrage/"))


def test_a_token_login_answer_is_not_stored(coordinator):
    response = client_for(None).post(
        "/api/v1/auth/token/", {"username": coordinator.username, "password": "geheim-123"}, format="json"
    )
    assert response.status_code == 200 and no_store(response)


def test_our_pages_carry_the_strict_policy_and_foreign_pages_a_relaxed_one(client):
    """GIVEN the Content-Security-Policy WHEN a public page, the admin login and the API docs are fetched
    THEN ours carry the strict policy exactly; the admin and the docs allow their inline code, nothing more."""
    assert policy_of(client.get("/anfrage/")) == STRICT_POLICY
    assert policy_of(client.get("/projekte/")) == STRICT_POLICY
    for path in ("/admin/login/", "/api/docs/", "/api/redoc/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self' 'unsafe-inline'" in policy, path
        assert "style-src 'self' 'unsafe-inline'" in policy, path
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy, path
    browsable = client.get("/api/v1/topics/", HTTP_ACCEPT="text/html")
    assert "'unsafe-inline'" in browsable["Content-Security-Policy"]
    as_json = client.get("/api/v1/topics/")
    assert policy_of(as_json) == STRICT_POLICY

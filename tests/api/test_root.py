"""GET /api/v1/ answers with the way in, for a new user following the README."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_the_main_routes(anon_client):
    response = anon_client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["enquiries"].endswith("/api/v1/enquiries/")
    assert body["auth_token"].endswith("/api/v1/auth/token/")
    assert body["municipalities"].endswith("/api/v1/municipalities/")
    assert body["docs"].endswith("/api/docs/")


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"<svg" in body

"""Token login: POST /api/v1/auth/token/ {"username", "password"} -> {"token"}."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def test_a_staff_member_gets_a_token_that_authenticates_api_calls(coordinator):
    client = APIClient()

    response = client.post(URL, {"username": "koordination", "password": "geheim-123"}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token"} and token == Token.objects.get(user=coordinator).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/model-projects/").status_code == 200


def test_the_same_token_comes_back_on_a_second_login(coordinator):
    client = APIClient()
    body = {"username": "koordination", "password": "geheim-123"}

    assert client.post(URL, body, format="json").json() == client.post(URL, body, format="json").json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "koordination", "password": "falsch"}, "non_field_errors"),
        ({"username": "niemand", "password": "geheim-123"}, "non_field_errors"),
        ({"username": "koordination"}, "password"),
        ({}, "username"),
    ],
)
def test_bad_credentials_answer_400_with_the_reason(coordinator, body, field):
    response = APIClient().post(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Token.objects.exists()


def test_an_inactive_account_gets_no_token(coordinator):
    coordinator.is_active = False
    coordinator.save()

    response = APIClient().post(URL, {"username": "koordination", "password": "geheim-123"}, format="json")

    assert response.status_code == 400


def test_login_attempts_are_throttled_per_client_with_429(coordinator, settings, one_throttle_window):
    settings.LOGIN_RATE = "3/minute"
    client = APIClient()
    codes = [
        client.post(URL, {"username": "koordination", "password": "falsch"}, format="json").status_code
        for _ in range(3)
    ]
    blocked = client.post(URL, {"username": "koordination", "password": "geheim-123"}, format="json")

    assert codes == [400, 400, 400]
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers


def test_a_valid_token_in_the_header_does_not_give_the_login_door_a_counter_of_its_own(
    coordinator, settings, one_throttle_window
):
    """Issue 13, item 3: GIVEN an attacker holding some valid API token WHEN he sends it along with his guesses
    THEN they still count per client address: the fourth attempt is a 429, also without the token."""
    from rest_framework.authtoken.models import Token

    settings.LOGIN_RATE = "3/minute"
    token = Token.objects.create(user=coordinator)
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    codes = [
        with_token.post(URL, {"username": "koordination", "password": f"falsch-{n}"}, format="json").status_code
        for n in range(3)
    ]
    blocked_with = with_token.post(URL, {"username": "koordination", "password": "falsch"}, format="json")
    blocked_without = APIClient().post(URL, {"username": "koordination", "password": "falsch"}, format="json")

    assert codes == [400, 400, 400]
    assert blocked_with.status_code == 429
    assert blocked_without.status_code == 429


def test_the_default_login_rate_is_ten_per_minute():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_THROTTLE_RATES["login"] == "10/minute"


def test_a_malformed_json_body_is_400_not_500():
    response = APIClient().post(URL, data="{not json", content_type="application/json")

    assert response.status_code == 400

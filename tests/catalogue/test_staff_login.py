"""The staff login page: sessions for the web pages, throttled with LOGIN_RATE like the token login."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_minute(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "login": "3/minute"}
    )


def test_a_coordinator_logs_in_on_the_page_and_lands_on_the_staff_home(coordinator):
    client = Client()

    response = client.post("/anmelden/", {"username": "koordination", "password": "geheim-123"})

    assert response.status_code == 302 and response["Location"] == "/intern/"
    assert "_auth_user_id" in client.session


def test_a_wrong_password_shows_the_form_again_in_german(coordinator):
    response = Client().post("/anmelden/", {"username": "koordination", "password": "falsch"})

    assert response.status_code == 200
    assert "Benutzername" in response.content.decode()


def test_page_logins_are_throttled_with_429(coordinator, three_per_minute):
    client = Client()
    codes = [
        client.post("/anmelden/", {"username": "koordination", "password": "falsch"}).status_code for _ in range(3)
    ]

    blocked = client.post("/anmelden/", {"username": "koordination", "password": "geheim-123"})

    assert codes == [200, 200, 200]
    assert blocked.status_code == 429 and "Zu viele Anmeldeversuche" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_page_and_the_token_login_share_one_counter(coordinator, three_per_minute):
    client = Client()
    for _ in range(3):
        client.post("/api/v1/auth/token/", {"username": "koordination", "password": "falsch"})

    assert client.post("/anmelden/", {"username": "koordination", "password": "geheim-123"}).status_code == 429


def test_the_admin_login_form_is_throttled_too(coordinator, three_per_minute):
    client = Client()
    for _ in range(3):
        client.post("/admin/login/", {"username": "koordination", "password": "falsch"})

    assert client.post("/admin/login/", {"username": "koordination", "password": "geheim-123"}).status_code == 429

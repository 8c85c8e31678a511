"""Fixtures every test area shares: the three roles, API clients with a token, a partner."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f


@pytest.fixture(autouse=True)
def _german(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(db):
    return f.PartnerFactory(short_name="DIFU", name="Deutsches Institut für Urbanistik")


@pytest.fixture
def other_partner(db):
    return f.PartnerFactory(short_name="CCC", name="Creative Climate Cities")


@pytest.fixture
def coordinator(db):
    return f.UserFactory(username="koordination", role="coordinator")


@pytest.fixture
def manager(db):
    return f.UserFactory(username="leitung", role="manager")


@pytest.fixture
def partner_user(db, partner):
    return f.UserFactory(username="difu-mitarbeiterin", role="partner", partner=partner)


@pytest.fixture
def other_partner_user(db, other_partner):
    return f.UserFactory(username="ccc-mitarbeiter", role="partner", partner=other_partner)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def coordinator_client(coordinator):
    return client_for(coordinator)


@pytest.fixture
def manager_client(manager):
    return client_for(manager)


@pytest.fixture
def partner_client(partner_user):
    return client_for(partner_user)


@pytest.fixture
def other_partner_client(other_partner_user):
    return client_for(other_partner_user)

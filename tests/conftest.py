"""Fixtures every test area shares: the three roles, API clients with a token, a partner, and the real
municipality directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import builders as b
from tests import factories as f

DIRECTORY_COPY = "kts_test_directory"


@pytest.fixture(autouse=True)
def _german(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    from django.core.cache import cache

    from catalogue.lookups import lookups_forget
    from web.filter_choices import filter_choices_forget

    # a test's rows roll back without a signal: the submission's per-process lookups must not outlive them
    lookups_forget()
    filter_choices_forget()
    cache.clear()
    yield
    cache.clear()
    lookups_forget()
    filter_choices_forget()


@pytest.fixture
def one_throttle_window():
    """The test runs from the start of a minute (the clock moves on from there): a few requests counted against
    a rate per minute all fall into one window of core.throttles.WindowRateThrottle. Without it a test that
    crosses a minute's end sees the sliding estimate let one more through, as it would in production."""
    import time

    import time_machine

    with time_machine.travel((time.time() // 60 + 1) * 60 + 0.5, tick=True):
        yield


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


def _directory_columns() -> str:
    from django.db import connection

    from catalogue.models import Municipality

    fields = [field.column for field in Municipality._meta.concrete_fields if not field.primary_key]
    return ", ".join(connection.ops.quote_name(column) for column in fields)


@pytest.fixture(scope="session")
def _directory_copy(django_db_setup, django_db_blocker) -> str:
    """The real directory (11,152 rows of the shared municipalities.csv), read and checked by the loader once per
    session and kept in a table of its own beside the models' tables: the flush after a transactional test
    empties the models' tables only, so the copy outlives it."""
    from django.conf import settings
    from django.db import connection, transaction

    from catalogue.loaders import municipalities_import
    from catalogue.models import Municipality

    table = connection.ops.quote_name(Municipality._meta.db_table)
    columns = _directory_columns()
    with django_db_blocker.unblock(), transaction.atomic():
        assert not Municipality.objects.exists(), "the test database holds municipalities before the session"
        report = municipalities_import(path=Path(settings.SHARED_DATA_DIR) / "municipalities.csv")
        assert report.rejected == [] and report.created == 11_152
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {DIRECTORY_COPY}")
            cursor.execute(f"CREATE TABLE {DIRECTORY_COPY} AS SELECT {columns} FROM {table}")
            cursor.execute(f"DELETE FROM {table}")
    return DIRECTORY_COPY


@pytest.fixture
def directory(db, _directory_copy) -> None:
    """The real municipality directory in the test's database: one INSERT ... SELECT from the session's copy
    (a few milliseconds) instead of the loader (seconds). Works inside the test's transaction, and after a
    flush, on SQLite and PostgreSQL."""
    from django.db import connection

    from catalogue.models import Municipality

    table = connection.ops.quote_name(Municipality._meta.db_table)
    columns = _directory_columns()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_directory_copy}")


@pytest.fixture
def move(db):
    """move(enquiry, name, by, actor=None, **payload) -> Enquiry through cases.services, after-commit effects
    run (tests.builders.enquiry_moved)."""

    def _move(enquiry, name, by, actor=None, **payload):
        return b.enquiry_moved(enquiry, name, by=by, actor=actor, effects=True, **payload)

    return _move

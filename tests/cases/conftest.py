"""Helpers for the follow-up tests: enquiries submitted and moved on through the real services."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

import pytest
from django.core import mail

from tests import builders as b
from tests import factories as f

BERLIN = "Europe/Berlin"


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")


@pytest.fixture
def bavarian(db):
    return f.MunicipalityFactory(
        ags="09162000", name="München, Landeshauptstadt", bundesland="BY", bundesland_name="Bayern"
    )


@pytest.fixture
def berlin(db):
    return f.MunicipalityFactory(
        ags="11000000", name="Berlin, Stadt", bundesland="BE", bundesland_name="Berlin", level="gemeinde"
    )


@pytest.fixture
def submit(db, topic, bavarian, coordinator):
    """submit(municipality=None, now=None) -> Enquiry, with the after-commit kick run (eager Celery)."""

    def _submit(*, municipality=None, now: datetime | None = None, email: str = "amt@gemeinde.example"):
        return b.enquiry_submitted(
            municipality=municipality or bavarian,
            topics=[topic.slug],
            contact_email=email,
            subject="Bürgerbus digital",
            message="Wie plant ihr einen Rufbus?",
            now=now,
            effects=True,
        )

    return _submit


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks):
    """Run a job and the after-commit kicks it causes (as a worker would)."""

    def _run(job, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return job(**kwargs)

    return _run


@pytest.fixture
def in_progress(submit, move, coordinator, partner, partner_user):
    """An enquiry assigned to DIFU and accepted by its staff member."""

    def _make(**kwargs):
        return b.enquiry_brought_to(
            submit(**kwargs),
            "in_progress",
            coordinator=coordinator,
            staff=partner_user,
            partner=partner,
            assign_user=partner_user,
            effects=True,
        )

    return _make


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def subjects() -> list[str]:
    return [m.subject for m in mail.outbox]


@contextmanager
def broker_at(url: str):
    """Point the Celery app (not eager) at ``url`` for the block: a real connection attempt, no mock."""
    from settings.celery import app

    names = ("task_always_eager", "broker_url", "broker_write_url", "broker_read_url")
    saved = {name: app.conf[name] for name in names}
    saved_pools = (app._pool, app.amqp._producer_pool)
    app.conf.update(task_always_eager=False, broker_url=url, broker_write_url=url, broker_read_url=url)
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield app
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.update(**saved)
        app._pool, app.amqp._producer_pool = saved_pools

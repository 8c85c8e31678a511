"""The optional auto-assign (KTS_AUTO_ASSIGN) as the Celery task ``matching.auto_assign``: queued after the
triage commits, run eagerly here; it re-fetches and does nothing when the case is gone or has moved on."""

from __future__ import annotations

import pytest

from cases.models import Enquiry
from cases.services import enquiry_transition
from matching.tasks import auto_assign
from tests import factories as f
from tests.cases.conftest import broker_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def auto(settings, catalogue):
    settings.KTS_AUTO_ASSIGN = True
    return f.PartnerFactory(short_name="MOB", expertise=[catalogue.mobility])


def test_the_task_is_queued_after_the_triage_commits_and_assigns_the_proposed_partner(
    auto, submit, coordinator, django_capture_on_commit_callbacks
):
    """GIVEN KTS_AUTO_ASSIGN and a partner with the expertise
    WHEN a coordinator triages THEN nothing is assigned before commit; after commit the task (eager) assigns
    the proposed partner through the assign service, acting for that coordinator."""
    enquiry = submit()
    with django_capture_on_commit_callbacks(execute=True):
        enquiry_transition(enquiry=enquiry, name="triage", by=coordinator)
        assert Enquiry.objects.get(pk=enquiry.pk).state == "triaged"
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.assigned_partner) == ("assigned", auto)
    log = enquiry.transition_logs.get(transition="assign")
    assert log.by_user == coordinator


def test_the_task_returns_quietly_when_the_case_is_no_longer_triaged_or_gone(auto, submit, coordinator):
    """GIVEN a triaged case that a coordinator assigned meanwhile, and an id that does not exist
    WHEN the task runs (late, or twice) THEN it changes nothing and returns None."""
    enquiry = enquiry_transition(enquiry=submit(), name="triage", by=coordinator)
    assert auto_assign(enquiry.pk, coordinator.pk) == auto.pk
    assert auto_assign(enquiry.pk, coordinator.pk) is None
    assert enquiry.transition_logs.filter(transition="assign").count() == 1
    assert auto_assign(999_999, coordinator.pk) is None


def test_the_task_returns_quietly_when_the_coordinator_is_gone(auto, submit, coordinator):
    enquiry = enquiry_transition(enquiry=submit(), name="triage", by=coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert auto_assign(enquiry.pk, coordinator.pk) is None
    assert Enquiry.objects.get(pk=enquiry.pk).state == "triaged"


def test_the_task_declares_its_retries_for_database_errors():
    from django.db import DatabaseError

    assert DatabaseError in auto_assign.autoretry_for
    assert auto_assign.retry_backoff and auto_assign.retry_jitter


def test_a_dead_broker_does_not_fail_the_triage(auto, submit, coordinator, django_capture_on_commit_callbacks, caplog):
    """GIVEN the broker is unreachable WHEN a coordinator triages THEN the triage commits, the case stays
    triaged for a coordinator to assign, and the lost kick is logged."""
    enquiry = submit()
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        enquiry_transition(enquiry=enquiry, name="triage", by=coordinator)
    assert Enquiry.objects.get(pk=enquiry.pk).state == "triaged"
    assert f"auto-assign: could not queue enquiry {enquiry.pk}" in caplog.text

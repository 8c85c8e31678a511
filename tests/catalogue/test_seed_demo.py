"""seed_demo: marked demo data, made through the workflow services, idempotent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cases.models import Enquiry, ReplyTemplate, State, TransitionLog
from catalogue.loaders import model_projects_import, topics_sync
from catalogue.models import ConsortiumPartner, ModelProject

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DATA = Path(settings.SHARED_DATA_DIR)


@pytest.fixture
def catalogue(directory):
    topics_sync()
    model_projects_import(path=DATA / "model_projects.csv", measures_path=DATA / "model_project_measures.csv")


def test_seed_demo_makes_marked_demo_data_over_many_states_and_a_second_run_makes_nothing(catalogue):
    """GIVEN the real catalogue
    WHEN seed_demo runs twice
    THEN demo partners, logins, model-project contacts and about 30 enquiries exist once, all marked as demo,
    the enquiries spread over the workflow states and past months, each with its transition log."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = (
        ConsortiumPartner.objects.count(),
        get_user_model().objects.count(),
        Enquiry.objects.count(),
        TransitionLog.objects.count(),
        ReplyTemplate.objects.count(),
    )

    call_command("seed_demo", stdout=io.StringIO())

    assert (
        ConsortiumPartner.objects.count(),
        get_user_model().objects.count(),
        Enquiry.objects.count(),
        TransitionLog.objects.count(),
        ReplyTemplate.objects.count(),
    ) == counts
    assert "koordination" in out.getvalue() and "Demo-Passwort-2026" in out.getvalue()
    assert ConsortiumPartner.objects.filter(is_demo=False).count() == 0
    assert ModelProject.objects.filter(contact_is_demo=False).count() == 0
    assert all(p.contact_email.endswith(".demo.invalid") for p in ModelProject.objects.all())
    assert Enquiry.objects.count() >= 28
    states = set(Enquiry.objects.values_list("state", flat=True))
    assert states == {s.value for s in State}
    oldest = Enquiry.objects.order_by("created_at").first()
    assert (Enquiry.objects.order_by("-created_at").first().created_at - oldest.created_at).days > 120
    assert all(e.contact_email.endswith(".demo.invalid") for e in Enquiry.objects.all())
    assert get_user_model().objects.get(username="difu").check_password("Demo-Passwort-2026")
    assert set(ReplyTemplate.objects.values_list("use", flat=True)) == {"request_info", "note"}

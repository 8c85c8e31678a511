"""Cases with a full history (every kind of free text a contact's data can end up in), made through the real
workflow services at a moment in the past."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Enquiry, FollowUp
from matching.models import Introduction
from tests import builders as b
from tests import factories as f

CONTACT = "Erika.Muster@Gemeinde.example"
SECRET_NOTE = "Frau Muster ist mobil unter 0171 5550123 erreichbar"


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(
        ags="09162000", name="München, Landeshauptstadt", bundesland="BY", population=1_500_000
    )


@pytest.fixture
def project(db, topic):
    return f.ModelProjectFactory(name="Smarte Region Musterland", topics=[topic])


@pytest.fixture
def submit(db, topic, municipality):
    """submit(email=..., at=None) -> Enquiry through cases.intake, after-commit effects run."""

    def _submit(*, email: str = CONTACT, at: datetime | None = None) -> Enquiry:
        return b.enquiry_submitted(
            municipality=municipality,
            topics=[topic.slug],
            contact_email=email,
            contact_phone="089 1234567",
            contact_role="Amtsleiterin Digitales",
            subject="Rufbus für Erika Musters Dorf",
            message="Ich bin Erika Muster und möchte wissen, wie ihr den Rufbus plant.",
            at=at or timezone.now(),
            effects=True,
        )

    return _submit


@pytest.fixture
def closed_case(submit, move, coordinator, partner, partner_user, project, django_capture_on_commit_callbacks):
    """closed_case(days_ago, email=CONTACT) -> an enquiry closed as completed ``days_ago`` days ago, with a
    reply, a request, an outcome, an answered survey, a follow-up note and an introduction with an answer."""
    from cases.surveys import survey_answer, survey_send

    def _make(days_ago: float, *, email: str = CONTACT) -> Enquiry:
        closed_at = timezone.now() - timedelta(days=days_ago)
        start = closed_at - timedelta(days=20)
        enquiry = submit(email=email, at=start)
        with time_machine.travel(start + timedelta(hours=2), tick=False):
            enquiry = move(enquiry, "triage", coordinator, comment=f"Rücksprache mit {email}")
            enquiry = move(enquiry, "assign", coordinator, partner=partner.pk)
            enquiry = move(enquiry, "accept", partner_user)
            enquiry = move(enquiry, "request_info", partner_user, message="Wie viele Einwohner hat Ihr Ortsteil?")
            enquiry = move(enquiry, "receive_reply", None, actor="municipality", message=SECRET_NOTE)
            Introduction.objects.create(
                enquiry=enquiry,
                model_project=project,
                created_at=timezone.now(),
                answer_note="Gern, ruft Frau Muster direkt an.",
            )
            FollowUp.objects.create(enquiry=enquiry, note=SECRET_NOTE, due_at=timezone.now(), created_at=timezone.now())
            enquiry = move(enquiry, "resolve", partner_user, category="exchange_held", notes=SECRET_NOTE)
        with time_machine.travel(closed_at, tick=False), django_capture_on_commit_callbacks(execute=True):
            survey = survey_send(enquiry_id=enquiry.pk, kind="satisfaction")
            survey_answer(token=survey.token, score=4, useful=True, comment="Danke, Erika Muster")
        enquiry.refresh_from_db()
        assert enquiry.state == "closed" and enquiry.closed_at == closed_at
        return enquiry

    return _make

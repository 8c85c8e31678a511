"""Surveys through a token link, no account (SPEC section 3): satisfaction 14 days after resolve, adoption six
months after resolve. The SurveyResponse row is created when the survey is sent and filled when answered.

A satisfaction answer closes the case as completed; an unanswered one closes it 30 days after sending.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.events import enquiry_changed_send, survey_answered
from cases.links import status_url, survey_url
from cases.models import CloseReason, Enquiry, State, SurveyResponse
from core.errors import Conflict, GuardFailed, NotVisible
from core.tokens import token_shaped

SURVEY_VALID_DAYS = {SurveyResponse.Kind.SATISFACTION: 30, SurveyResponse.Kind.ADOPTION: 60}
SENT_FIELD = {
    SurveyResponse.Kind.SATISFACTION: "satisfaction_survey_sent_at",
    SurveyResponse.Kind.ADOPTION: "adoption_survey_sent_at",
}


def _days(key: str) -> int:
    return settings.KTS_DEADLINES[key]


def survey_due_enquiry_ids(*, kind: str, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    if kind == SurveyResponse.Kind.SATISFACTION:
        query = Q(
            state=State.RESOLVED,
            satisfaction_survey_sent_at=None,
            resolved_at__lte=now - timedelta(days=_days("satisfaction_survey_days")),
        )
    else:
        # Only cases that ended with an outcome: resolved, or closed as completed after resolving.
        query = Q(state=State.RESOLVED) | Q(state=State.CLOSED, close_reason=CloseReason.COMPLETED)
        query &= Q(adoption_survey_sent_at=None, resolved_at__lte=now - timedelta(days=_days("adoption_survey_days")))
    return list(Enquiry.objects.filter(query).order_by("id").values_list("id", flat=True))


def survey_send(*, enquiry_id: int, kind: str, now: datetime | None = None) -> SurveyResponse | None:
    """Send one survey once.

    1. Claim: UPDATE enquiry SET <kind>_survey_sent_at=now WHERE id=.. AND it is NULL; 0 rows -> done already.
    2. In the same transaction: the SurveyResponse row with its token, and the e-mail (outbox).
    """
    from outbox.services import outbox_enqueue

    now = now or timezone.now()
    sent_field = SENT_FIELD[kind]
    with transaction.atomic():
        claimed = Enquiry.objects.filter(id=enquiry_id, **{sent_field: None}).update(**{sent_field: now})
        if claimed != 1:
            return None
        enquiry = Enquiry.objects.select_related("municipality").get(id=enquiry_id)
        survey, created = SurveyResponse.objects.get_or_create(
            enquiry=enquiry,
            kind=kind,
            defaults={"sent_at": now, "expires_at": now + timedelta(days=SURVEY_VALID_DAYS[kind])},
        )
        if not created:
            # a reopened and resolved-again case: the earlier survey stands
            return None
        enquiry_changed_send(enquiry_ids=[enquiry_id], what="survey_sent")
        outbox_enqueue(
            to=enquiry.contact_email,
            template=f"survey_{kind}",
            context={
                "enquiry": enquiry,
                "survey_url": survey_url(survey),
                "status_url": status_url(enquiry),
                "valid_days": SURVEY_VALID_DAYS[kind],
            },
            enquiry=enquiry,
        )
    return survey


def surveys_send_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for kind in (SurveyResponse.Kind.SATISFACTION, SurveyResponse.Kind.ADOPTION):
        for enquiry_id in survey_due_enquiry_ids(kind=kind, now=now):
            sent += survey_send(enquiry_id=enquiry_id, kind=kind, now=now) is not None
    return sent


def survey_get_open(*, token: str, now: datetime | None = None) -> SurveyResponse:
    """The survey behind a token, if it can still be answered; otherwise a DomainError with a German text."""
    now = now or timezone.now()
    survey = (
        SurveyResponse.objects.select_related("enquiry").filter(token=token).first() if token_shaped(token) else None
    )
    if survey is None:
        raise NotVisible(_("Diesen Umfrage-Link kennen wir nicht. Bitte prüfen Sie, ob er vollständig ist."))
    if survey.answered_at is not None:
        raise Conflict(_("Diese Umfrage wurde bereits beantwortet. Vielen Dank!"))
    if survey.expires_at is not None and survey.expires_at <= now:
        raise GuardFailed(_("Diese Umfrage ist abgelaufen und kann nicht mehr beantwortet werden."))
    return survey


def survey_answer(
    *,
    token: str,
    score: int | None = None,
    useful: bool | None = None,
    adopted: str = "",
    comment: str = "",
    now: datetime | None = None,
) -> SurveyResponse:
    """Store an answer once.

    1. Check the token (unknown, answered, expired -> DomainError, nothing stored).
    2. Claim: UPDATE survey SET answers, answered_at=now WHERE token=.. AND answered_at IS NULL; 0 rows means
       a second submission raced this one -> Conflict.
    3. A satisfaction answer closes a still resolved case as completed (same transaction); an adoption answer
       updates the success rates that matching learns from.
    """
    now = now or timezone.now()
    survey = survey_get_open(token=token, now=now)
    if survey.kind == SurveyResponse.Kind.SATISFACTION:
        if score is None or not 1 <= score <= 5:
            raise GuardFailed(_("Bitte geben Sie eine Bewertung von 1 bis 5 an."), field="score")
        values = {"score": score, "useful": useful, "comment": comment.strip()}
    else:
        if adopted not in SurveyResponse.Adopted.values:
            raise GuardFailed(_("Bitte wählen Sie ja, geplant oder nein."), field="adopted")
        values = {"adopted": adopted, "comment": comment.strip()}
    with transaction.atomic():
        if SurveyResponse.objects.filter(id=survey.id, answered_at=None).update(answered_at=now, **values) != 1:
            raise Conflict(_("Diese Umfrage wurde bereits beantwortet. Vielen Dank!"))
        enquiry_changed_send(enquiry_ids=[survey.enquiry_id], what="survey_answered")
        if survey.kind == SurveyResponse.Kind.SATISFACTION:
            _close_completed(enquiry_id=survey.enquiry_id)
        else:
            # An adoption answer ("yes"/"planned") is a success signal for the projects of this case: matching
            # subscribes (cases.events).
            survey_answered.send(sender=SurveyResponse, survey=survey)
    survey.refresh_from_db()
    return survey


def _close_completed(*, enquiry_id: int) -> bool:
    """Close a resolved case as completed through the normal service; quietly nothing when it moved on."""
    from cases.reminders import close_by_system

    enquiry = Enquiry.objects.filter(id=enquiry_id, state=State.RESOLVED).first()
    if enquiry is None:
        return False
    return close_by_system(enquiry=enquiry, reason=CloseReason.COMPLETED)


def surveys_close_unanswered(*, now: datetime | None = None) -> int:
    """Resolved cases whose satisfaction survey went out 30 days ago without an answer: closed as completed."""
    now = now or timezone.now()
    ids = Enquiry.objects.filter(
        state=State.RESOLVED,
        satisfaction_survey_sent_at__lte=now - timedelta(days=_days("satisfaction_close_days")),
    ).values_list("id", flat=True)
    return sum(_close_completed(enquiry_id=enquiry_id) for enquiry_id in list(ids))

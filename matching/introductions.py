"""Kontaktvermittlung: the model project's contact is asked by e-mail (token link, no account) whether they
will talk to the municipality; on "yes" both sides get each other's contact details.

States (Introduction, django-fsm): proposed -> requested -> accepted | declined; accepted -> completed.
Every change writes an Activity on the enquiry's timeline in the same transaction; e-mails leave through
the outbox after commit. A completed introduction is what the outcome ``contact_established`` stands for.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from cases.access import may_work_on
from cases.events import enquiry_changed_send
from cases.inbox import notify_introduction_answered
from cases.links import introduction_answer_url
from cases.models import OPEN_STATES, Activity, Enquiry, State
from cases.notifications import introduction_answered_email
from catalogue.models import ModelProject
from core.errors import Conflict, GuardFailed, NotAllowed, NotVisible
from core.tokens import token_shaped
from matching.models import OPEN_INTRODUCTION_STATES, Introduction, Match
from outbox.services import outbox_enqueue

MAX_NOTE = 2_000
# The case states in which a model project may be asked: a partner has taken the case on and follows the
# contact up (it records the outcome contact_established). Before that nobody would answer for it; in
# triaged and assigned the partner may still be changed or decline.
INTRODUCTION_CASE_STATES = (State.IN_PROGRESS,)
# Introductions that occupy a place of the project's capacity (the engine's capacity feature counts the same).


def _activity(*, introduction: Introduction, text: str, by: Any, actor: str, now) -> None:
    Activity.objects.create(
        enquiry_id=introduction.enquiry_id,
        kind=Activity.Kind.SYSTEM,
        author=by,
        actor=actor,
        text=text,
        at=now,
    )


# A closed case (withdrawn, out of scope, done): its introductions are history, none is completed any more.
ENDED_CASE_STATES = {State.CLOSED}


def introductions_of(*, enquiry: Enquiry) -> QuerySet[Introduction]:
    return Introduction.objects.filter(enquiry=enquiry).select_related("model_project").order_by("created_at", "id")


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def introduction_refusal(*, enquiry: Enquiry, project: ModelProject) -> GuardFailed | None:
    """Why no introduction to ``project`` can start on this case now (the error to raise), or None.

    The rule: the case is in progress (INTRODUCTION_CASE_STATES), the project has a contact e-mail, it has
    no introduction on this case yet (one per project and case, whatever its state) and a free place of its
    capacity (open introductions < capacity)."""
    if enquiry.state not in INTRODUCTION_CASE_STATES:
        return GuardFailed(
            _(
                "Eine Kontaktvermittlung ist erst möglich, wenn ein Partner die Anfrage übernommen hat "
                "(Status „in Bearbeitung“); die Anfrage ist „%(state)s“."
            )
            % {"state": _state_label(enquiry.state)},
            field="state",
        )
    if not project.contact_email:
        return GuardFailed(
            _("Für das Modellprojekt „%(name)s“ ist keine Kontakt-E-Mail hinterlegt.") % {"name": project.name},
            field="model_project",
        )
    existing = Introduction.objects.filter(enquiry=enquiry, model_project=project).first()
    if existing is not None:
        return GuardFailed(
            _("Für „%(name)s“ gibt es bei dieser Anfrage bereits eine Kontaktvermittlung (Status „%(state)s“).")
            % {"name": project.name, "state": existing.get_state_display()},
            field="model_project",
        )
    occupied = Introduction.objects.filter(model_project=project, state__in=OPEN_INTRODUCTION_STATES).count()
    if occupied >= project.capacity:
        return GuardFailed(
            _("„%(name)s“ hat keinen freien Vermittlungsplatz (%(open)d von %(cap)d belegt).")
            % {"name": project.name, "open": occupied, "cap": project.capacity},
            field="model_project",
        )
    return None


def introduction_start(*, match: Match, by: Any) -> Introduction:
    """Create the introduction for an accepted model-project proposal and send the request (proposed ->
    requested). Runs inside the caller's transaction when there is one.

    1. the proposal must be an accepted model project;
    2. an introduction that already exists for this project and case is a repeated request: Conflict (409);
    3. in one transaction, lock the project row (so that two cases never both take its last free place),
       then check ``introduction_refusal`` (400) and create, request and log the introduction; the e-mail
       leaves through the outbox after commit.
    """
    enquiry = match.enquiry
    project = match.model_project
    if match.kind != Match.Kind.MODEL_PROJECT or project is None:
        raise GuardFailed(_("Nur Modellprojekte können vermittelt werden."), field="match")
    if match.decision != Match.Decision.ACCEPTED:
        raise GuardFailed(_("Der Vorschlag muss zuerst angenommen werden."), field="match")
    if Introduction.objects.filter(enquiry=enquiry, model_project=project).exists():
        raise Conflict(_("Für dieses Modellprojekt gibt es bereits eine Vermittlung."))
    now = timezone.now()
    who = by.get_username() if by is not None else "system"
    try:
        with transaction.atomic():
            project = ModelProject.objects.select_for_update().get(pk=project.pk)
            refusal = introduction_refusal(enquiry=enquiry, project=project)
            if refusal is not None:
                raise refusal
            introduction = Introduction.objects.create(
                enquiry=enquiry, model_project=project, match=match, created_at=now
            )
            enquiry_changed_send(enquiry_ids=[enquiry.pk], what="introduction")
            _activity(
                introduction=introduction,
                text=_("Kontaktvermittlung zu „%(name)s“ vorgeschlagen.") % {"name": project.name},
                by=by,
                actor=who,
                now=now,
            )
            introduction.request()
            introduction.requested_at = now
            introduction.save()
            _activity(
                introduction=introduction,
                text=_("Modellprojekt „%(name)s“ per E-Mail um Kontakt gebeten.") % {"name": project.name},
                by=by,
                actor=who,
                now=now,
            )
            outbox_enqueue(
                to=project.contact_email,
                template="introduction_request",
                context={
                    "enquiry": enquiry,
                    "project": project,
                    "municipality": enquiry.municipality,
                    "answer_url": introduction_answer_url(token=introduction.token),
                },
                enquiry=enquiry,
            )
    except IntegrityError as exc:
        # a parallel request created the introduction of this project and case first (unique constraint)
        raise Conflict(_("Für dieses Modellprojekt gibt es bereits eine Vermittlung.")) from exc
    return introduction


def introduction_create_for_match(*, enquiry: Enquiry, match_id: Any, by: Any) -> Introduction:
    """The staff door: start the introduction of an already accepted proposal (e.g. accepted before the case
    was in progress)."""
    from matching.selectors import match_get

    if not may_work_on(by, enquiry):
        raise NotAllowed(_("Sie dürfen für diese Anfrage keine Vermittlung anstoßen."))
    if match_id in (None, ""):
        raise GuardFailed(_("Bitte einen Vorschlag angeben."), field="match")
    try:
        match = match_get(enquiry=enquiry, match_id=match_id)
    except NotVisible as exc:
        raise GuardFailed(_("Unbekannter Vorschlag."), field="match") from exc
    return introduction_start(match=match, by=by)


def introduction_get_by_token(*, token: Any) -> Introduction:
    if not token_shaped(token):
        raise NotVisible(_("Vermittlung nicht gefunden."))
    introduction = (
        Introduction.objects.filter(token=token)
        .select_related("enquiry", "enquiry__municipality", "model_project")
        .first()
    )
    if introduction is None:
        raise NotVisible(_("Vermittlung nicht gefunden."))
    return introduction


def introduction_answerable(*, introduction: Introduction) -> bool:
    return introduction.state == Introduction.State.REQUESTED and introduction.enquiry.state in OPEN_STATES


def introduction_answer(*, token: Any, accept: bool, note: str = "") -> Introduction:
    """The model project's answer through its token link.

    1. find the introduction by token (404 otherwise);
    2. in one transaction, lock it and check it still waits for an answer and the case is still open (a used
       link answers 409 and stores nothing);
    3. move the state, write the Activity, and on "yes" send both sides each other's contact details.
    """
    if not isinstance(note, str):
        raise GuardFailed(_("Bitte einen Text angeben."), field="note")
    note = note.replace("\x00", "").strip()
    if len(note) > MAX_NOTE:
        raise GuardFailed(_("Höchstens %(n)d Zeichen.") % {"n": MAX_NOTE}, field="note")
    found = introduction_get_by_token(token=token)
    now = timezone.now()
    try:
        with transaction.atomic():
            introduction = (
                Introduction.objects.select_for_update()
                .select_related("enquiry", "enquiry__municipality", "model_project")
                .get(pk=found.pk)
            )
            if not introduction_answerable(introduction=introduction):
                raise Conflict(_("Diese Anfrage wurde bereits beantwortet oder ist nicht mehr aktuell."))
            project = introduction.model_project
            enquiry = introduction.enquiry
            if accept:
                introduction.accept()
            else:
                introduction.decline()
            introduction.answered_at = now
            introduction.answer_note = note
            introduction.save()
            # the statistics count the answers (introductions accepted, enquiries helped)
            enquiry_changed_send(enquiry_ids=[enquiry.pk], what="introduction_answered")
            if accept:
                text = _("„%(name)s“ hat der Kontaktvermittlung zugestimmt.") % {"name": project.name}
            else:
                text = _("„%(name)s“ hat die Kontaktvermittlung abgelehnt.") % {"name": project.name}
            if note:
                text = f"{text} {note}"
            _activity(introduction=introduction, text=text, by=None, actor="model_project", now=now)
            # the case's handler hears of the answer (workspace and e-mail); the project has no account
            notify_introduction_answered(enquiry=enquiry, project_name=project.name, accepted=accept)
            introduction_answered_email(enquiry=enquiry, project=project, accepted=accept, note=note)
            if accept:
                context = {"enquiry": enquiry, "project": project, "municipality": enquiry.municipality, "note": note}
                outbox_enqueue(
                    to=enquiry.contact_email,
                    template="introduction_accepted",
                    context={**context, "recipient": "municipality"},
                    enquiry=enquiry,
                )
                outbox_enqueue(
                    to=project.contact_email,
                    template="introduction_accepted",
                    context={**context, "recipient": "project"},
                    enquiry=enquiry,
                )
    except ConcurrentTransition as exc:
        raise Conflict(_("Diese Anfrage wurde bereits beantwortet oder ist nicht mehr aktuell.")) from exc
    return introduction


def introduction_get(*, enquiry: Enquiry, introduction_id: Any) -> Introduction:
    try:
        introduction_id = int(introduction_id)
    except (TypeError, ValueError) as exc:
        raise NotVisible(_("Vermittlung nicht gefunden.")) from exc
    introduction = introductions_of(enquiry=enquiry).filter(pk=introduction_id).first()
    if introduction is None:
        raise NotVisible(_("Vermittlung nicht gefunden."))
    return introduction


def introduction_complete(*, introduction: Introduction, by: Any) -> Introduction:
    """Staff confirm that the contact took place (accepted -> completed)."""
    if not may_work_on(by, introduction.enquiry):
        raise NotAllowed(_("Sie dürfen diese Vermittlung nicht abschließen."))
    now = timezone.now()
    try:
        with transaction.atomic():
            # the case first (the order of the transitions' locks), then the introduction
            enquiry = Enquiry.objects.select_for_update().get(pk=introduction.enquiry_id)
            if enquiry.state in ENDED_CASE_STATES or enquiry.anonymised_at is not None:
                raise GuardFailed(
                    _("Die Anfrage ist „%(state)s“: ihre Vermittlungen können nicht mehr abgeschlossen werden.")
                    % {"state": _("anonymisiert") if enquiry.anonymised_at else _state_label(enquiry.state)},
                    field="state",
                )
            locked = Introduction.objects.select_for_update().select_related("model_project").get(pk=introduction.pk)
            if locked.state != Introduction.State.ACCEPTED:
                raise GuardFailed(
                    _("Nur eine zugesagte Vermittlung kann abgeschlossen werden (Status: %(state)s).")
                    % {"state": locked.get_state_display()},
                    field="state",
                )
            locked.complete()
            locked.completed_at = now
            locked.save()
            enquiry_changed_send(enquiry_ids=[enquiry.pk], what="introduction_completed")
            _activity(
                introduction=locked,
                text=_("Kontakt zu „%(name)s“ hergestellt; Vermittlung abgeschlossen.")
                % {"name": locked.model_project.name},
                by=by,
                actor=by.get_username(),
                now=now,
            )
    except ConcurrentTransition as exc:
        raise Conflict(_("Die Vermittlung wurde inzwischen geändert. Bitte neu laden.")) from exc
    return locked

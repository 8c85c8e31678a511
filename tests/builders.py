"""Test builders: an enquiry submitted and moved on through the real services, never by assigning state.

One place for what the conftests of every test area used to write each in its own way; their fixtures
(``submit``, ``move``, ``in_progress``, ``make_case``, ...) are thin wrappers around these functions.
``effects=True`` runs the after-commit callbacks of the step (notifications, matching, deadlines), as a
worker would after the commit; otherwise they are dropped, as in a test transaction that never commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from typing import Any

import time_machine
from django.test import TestCase

from cases.intake import enquiry_submit
from cases.models import Enquiry
from cases.services import enquiry_transition
from matching.models import PROPOSALS_JOB
from ops.jobs import job_run_now

# The steps from new to each state, and who takes them.
PATHS: dict[str, list[str]] = {
    "new": [],
    "triaged": ["triage"],
    "assigned": ["triage", "assign"],
    "in_progress": ["triage", "assign", "accept"],
    "awaiting_reply": ["triage", "assign", "accept", "request_info"],
    "resolved": ["triage", "assign", "accept", "resolve"],
    "closed": ["withdraw"],
}
STAFF_STEPS = frozenset({"accept", "request_info", "resolve"})  # the partner's staff; the rest the coordinator
PAYLOADS: dict[str, dict] = {
    "request_info": {"message": "Wie viele Einwohner?"},
    "resolve": {"category": "information_provided", "notes": "Unterlagen geschickt"},
}


@contextmanager
def after_commit(*, effects: bool = True) -> Iterator[None]:
    """Run the on-commit callbacks of the block at its end (``effects``), or drop them."""
    with TestCase.captureOnCommitCallbacks(execute=True) if effects else nullcontext():
        yield


def _at(when: datetime | None):
    return time_machine.travel(when, tick=False) if when is not None else nullcontext()


def enquiry_submitted(
    *,
    municipality: Any,
    topics: list[str] | tuple[str, ...] = ("mobilitaet",),
    contact_name: str = "Erika Muster",
    contact_email: str = "erika@gemeinde.example",
    subject: str = "Radverkehr in der Innenstadt",
    message: str = "Wie habt ihr das Radnetz geplant?",
    support_type: str = "information",
    consent: Any = True,
    at: datetime | None = None,
    effects: bool = False,
    **fields: Any,
) -> Enquiry:
    """An enquiry of ``municipality`` (a Municipality or its AGS) submitted through cases.intake, as the public
    form does (``consent`` other than True is refused there); ``at`` moves the clock there (time_machine) for the submission, ``fields`` are passed on
    (``contact_phone``, ``channel``, ``now``, ``measure_id``, ...)."""
    ags = municipality if isinstance(municipality, str) else municipality.ags
    with _at(at):
        with after_commit(effects=effects):
            enquiry = enquiry_submit(
                municipality_ags=ags,
                contact_name=contact_name,
                contact_email=contact_email,
                subject=subject,
                message=message,
                topic_slugs=list(topics),
                support_type=support_type,
                consent=consent,
                **fields,
            )
        # what the worker does right after the answer (ops.jobs), also without the other after-commit effects
        job_run_now(PROPOSALS_JOB, enquiry.pk)
    return enquiry


def enquiry_moved(
    enquiry: Enquiry,
    name: str,
    *,
    by: Any,
    actor: str | None = None,
    at: datetime | None = None,
    effects: bool = False,
    **payload: Any,
) -> Enquiry:
    """The transition ``name`` taken through cases.services by ``by`` (or ``actor``, e.g. "municipality")."""
    with _at(at), after_commit(effects=effects):
        return enquiry_transition(enquiry=enquiry, name=name, by=by, actor=actor, payload=payload)


def enquiry_brought_to(
    enquiry: Enquiry,
    state: str,
    *,
    coordinator: Any,
    staff: Any,
    partner: Any,
    assign_user: Any = None,
    payloads: dict[str, dict] | None = None,
    effects: bool = False,
) -> Enquiry:
    """``enquiry`` (new) moved to ``state`` along PATHS: the coordinator triages and assigns it to ``partner``
    (and ``assign_user``, if given), ``staff`` accepts, asks and resolves; ``payloads`` override PAYLOADS."""
    bodies = {**PAYLOADS, **(payloads or {})}
    for name in PATHS[state]:
        body = dict(bodies.get(name, {}))
        if name == "assign":
            body.setdefault("partner", partner.pk)
            if assign_user is not None:
                body.setdefault("user", assign_user.pk)
        by = staff if name in STAFF_STEPS else coordinator
        enquiry = enquiry_moved(enquiry, name, by=by, effects=effects, **body)
    return enquiry


def event_created(
    *,
    by: Any,
    topics: list[Any],
    title: str = "Transferworkshop Parkraumsensorik",
    starts_in: timedelta = timedelta(days=14),
    capacity: int = 10,
    enquiries: list[Enquiry] | tuple[Enquiry, ...] = (),
    projects: list[Any] | tuple[Any, ...] = (),
    opened: bool = True,
    **fields: Any,
):
    """An event planned by the coordinator ``by`` through events.services (and its registration opened,
    unless ``opened`` is False); it starts ``starts_in`` from now and lasts two hours."""
    from django.utils import timezone

    from events.services import EventData, event_create, event_open

    starts_at = timezone.now() + starts_in
    data = EventData(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=capacity,
        topics=list(topics),
        enquiries=list(enquiries),
        projects=list(projects),
        **fields,
    )
    event = event_create(data=data, by=by)
    if opened:
        event = event_open(event=event, by=by)
    return event


def event_held(
    *,
    by: Any,
    topics: list[Any],
    starts_at: datetime,
    enquiries: list[Enquiry] | tuple[Enquiry, ...] = (),
    attended: list[Enquiry] | tuple[Enquiry, ...] = (),
    capacity: int = 50,
    title: str = "Transferworkshop Parkraumsensorik",
):
    """An event that took place at ``starts_at`` (in the past), through events.services with the clock moved
    there: planned and opened a week before, the contacts of ``enquiries`` invited and registered, held after
    its start, and the attendance of those of ``attended`` recorded."""
    from events.models import Invitation
    from events.outcomes import attendance_record
    from events.registrations import invitations_send, registration_answer
    from events.services import event_hold

    with _at(starts_at - timedelta(days=7)):
        event = event_created(
            by=by, topics=topics, title=title, capacity=capacity, starts_in=timedelta(days=7), enquiries=enquiries
        )
        if enquiries:
            invitations_send(event=event, enquiries=enquiries, by=by)
            for invitation in Invitation.objects.filter(event=event):
                registration_answer(token=invitation.token, register=True)
    with _at(event.starts_at + timedelta(hours=3)):
        event = event_hold(event=event, by=by)
        came = Invitation.objects.filter(event=event, enquiry__in=list(attended)).values_list("pk", flat=True)
        attendance_record(event=event, attended=list(came), by=by)
    return event

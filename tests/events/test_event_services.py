"""Events through their service doors: planning, opening, invitations, registration with the waiting list,
the calendar file, cancelling, attendance and the cases resolved with exchange_held."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from cases.models import Outcome, OutcomeCategory, State
from core.errors import Conflict, GuardFailed, NotAllowed, NotVisible
from events.models import Event, EventLog, Invitation, Presenter
from events.outcomes import attendance_record, event_resolve_cases
from events.registrations import events_send_reminders, invitations_send, registration_answer
from events.services import event_cancel, event_hold, event_update, presenter_answer
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db


def _mails(template: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template).order_by("id"))


def test_a_planned_event_asks_its_presenting_projects_and_logs_its_creation(coordinator, parking, project):
    """GIVEN a coordinator WHEN she plans an event with a presenting project THEN it is planned, logged, and
    the project's contact gets a request with a token link that answers once."""
    event = b.event_created(by=coordinator, topics=[parking], projects=[project], opened=False)
    assert event.state == Event.State.PLANNED
    assert list(event.log.values_list("action", flat=True)) == ["create", "presenter_ask"]
    (request,) = _mails("event_presenter_request")
    presenter = Presenter.objects.get(event=event)
    assert presenter.token in request.text and request.recipients == ["parken@modellprojekt.example"]
    assert presenter_answer(token=presenter.token, accept=True).state == Presenter.State.ACCEPTED
    with pytest.raises(Conflict):
        presenter_answer(token=presenter.token, accept=False)


def test_only_a_coordinator_plans_events(partner_user, parking):
    with pytest.raises(NotAllowed):
        b.event_created(by=partner_user, topics=[parking])


def test_it_refuses_an_event_in_the_past_or_ending_before_it_starts(coordinator, parking):
    with pytest.raises(GuardFailed) as past:
        b.event_created(by=coordinator, topics=[parking], starts_in=timedelta(hours=-1))
    assert past.value.field == "starts_at"
    with pytest.raises(GuardFailed) as place:
        b.event_created(by=coordinator, topics=[parking], format=Event.Format.ON_SITE, place="")
    assert place.value.field == "place"
    assert not Event.objects.exists()


def test_invitations_go_to_each_address_once_with_a_personal_link(coordinator, parking, case_in_progress, new_case):
    """GIVEN an open event WHEN the coordinator invites two enquiries, then both again THEN two invitations,
    two e-mails with their links, a line on each case's timeline, and the second round skips both."""
    event = b.event_created(by=coordinator, topics=[parking])
    result = invitations_send(event=event, enquiries=[case_in_progress, new_case], by=coordinator)
    assert len(result.invited) == 2 and not result.skipped
    mails = _mails("event_invitation")
    assert len(mails) == 2
    for invitation in Invitation.objects.filter(event=event):
        assert any(invitation.token in m.text and m.recipients == [invitation.email] for m in mails)
        assert invitation.enquiry.activities.filter(text__contains=event.title).exists()
    again = invitations_send(event=event, enquiries=[case_in_progress, new_case], by=coordinator)
    assert not again.invited and len(again.skipped) == 2
    assert Invitation.objects.filter(event=event).count() == 2


def test_invitations_wait_until_the_registration_is_open(coordinator, parking, new_case):
    event = b.event_created(by=coordinator, topics=[parking], opened=False)
    with pytest.raises(GuardFailed):
        invitations_send(event=event, enquiries=[new_case], by=coordinator)
    assert not Invitation.objects.exists()


def test_registration_confirms_with_a_calendar_file_and_the_last_seat_fills_the_event(
    coordinator, parking, case_in_progress, new_case
):
    """GIVEN an event with one seat and two invited WHEN both register THEN the first has the seat with a
    calendar file attached, the event is full, the second waits; WHEN the first withdraws THEN the second
    moves up (with the calendar file) and the event stays full."""
    event = b.event_created(by=coordinator, topics=[parking], capacity=1)
    invitations_send(event=event, enquiries=[case_in_progress, new_case], by=coordinator)
    first, second = Invitation.objects.filter(event=event).order_by("id")

    assert registration_answer(token=first.token, register=True).state == Invitation.State.REGISTERED
    event.refresh_from_db()
    assert event.state == Event.State.FULL
    (confirmation,) = _mails("event_registered")
    (ics,) = confirmation.attachments
    calendar = Calendar.from_ical(ics["content"])
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)

    assert registration_answer(token=second.token, register=True).state == Invitation.State.WAITLISTED
    with pytest.raises(Conflict):
        registration_answer(token=second.token, register=True)

    assert registration_answer(token=first.token, register=False).state == Invitation.State.WITHDRAWN
    second.refresh_from_db()
    event.refresh_from_db()
    assert second.state == Invitation.State.REGISTERED and event.state == Event.State.FULL
    assert _mails("event_moved_up")[0].attachments
    actions = list(EventLog.objects.filter(event=event).values_list("action", flat=True))
    assert actions[-5:] == ["register", "fill", "register", "decline", "move_up"]


def test_a_freed_seat_with_nobody_waiting_opens_the_event_again(coordinator, parking, new_case):
    event = b.event_created(by=coordinator, topics=[parking], capacity=1)
    invitations_send(event=event, enquiries=[new_case], by=coordinator)
    invitation = Invitation.objects.get(event=event)
    registration_answer(token=invitation.token, register=True)
    registration_answer(token=invitation.token, register=False)
    event.refresh_from_db()
    assert event.state == Event.State.OPEN
    assert [a for a in event.log.values_list("action", flat=True) if a in ("fill", "free")] == ["fill", "free"]


def test_registration_is_refused_after_the_deadline_for_a_cancelled_event_and_for_a_foreign_token(
    coordinator, parking, new_case
):
    event = b.event_created(by=coordinator, topics=[parking], registration_deadline=timezone.now() + timedelta(days=1))
    invitations_send(event=event, enquiries=[new_case], by=coordinator)
    invitation = Invitation.objects.get(event=event)
    with time_machine.travel(timezone.now() + timedelta(days=2)), pytest.raises(GuardFailed) as late:
        registration_answer(token=invitation.token, register=True)
    assert late.value.field == "registration_deadline"
    with pytest.raises(NotVisible):
        registration_answer(token="x" * 32, register=True)
    event_cancel(event=event, by=coordinator, reason="Referentin erkrankt")
    with pytest.raises(GuardFailed):
        registration_answer(token=invitation.token, register=True)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.INVITED


def test_cancelling_informs_everyone_and_withdraws_the_calendar_entry(coordinator, parking, project, new_case):
    event = b.event_created(by=coordinator, topics=[parking], projects=[project])
    invitations_send(event=event, enquiries=[new_case], by=coordinator)
    registration_answer(token=Invitation.objects.get(event=event).token, register=True)
    with pytest.raises(GuardFailed):
        event_cancel(event=event, by=coordinator, reason=" ")
    event = event_cancel(event=event, by=coordinator, reason="Referentin erkrankt")
    assert event.state == Event.State.CANCELLED
    mails = _mails("event_cancelled")
    assert sorted(r for m in mails for r in m.recipients) == ["mobil@koeln.example", "parken@modellprojekt.example"]
    to_municipality = next(m for m in mails if m.recipients == ["mobil@koeln.example"])
    assert "METHOD:CANCEL" in to_municipality.attachments[0]["content"]
    assert "Referentin erkrankt" in to_municipality.text


def test_holding_waits_for_the_start_and_attendance_then_resolves_the_case_as_exchange_held(
    coordinator, partner_user, parking, case_in_progress, new_case
):
    """GIVEN two registered municipalities WHEN the event was held and one attended THEN only her case (in
    progress, on the topic) is resolved with exchange_held, through the resolve service with its rights: the
    coordinator may not, the partner's staff may."""
    event = b.event_created(by=coordinator, topics=[parking])
    invitations_send(event=event, enquiries=[case_in_progress, new_case], by=coordinator)
    came, stayed_away = Invitation.objects.filter(event=event).order_by("id")
    registration_answer(token=came.token, register=True)
    registration_answer(token=stayed_away.token, register=True)
    with pytest.raises(GuardFailed):
        event_hold(event=event, by=coordinator)
    with time_machine.travel(event.starts_at + timedelta(hours=3)):
        event = event_hold(event=event, by=coordinator)
        assert attendance_record(event=event, attended=[came.pk], by=coordinator) == 1
        by_coordinator = event_resolve_cases(event=event, by=coordinator)
        assert not by_coordinator.resolved and len(by_coordinator.skipped) == 1
        result = event_resolve_cases(event=event, by=partner_user)
    assert [i.pk for i in result.resolved] == [came.pk]
    case_in_progress.refresh_from_db()
    assert case_in_progress.state == State.RESOLVED
    assert Outcome.objects.get(enquiry=case_in_progress).category == OutcomeCategory.EXCHANGE_HELD
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    assert came.attended is True and came.resolved_at is not None and stayed_away.attended is False


def test_attendance_is_refused_before_the_event_was_held_and_for_unknown_invitations(coordinator, parking, new_case):
    event = b.event_created(by=coordinator, topics=[parking])
    with pytest.raises(GuardFailed):
        attendance_record(event=event, attended=[], by=coordinator)
    with time_machine.travel(event.starts_at + timedelta(hours=3)):
        event = event_hold(event=event, by=coordinator)
        with pytest.raises(GuardFailed) as unknown:
            attendance_record(event=event, attended=[999_999], by=coordinator)
    assert unknown.value.field == "attended"


def test_the_reminder_goes_out_once_the_day_before(coordinator, parking, new_case):
    event = b.event_created(by=coordinator, topics=[parking], starts_in=timedelta(days=3))
    invitations_send(event=event, enquiries=[new_case], by=coordinator)
    registration_answer(token=Invitation.objects.get(event=event).token, register=True)
    assert events_send_reminders() == 0
    with time_machine.travel(event.starts_at - timedelta(hours=20)):
        assert events_send_reminders() == 1
        assert events_send_reminders() == 0
    (reminder,) = _mails("event_reminder")
    assert reminder.attachments and reminder.recipients == ["mobil@koeln.example"]


def test_a_larger_capacity_moves_the_waiting_up_and_a_smaller_one_than_taken_is_refused(
    coordinator, parking, case_in_progress, new_case
):
    event = b.event_created(by=coordinator, topics=[parking], capacity=1)
    invitations_send(event=event, enquiries=[case_in_progress, new_case], by=coordinator)
    for invitation in Invitation.objects.filter(event=event).order_by("id"):
        registration_answer(token=invitation.token, register=True)
    event = event_update(event=event, by=coordinator, changes={"capacity": 2})
    assert Invitation.objects.filter(event=event, state=Invitation.State.REGISTERED).count() == 2
    assert event.state == Event.State.FULL
    with pytest.raises(GuardFailed) as smaller:
        event_update(event=event, by=coordinator, changes={"capacity": 1})
    assert smaller.value.field == "capacity"


def test_only_coordinators_invite(partner_user, coordinator, parking, new_case):
    event = b.event_created(by=coordinator, topics=[parking])
    with pytest.raises(NotAllowed):
        invitations_send(event=event, enquiries=[new_case], by=partner_user)
    assert f.EnquiryFactory  # the factory module stays importable for the other event tests


def test_the_buttons_offer_holding_only_once_the_event_has_begun(coordinator, parking):
    from events.transitions import event_transitions_available

    event = b.event_created(by=coordinator, topics=[parking])
    assert [t.name for t in event_transitions_available(event=event, by=coordinator)] == ["cancel"]
    later = event.starts_at + timedelta(minutes=1)
    assert [t.name for t in event_transitions_available(event=event, by=coordinator, now=later)] == ["hold", "cancel"]

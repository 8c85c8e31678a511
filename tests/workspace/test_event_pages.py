"""The workspace's event pages (issue 15, parts 2-4) through the Django test client: who sees and plans what,
the form's errors at their fields, the radar group's prefill, the transitions with the state the page showed,
invitations, attendance and the cases resolved with exchange_held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Outcome, OutcomeCategory, State
from events.models import Event, Invitation, Presenter
from events.registrations import invitations_send, registration_answer
from outbox.models import OutboxMessage
from tests import builders as b

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def _client(client, user):
    client.force_login(user)
    return client


def _form(parking, *, starts_in: timedelta = timedelta(days=10), **over):
    start = timezone.localtime() + starts_in
    data = {
        "title": "Transferworkshop Parkraum",
        "kind": "workshop",
        "description": "Erfahrungen mit Sensoren",
        "topics": [parking.slug],
        "format": "online",
        "place": "",
        "online_url": "https://konferenz.example/parken",
        "starts_at": start.strftime(LOCAL),
        "ends_at": (start + timedelta(hours=2)).strftime(LOCAL),
        "registration_deadline": "",
        "capacity": "12",
    }
    data.update(over)
    return data


def _held(event: Event) -> Event:
    """Move the event's times into the past (test setup), then take "hold" through the service's door."""
    past = timezone.now() - timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=2), registration_deadline=past - timedelta(hours=1)
    )
    return Event.objects.get(pk=event.pk)


def test_the_list_shows_every_event_to_coordinators_and_to_partner_staff_only_those_of_their_cases(
    client, coordinator, partner_user, manager, parking, case_in_progress
):
    mine = b.event_created(by=coordinator, topics=[parking], title="Workshop mit Kempten")
    b.event_created(by=coordinator, topics=[parking], title="Workshop ohne Partnerfall")
    invitations_send(event=mine, enquiries=[case_in_progress], by=coordinator)
    registration_answer(token=Invitation.objects.get().token, register=True)

    page = _client(client, coordinator).get(reverse("web:event-list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Workshop mit Kempten" in text and "Workshop ohne Partnerfall" in text
    assert "Veranstaltung planen" in text and ">1 / 10<" in text
    assert 'href="/intern/veranstaltungen/"' in text  # in the navigation

    page = _client(client, partner_user).get(reverse("web:event-list"))
    assert "Workshop mit Kempten" in page.content.decode()
    assert "Workshop ohne Partnerfall" not in page.content.decode()
    assert "Veranstaltung planen" not in page.content.decode()

    filtered = _client(client, manager).get(reverse("web:event-list"), {"status": "held"})
    assert "Workshop mit Kempten" not in filtered.content.decode()
    assert _client(client, manager).get(reverse("web:event-list"), {"status": "egal"}).status_code == 400


def test_only_coordinators_plan_and_edit_events(client, coordinator, partner_user, manager, parking):
    event = b.event_created(by=coordinator, topics=[parking])
    for user in (partner_user, manager):
        c = _client(client, user)
        assert c.get(reverse("web:event-create")).status_code == 403
        assert c.post(reverse("web:event-create"), _form(parking)).status_code == 403
    assert _client(client, manager).get(reverse("web:event-edit", args=[event.pk])).status_code == 403
    assert Event.objects.count() == 1
    page = _client(client, coordinator).get(reverse("web:event-create"))
    text = page.content.decode()
    for label in ("Titel", "Art", "Beschreibung", "Handlungsfelder", "Format", "Ort", "Zugangslink", "Beginn"):
        assert f">{label}" in text
    for label in ("Ende", "Anmeldeschluss", "Plätze", "Mitwirkende Modellprojekte"):
        assert f">{label}" in text
    assert 'type="datetime-local"' in text


def test_planning_with_errors_shows_them_at_the_fields_in_german_and_stores_nothing(client, coordinator, parking):
    c = _client(client, coordinator)
    past = c.post(reverse("web:event-create"), _form(parking, starts_in=timedelta(hours=-2)))
    assert past.status_code == 400
    assert "Der Beginn muss in der Zukunft liegen." in past.content.decode()
    assert 'id="id_starts_at-error"' in past.content.decode()

    no_topic = c.post(reverse("web:event-create"), _form(parking, topics=[], format="on_site"))
    assert no_topic.status_code == 400
    assert "Bitte mindestens ein Handlungsfeld wählen." in no_topic.content.decode()

    no_place = c.post(reverse("web:event-create"), _form(parking, format="on_site", place=""))
    assert no_place.status_code == 400
    assert "Für eine Veranstaltung vor Ort bitte den Ort angeben." in no_place.content.decode()
    assert 'id="id_place-error"' in no_place.content.decode()
    assert not Event.objects.exists()


def test_planning_creates_the_event_and_asks_the_presenting_projects(client, coordinator, parking, project):
    response = _client(client, coordinator).post(
        reverse("web:event-create"), _form(parking, model_projects=[project.pk])
    )
    event = Event.objects.get()
    assert response.status_code == 303 and response["Location"] == reverse("web:event-detail", args=[event.pk])
    assert event.state == Event.State.PLANNED and event.capacity == 12
    assert list(event.topics.all()) == [parking]
    assert Presenter.objects.get(event=event).model_project == project
    assert OutboxMessage.objects.filter(template="event_presenter_request").count() == 1


@dataclass(frozen=True)
class FakeProject:
    id: int
    name: str


@dataclass(frozen=True)
class FakeGroup:
    key: str
    title: str
    topics: tuple
    enquiry_ids: tuple
    projects: tuple
    size: int


def test_a_radar_group_prefills_the_form_and_its_enquiries_are_attached(
    client, coordinator, parking, project, new_case, case_in_progress, monkeypatch
):
    """GIVEN a radar group of two enquiries on parking (a small fake of matching.radar) WHEN the coordinator
    opens the form with ?gruppe=<key> and sends it THEN title, field of action and project are filled in, and
    the event keeps the group's enquiries and key."""
    key = "mobilitaet:parkraum-sensor"
    group = FakeGroup(
        key=key,
        title="Parkraum mit Sensoren",
        topics=({"id": parking.pk, "slug": parking.slug, "name": parking.name},),
        enquiry_ids=(new_case.pk, case_in_progress.pk),
        projects=(FakeProject(id=project.pk, name=project.name),),
        size=2,
    )
    monkeypatch.setattr(
        "web.views.workspace_events.radar_group", lambda *, key, **_: group if key == group.key else None
    )

    c = _client(client, coordinator)
    page = c.get(reverse("web:event-create"), {"gruppe": key})
    text = page.content.decode()
    assert 'value="Parkraum mit Sensoren"' in text
    assert f'value="{parking.slug}"' in text and "checked" in text
    assert new_case.reference in text and case_in_progress.reference in text
    form = page.context["form"]
    assert form.initial["model_projects"] == [project.pk] and form.initial["radar_key"] == key

    data = _form(parking, title="Parkraum mit Sensoren", radar_key=key)
    data["enquiries"] = [new_case.pk, case_in_progress.pk]
    assert c.post(reverse("web:event-create"), data).status_code == 303
    event = Event.objects.get()
    assert event.radar_key == key
    assert set(event.enquiries.values_list("pk", flat=True)) == {new_case.pk, case_in_progress.pk}

    missing = c.get(reverse("web:event-create"), {"gruppe": "gibt-es-nicht"})
    assert missing.status_code == 200 and "nicht gefunden" in missing.content.decode()


def test_transitions_take_the_state_the_page_showed_and_a_stale_one_is_a_409(client, coordinator, parking):
    event = b.event_created(by=coordinator, topics=[parking], opened=False)
    c = _client(client, coordinator)
    page = c.get(reverse("web:event-detail", args=[event.pk])).content.decode()
    assert "Anmeldung öffnen" in page and "Veranstaltung absagen" in page and "Grund" in page
    url = reverse("web:event-transition", args=[event.pk, "open_registration"])
    assert c.post(url, {"expected_state": "planned"}).status_code == 303
    event.refresh_from_db()
    assert event.state == Event.State.OPEN
    stale = c.post(reverse("web:event-transition", args=[event.pk, "hold"]), {"expected_state": "planned"})
    assert stale.status_code == 409 and "inzwischen geändert" in stale.content.decode()
    too_early = c.post(reverse("web:event-transition", args=[event.pk, "hold"]), {"expected_state": "open"})
    assert too_early.status_code == 400 and "noch nicht begonnen" in too_early.content.decode()
    no_reason = c.post(reverse("web:event-transition", args=[event.pk, "cancel"]), {"expected_state": "open"})
    assert no_reason.status_code == 400 and 'id="cancel-reason-error"' in no_reason.content.decode()
    event.refresh_from_db()
    assert event.state == Event.State.OPEN
    assert c.post(reverse("web:event-transition", args=[event.pk, "fill"]), {}).status_code == 404
    cancelled = c.post(
        reverse("web:event-transition", args=[event.pk, "cancel"]), {"expected_state": "open", "reason": "krank"}
    )
    assert cancelled.status_code == 303
    event.refresh_from_db()
    assert event.state == Event.State.CANCELLED and event.cancel_reason == "krank"


def test_partner_staff_see_their_events_read_only_and_others_get_a_404(
    client, coordinator, partner_user, other_partner_user, parking, case_in_progress
):
    event = b.event_created(by=coordinator, topics=[parking])
    invitations_send(event=event, enquiries=[case_in_progress], by=coordinator)
    page = _client(client, partner_user).get(reverse("web:event-detail", args=[event.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Kempten" in text
    assert "Einladungen senden" not in text and "Veranstaltung absagen" not in text
    refused = _client(client, partner_user).post(
        reverse("web:event-transition", args=[event.pk, "cancel"]), {"reason": "x"}
    )
    assert refused.status_code == 403
    assert _client(client, other_partner_user).get(reverse("web:event-detail", args=[event.pk])).status_code == 404
    assert _client(client, coordinator).get(reverse("web:event-detail", args=[event.pk + 99])).status_code == 404


def test_the_coordinator_invites_the_groups_enquiries_first_and_each_address_once(
    client, coordinator, parking, new_case, case_in_progress
):
    event = b.event_created(by=coordinator, topics=[parking], enquiries=[case_in_progress])
    c = _client(client, coordinator)
    page = c.get(reverse("web:event-detail", args=[event.pk]))
    candidates = page.context["candidates"]
    assert candidates[0] == case_in_progress and new_case in candidates
    assert f'value="{case_in_progress.pk}" id="invite-{case_in_progress.pk}" checked' in page.content.decode()
    response = c.post(reverse("web:event-invite", args=[event.pk]), {"enquiries": [case_in_progress.pk, new_case.pk]})
    assert response.status_code == 303
    assert Invitation.objects.filter(event=event).count() == 2
    assert OutboxMessage.objects.filter(template="event_invitation").count() == 2
    table = c.get(reverse("web:event-detail", args=[event.pk])).content.decode()
    assert "verkehr@kempten.example" in table and "eingeladen" in table
    assert c.post(reverse("web:event-invite", args=[event.pk]), {"enquiries": []}).status_code == 400
    assert c.post(reverse("web:event-invite", args=[event.pk]), {"enquiries": ["x"]}).status_code == 400
    assert Invitation.objects.filter(event=event).count() == 2


def test_after_the_event_attendance_is_recorded_and_the_partner_resolves_the_case_with_exchange_held(
    client, coordinator, partner_user, parking, case_in_progress, new_case
):
    """GIVEN a held event that two municipalities registered for (one case in progress at the partner) WHEN
    the coordinator records that both came THEN she has no resolve button (the partner resolves); WHEN the
    partner resolves all THEN the case in progress is resolved with exchange_held, the other is not offered."""
    event = b.event_created(by=coordinator, topics=[parking])
    invitations_send(event=event, enquiries=[case_in_progress, new_case], by=coordinator)
    for invitation in Invitation.objects.filter(event=event):
        registration_answer(token=invitation.token, register=True)
    event = _held(event)
    c = _client(client, coordinator)
    assert (
        c.post(reverse("web:event-transition", args=[event.pk, "hold"]), {"expected_state": "open"}).status_code == 303
    )
    ids = list(Invitation.objects.filter(event=event).values_list("pk", flat=True))
    page = c.get(reverse("web:event-detail", args=[event.pk])).content.decode()
    assert "teilgenommen: Kempten (Allgäu)" in page and "Teilnahme speichern" in page
    unknown = c.post(reverse("web:event-attendance", args=[event.pk]), {"attended": [max(ids) + 1]})
    assert unknown.status_code == 400 and "Unbekannte Einladung" in unknown.content.decode()
    assert not Invitation.objects.filter(event=event, attended__isnull=False).exists()
    assert c.post(reverse("web:event-attendance", args=[event.pk]), {"attended": ids}).status_code == 303
    assert Invitation.objects.filter(event=event, attended=True).count() == 2
    page = c.get(reverse("web:event-detail", args=[event.pk])).content.decode()
    assert "Als „Austausch fand statt“ lösen" not in page

    p = _client(client, partner_user)
    page = p.get(reverse("web:event-detail", args=[event.pk])).content.decode()
    assert "Als „Austausch fand statt“ lösen" in page and "Köln" not in page
    response = p.post(reverse("web:event-resolve", args=[event.pk]), {"invitation": "all"}, follow=True)
    assert "1 Fall mit „Austausch fand statt“ gelöst." in response.content.decode()
    case_in_progress.refresh_from_db()
    assert case_in_progress.state == State.RESOLVED
    assert Outcome.objects.get(enquiry=case_in_progress).category == OutcomeCategory.EXCHANGE_HELD
    again = p.post(reverse("web:event-resolve", args=[event.pk]), {"invitation": str(ids[0])})
    assert again.status_code == 409 and "schon gelöst" in again.content.decode()
    log = p.get(reverse("web:event-detail", args=[event.pk])).content.decode()
    assert "Fall gelöst" in log and "Verlauf" in log


def test_the_edit_page_changes_only_what_was_changed(client, coordinator, parking):
    event = b.event_created(by=coordinator, topics=[parking], title="Alt")
    c = _client(client, coordinator)
    page = c.get(reverse("web:event-edit", args=[event.pk]))
    assert page.status_code == 200 and 'value="Alt"' in page.content.decode()
    data = {k: v for k, v in page.context["form"].initial.items()}
    data.update(
        title="Neu",
        topics=[parking.slug],
        starts_at=data["starts_at"].strftime(LOCAL),
        ends_at=data["ends_at"].strftime(LOCAL),
        registration_deadline=data["registration_deadline"].strftime(LOCAL),
    )
    assert c.post(reverse("web:event-edit", args=[event.pk]), data).status_code == 303
    event.refresh_from_db()
    assert event.title == "Neu" and event.log.filter(action="update", comment="title").exists()
    data["capacity"] = "0"
    assert c.post(reverse("web:event-edit", args=[event.pk]), data).status_code == 400

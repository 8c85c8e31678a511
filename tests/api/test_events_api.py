"""/api/v1/events/ and /api/v1/public/registrations/: the staff API of the transfer workshops (rights, scoping,
pages, bad input) and the municipality's registration by its personal link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import OutcomeCategory, State
from events.models import Event, EventLog, Invitation
from events.registrations import invitations_send, registration_answer
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db


def _body(topic, **changes):
    starts = timezone.now() + timedelta(days=20)
    body = {
        "title": "Transferworkshop Radverkehr",
        "topics": [topic.slug],
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 12,
    }
    return {**body, **changes}


@pytest.fixture
def event(coordinator, topic):
    deadline = timezone.now() + timedelta(days=7)
    return b.event_created(by=coordinator, topics=[topic], capacity=1, registration_deadline=deadline)


@pytest.fixture
def invited(event, coordinator, make_case):
    """Two invitations: one of a case of the partner (DIFU), one of another partner's case."""
    ours = make_case("in_progress", subject="Radwege")
    theirs = make_case("in_progress", for_partner=f.PartnerFactory(short_name="IESE"), subject="Radnetz")
    invitations_send(event=event, enquiries=[ours, theirs], by=coordinator)
    return Invitation.objects.get(enquiry=ours), Invitation.objects.get(enquiry=theirs)


# --- rights and scoping ------------------------------------------------------------------------------------------


def test_anonymous_callers_get_401_and_partner_staff_see_only_events_their_cases_were_invited_to(
    anon_client, partner_client, manager_client, coordinator, topic, event, invited
):
    other = b.event_created(by=coordinator, topics=[topic], title="Ohne DIFU")

    assert anon_client.get("/api/v1/events/").status_code == 401
    assert anon_client.get(f"/api/v1/events/{event.pk}/").status_code == 401
    seen = [row["id"] for row in partner_client.get("/api/v1/events/").json()["results"]]
    assert seen == [event.pk]
    assert partner_client.get(f"/api/v1/events/{other.pk}/").status_code == 404
    assert partner_client.get(f"/api/v1/events/{other.pk}/invitations/").status_code == 404
    assert {row["id"] for row in manager_client.get("/api/v1/events/").json()["results"]} == {event.pk, other.pk}


def test_partner_staff_read_only_their_partners_invitations_and_log_entries(partner_client, event, invited):
    ours, _theirs = invited

    invitations = partner_client.get(f"/api/v1/events/{event.pk}/invitations/").json()["results"]
    log = partner_client.get(f"/api/v1/events/{event.pk}/log/").json()["results"]

    assert [row["id"] for row in invitations] == [ours.pk]
    assert "token" not in invitations[0]
    assert {row["invitation"] for row in log} == {None, ours.pk}


def test_commands_are_for_coordinators_partner_and_manager_staff_get_403_and_nothing_changes(
    partner_client, manager_client, topic, event, invited
):
    for client in (partner_client, manager_client):
        assert client.post("/api/v1/events/", _body(topic), format="json").status_code == 403
        assert client.patch(f"/api/v1/events/{event.pk}/", {"title": "Neu"}, format="json").status_code == 403
        hold = client.post(f"/api/v1/events/{event.pk}/transitions/cancel/", {"reason": "x"}, format="json")
        assert hold.status_code == 403
        assert (
            client.post(f"/api/v1/events/{event.pk}/invitations/", {"enquiries": []}, format="json").status_code == 403
        )
        assert client.get(f"/api/v1/events/{event.pk}/candidates/").status_code == 403
        assert client.post(f"/api/v1/events/{event.pk}/attendance/", {"attended": []}, format="json").status_code == 403
    event.refresh_from_db()
    assert (event.state, event.title, Event.objects.count()) == (
        Event.State.OPEN,
        "Transferworkshop Parkraumsensorik",
        1,
    )
    assert partner_client.get(f"/api/v1/events/{event.pk}/transitions/").json() == []


# --- create, change, transitions ---------------------------------------------------------------------------------


def test_a_coordinator_plans_an_event_and_gets_it_back_with_201(coordinator_client, topic):
    response = coordinator_client.post("/api/v1/events/", _body(topic), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["topics"], body["capacity"], body["registered_count"]) == (
        "planned",
        ["mobilitaet"],
        12,
        0,
    )
    assert body["registration_deadline"] == body["starts_at"]
    assert coordinator_client.get(f"/api/v1/events/{body['id']}/").json()["title"] == "Transferworkshop Radverkehr"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topics": []}, "topics"),
        ({"topics": ["gibt-es-nicht"]}, "topics"),
        ({"capacity": 0}, "capacity"),
        ({"starts_at": "morgen"}, "starts_at"),
        ({"format": "on_site", "place": ""}, "place"),
        ({"starts_at": "2020-01-01T10:00:00+01:00", "ends_at": "2020-01-01T12:00:00+01:00"}, "starts_at"),
    ],
)
def test_a_bad_event_is_a_400_naming_the_field_and_nothing_is_stored(coordinator_client, topic, changes, field):
    response = coordinator_client.post("/api/v1/events/", _body(topic, **changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Event.objects.exists()


def test_patch_changes_the_details_and_refuses_a_capacity_below_the_seats_taken(coordinator_client, event, invited):
    registration_answer(token=invited[0].token, register=True)

    renamed = coordinator_client.patch(f"/api/v1/events/{event.pk}/", {"title": "Radverkehr kompakt"}, format="json")
    smaller = coordinator_client.patch(f"/api/v1/events/{event.pk}/", {"capacity": 0}, format="json")

    assert renamed.status_code == 200 and renamed.json()["title"] == "Radverkehr kompakt"
    assert smaller.status_code == 400 and "capacity" in smaller.json()
    assert coordinator_client.patch("/api/v1/events/999999/", {"title": "x"}, format="json").status_code == 404


def test_the_transitions_list_and_the_commands_with_expected_state(coordinator_client, coordinator, topic):
    """GIVEN a planned event WHEN the coordinator opens it with the state she saw, then tries again with the
    old state THEN 200, then 409; holding before the start is a 400; an unknown name 404."""
    event = b.event_created(by=coordinator, topics=[topic], opened=False)
    url = f"/api/v1/events/{event.pk}/transitions/"

    available = coordinator_client.get(url).json()
    opened = coordinator_client.post(f"{url}open_registration/", {"expected_state": "planned"}, format="json")
    stale = coordinator_client.post(f"{url}cancel/", {"expected_state": "planned", "reason": "x"}, format="json")
    early = coordinator_client.post(f"{url}hold/", {}, format="json")
    again = coordinator_client.post(f"{url}open_registration/", {}, format="json")

    assert [t["name"] for t in available] == ["open_registration", "cancel"]
    assert set(available[0]) == {"name", "label", "target"}
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert stale.status_code == 409
    assert early.status_code == 400 and early.json()["field"] == "state"
    assert again.status_code == 400
    assert coordinator_client.post(f"{url}fill/", {}, format="json").status_code == 404
    assert coordinator_client.post(f"{url}explode/", {}, format="json").status_code == 404
    bad = coordinator_client.post(f"{url}cancel/", {"expected_state": "gibt-es-nicht", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "expected_state" in bad.json()
    assert coordinator_client.post(f"{url}cancel/", {}, format="json").json().keys() >= {"reason"}
    event.refresh_from_db()
    assert event.state == Event.State.OPEN
    assert list(EventLog.objects.filter(event=event).values_list("action", flat=True)) == [
        "create",
        "open_registration",
    ]


def test_a_cancel_with_its_reason_closes_the_event(coordinator_client, event):
    response = coordinator_client.post(
        f"/api/v1/events/{event.pk}/transitions/cancel/", {"reason": "Referentin erkrankt"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["cancel_reason"]) == ("cancelled", "Referentin erkrankt")


# --- lists -------------------------------------------------------------------------------------------------------


def test_the_list_pages_and_filters_by_state(coordinator_client, coordinator, topic):
    for n in range(3):
        b.event_created(by=coordinator, topics=[topic], title=f"Workshop {n}", opened=n != 0)

    first = coordinator_client.get("/api/v1/events/", {"page_size": 2}).json()
    second = coordinator_client.get(first["next"]).json()
    planned = coordinator_client.get("/api/v1/events/", {"state": "planned"}).json()
    bad = coordinator_client.get("/api/v1/events/", {"state": "irgendwas"})

    assert (first["count"], len(first["results"]), len(second["results"])) == (3, 2, 1)
    assert [row["title"] for row in planned["results"]] == ["Workshop 0"]
    assert bad.status_code == 400 and bad.json()["field"] == "state"


def test_invitations_by_the_api_report_who_was_invited_and_who_skipped(coordinator_client, event, make_case):
    case = make_case("new")
    url = f"/api/v1/events/{event.pk}/invitations/"

    candidates = coordinator_client.get(f"/api/v1/events/{event.pk}/candidates/").json()["results"]
    first = coordinator_client.post(url, {"enquiries": [case.pk]}, format="json").json()
    second = coordinator_client.post(url, {"enquiries": [case.pk]}, format="json").json()
    unknown = coordinator_client.post(url, {"enquiries": [999999]}, format="json")

    assert case.pk in [row["id"] for row in candidates]
    assert [row["enquiry"] for row in first["invited"]] == [case.pk] and first["skipped"] == []
    assert second["invited"] == [] and second["skipped"][0]["enquiry"] == case.pk
    assert unknown.status_code == 400 and "enquiries" in unknown.json()
    assert Invitation.objects.filter(event=event).count() == 1


def test_after_the_event_attendance_and_the_resolved_cases(coordinator_client, partner_client, event, invited):
    """GIVEN a registered municipality of the partner WHEN the event was held, she came, and the partner's
    staff resolve the cases THEN her case is resolved with exchange_held; the other partner's invitation is
    not the partner's to resolve and is skipped as not found."""
    ours, theirs = invited
    registration_answer(token=ours.token, register=True)
    with time_machine.travel(event.starts_at + timedelta(hours=3)):
        held = coordinator_client.post(f"/api/v1/events/{event.pk}/transitions/hold/", {}, format="json")
        unknown = coordinator_client.post(
            f"/api/v1/events/{event.pk}/attendance/", {"attended": [999999]}, format="json"
        )
        came = coordinator_client.post(f"/api/v1/events/{event.pk}/attendance/", {"attended": [ours.pk]}, format="json")
        resolved = partner_client.post(
            f"/api/v1/events/{event.pk}/resolve-cases/", {"invitations": [ours.pk, theirs.pk]}, format="json"
        )

    assert held.status_code == 200 and held.json()["state"] == "held"
    assert unknown.status_code == 400 and unknown.json()["field"] == "attended"
    assert came.json() == {"attended": 1}
    assert resolved.status_code == 200
    assert resolved.json()["resolved"] == [ours.pk]
    assert [row["invitation"] for row in resolved.json()["skipped"]] == [theirs.pk]
    ours.enquiry.refresh_from_db()
    assert ours.enquiry.state == State.RESOLVED and ours.enquiry.outcome.category == OutcomeCategory.EXCHANGE_HELD


# --- the municipality's registration -----------------------------------------------------------------------------


def test_the_public_registration_shows_the_event_and_registers_once(anon_client, event, invited):
    ours, _theirs = invited
    url = f"/api/v1/public/registrations/{ours.token}/"

    before = anon_client.get(url).json()
    registered = anon_client.post(url, {"register": True, "note": "Wir kommen zu zweit."}, format="json")
    twice = anon_client.post(url, {"register": True}, format="json")

    assert (before["state"], before["can_answer"], before["event"]["online_url"]) == ("invited", True, "")
    assert registered.status_code == 200 and registered.json()["state"] == "registered"
    assert twice.status_code == 409
    assert OutboxMessage.objects.filter(template="event_registered").count() == 1
    assert EventLog.objects.filter(invitation=ours, action="register").count() == 1


def test_the_second_registration_for_the_last_seat_waits(anon_client, event, invited):
    ours, theirs = invited
    anon_client.post(f"/api/v1/public/registrations/{ours.token}/", {"register": True}, format="json")

    waiting = anon_client.post(f"/api/v1/public/registrations/{theirs.token}/", {"register": True}, format="json")

    assert waiting.json()["state"] == "waitlisted"
    event.refresh_from_db()
    assert event.state == Event.State.FULL


def test_the_public_registration_refuses_bad_input_late_answers_cancelled_events_and_unknown_tokens(
    anon_client, coordinator_client, event, invited
):
    ours, _theirs = invited
    url = f"/api/v1/public/registrations/{ours.token}/"

    no_answer = anon_client.post(url, {"note": "?"}, format="json")
    unknown = anon_client.post(f"/api/v1/public/registrations/{'x' * 32}/", {"register": True}, format="json")
    with time_machine.travel(event.registration_deadline + timedelta(minutes=1)):
        late = anon_client.post(url, {"register": True}, format="json")
    coordinator_client.post(f"/api/v1/events/{event.pk}/transitions/cancel/", {"reason": "abgesagt"}, format="json")
    cancelled = anon_client.post(url, {"register": True}, format="json")
    shown = anon_client.get(url).json()

    assert no_answer.status_code == 400 and "register" in no_answer.json()
    assert (
        unknown.status_code == 404 and anon_client.get(f"/api/v1/public/registrations/{'x' * 32}/").status_code == 404
    )
    assert late.status_code == 400 and late.json()["field"] == "registration_deadline"
    assert cancelled.status_code == 400 and cancelled.json()["field"] == "state"
    assert (shown["can_answer"], shown["event"]["state"]) == (False, "cancelled") and shown["refusal"]
    ours.refresh_from_db()
    assert ours.state == Invitation.State.INVITED and ours.answered_at is None


def test_the_schema_documents_the_event_routes(anon_client):
    schema = anon_client.get("/api/schema/", {"format": "json"}).json()

    assert {
        "/api/v1/events/",
        "/api/v1/events/{id}/",
        "/api/v1/events/{id}/transitions/cancel/",
        "/api/v1/events/{id}/resolve-cases/",
        "/api/v1/public/registrations/{token}/",
    } <= set(schema["paths"])
    cancel = schema["paths"]["/api/v1/events/{id}/transitions/cancel/"]["post"]
    body = schema["components"]["schemas"][
        cancel["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    ]
    assert set(body["properties"]) == {"reason", "expected_state"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/events/", ["keine", "Liste"]),
        ("patch", "/api/v1/events/{id}/", {"capacity": "viele"}),
        ("patch", "/api/v1/events/{id}/", {"starts_at": "2020-01-01T10:00:00+01:00"}),
        ("post", "/api/v1/events/{id}/transitions/open_registration/", ["x"]),
        ("post", "/api/v1/events/{id}/transitions/cancel/", {"reason": "x" * 2_001}),
        ("post", "/api/v1/events/{id}/invitations/", {"enquiries": "alle"}),
        ("post", "/api/v1/events/{id}/invitations/", {"enquiries": []}),
        ("post", "/api/v1/events/{id}/attendance/", {"attended": ["a"]}),
        ("post", "/api/v1/events/{id}/resolve-cases/", {"invitations": [0]}),
    ],
)
def test_bad_bodies_are_400_and_change_nothing(coordinator_client, event, method, path, body):
    before = EventLog.objects.count()

    response = getattr(coordinator_client, method)(path.format(id=event.pk), body, format="json")

    assert response.status_code == 400, response.content
    assert EventLog.objects.count() == before


def test_unknown_or_huge_ids_and_odd_tokens_are_404(coordinator_client, anon_client):
    assert coordinator_client.get("/api/v1/events/99999999999999999999/").status_code == 404
    assert coordinator_client.get("/api/v1/events/0/log/").status_code == 404
    for token in ("kurz", "x" * 65, "%00" * 20):
        assert anon_client.get(f"/api/v1/public/registrations/{token}/").status_code == 404


def test_a_note_that_is_too_long_is_a_400_naming_it(anon_client, invited):
    ours, _theirs = invited

    response = anon_client.post(
        f"/api/v1/public/registrations/{ours.token}/", {"register": True, "note": "x" * 2_001}, format="json"
    )

    assert response.status_code == 400 and "note" in response.json()
    ours.refresh_from_db()
    assert ours.state == Invitation.State.INVITED


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_page_size(
    coordinator_client, coordinator, topic, django_assert_max_num_queries
):
    b.event_created(by=coordinator, topics=[topic], title="Erste")
    coordinator_client.get("/api/v1/events/")
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get("/api/v1/events/")
    for n in range(5):
        b.event_created(by=coordinator, topics=[topic], title=f"Weitere {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(coordinator_client.get("/api/v1/events/").json()["results"]) == 6


def test_the_registration_link_is_throttled_like_the_other_token_endpoints(anon_client, invited, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    url = f"/api/v1/public/registrations/{invited[0].token}/"

    codes = [anon_client.get(url).status_code for _ in range(3)]

    assert codes == [200, 200, 429]

"""The calendar file (iCalendar, RFC 5545, written with the ``icalendar`` package) sent with a registration's
confirmation and reminder, and the cancellation sent when the event is called off. The UID is the event's,
so that a calendar replaces the entry on a change and removes it on the cancellation."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from events.models import Event

PRODID = "-//Koordinierungs- und Transferstelle Modellprojekte Smart Cities//Transferstelle CRM//DE"


def _uid(event: Event) -> str:
    host = settings.KTS_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "kts.invalid"
    return f"kts-event-{event.pk}@{host}"


def event_calendar(*, event: Event, cancelled: bool = False) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    entry = VEvent()
    entry.add("uid", _uid(event))
    entry.add("dtstamp", timezone.now().astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    description = event.description
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
        entry.add("url", event.online_url)
    if description:
        entry.add("description", description)
    if event.format == Event.Format.ON_SITE and event.place:
        entry.add("location", event.place)
    elif event.online_url:
        entry.add("location", event.online_url)
    # a later version of the same entry replaces the earlier one in the recipient's calendar
    entry.add("sequence", int(event.updated_at.timestamp()) if event.updated_at else 0)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")


def event_calendar_attachment(*, event: Event, cancelled: bool = False) -> dict[str, str]:
    """The file as the outbox attaches it."""
    method = "CANCEL" if cancelled else "PUBLISH"
    return {
        "filename": "veranstaltung.ics",
        "content_type": f"text/calendar; charset=utf-8; method={method}",
        "content": event_calendar(event=event, cancelled=cancelled),
    }

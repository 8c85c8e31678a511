"""The events' block of the summary (issue 15): transfer workshops held, municipalities reached through them,
and the enquiries an event answered. Three counts computed in the database in one query; it travels in the summary's
first batch (``stats.batch``), so the summary keeps its round trips.

Which filters apply:

- ``held``: events in the state held whose start lies in the period (``from``/``to`` read as the event's
  start date), on the ``topic`` if one is given (one of the event's fields of action).
- ``municipalities_reached``: distinct municipalities with an attended invitation to an event starting in
  the period (on the ``topic``), narrowed by ``bundesland`` and ``size_class`` (the municipality's).
- ``enquiries_answered``: of the enquiries the rest of the summary counts (received in the period, every
  filter applied, the partner's own for partner staff), those with an invitation that was attended or
  whose case was resolved because of the event (``resolved_at``); ``share_answered`` is their share of the
  enquiries received.

``partner``, ``model_project``, ``channel`` and ``funded`` describe enquiries, not events: they narrow
``enquiries_answered`` only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from catalogue.models import Municipality
from events.models import Event, Invitation
from stats.batch import Part, one_row, part_raw
from stats.filters import StatsFilters


def _events_in_period(filters: StatsFilters, *, prefix: str = "", ref: str = "pk") -> Q:
    """Events starting in the period (on the topic), reached through ``prefix``; ``ref`` names the event id."""
    q = Q(**{f"{prefix}starts_at__gte": filters.start, f"{prefix}starts_at__lt": filters.end})
    if filters.topic is not None:
        # EXISTS, not a join: an event on several topics would count once per topic
        on_topic = Event.topics.through.objects.filter(event_id=OuterRef(ref), topic_id=filters.topic.pk)
        q &= Q(Exists(on_topic))
    return q


def event_figure_part(*, filters: StatsFilters, rows: QuerySet) -> Part:
    """One query of three counts: events held, municipalities reached, enquiries answered (of ``rows``, the
    summary's filtered statistics rows). One statement, so that SQLite (no batch) pays one query, not three."""
    held = Event.objects.filter(_events_in_period(filters), state=Event.State.HELD)
    attended = Invitation.objects.filter(
        _events_in_period(filters, prefix="event__", ref="event_id"), municipality=OuterRef("pk"), attended=True
    )
    reached = Municipality.objects.filter(Exists(attended))
    if filters.bundesland:
        reached = reached.filter(bundesland=filters.bundesland)
    if filters.size_class:
        reached = reached.filter(size_class=filters.size_class)
    by_event = Invitation.objects.filter(Q(attended=True) | Q(resolved_at__isnull=False), enquiry_id=OuterRef("pk"))
    answered = rows.filter(Exists(by_event))
    counts = [one_row(qs, n=Count("pk")).query.sql_with_params() for qs in (held, reached, answered)]
    return part_raw(
        # three scalar subqueries, each the SQL Django wrote for its count
        "SELECT " + ", ".join(f"({sql})" for sql, _params in counts),
        [param for _sql, params in counts for param in params],
        ["held", "municipalities_reached", "enquiries_answered"],
    )


def event_figures(rows: list[dict[str, Any]], *, received: int) -> dict[str, Any]:
    """The block from the row of ``event_figure_part``."""
    row = rows[0]
    n = row["enquiries_answered"]
    return {
        "held": row["held"],
        "municipalities_reached": row["municipalities_reached"],
        "enquiries_answered": n,
        "share_answered": round(n / received, 4) if received else None,
    }

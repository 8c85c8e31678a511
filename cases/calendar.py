"""Working days: Monday to Friday without the public holidays of the Bundesland (``holidays`` package).

Deadlines (SPEC section 3) count working days of the enquirer's Bundesland: Epiphany counts in Bavaria,
not in Berlin; Reformation Day in Saxony, not in Bavaria.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

GERMAN_LAENDER = frozenset(holidays.Germany.subdivisions) - {"Augsburg"}


@lru_cache(maxsize=64)
def _holidays(bundesland: str, year: int) -> frozenset[date]:
    subdiv = bundesland if bundesland in GERMAN_LAENDER else None
    return frozenset(holidays.country_holidays("DE", subdiv=subdiv, years=year).keys())


def is_working_day(day: date, *, bundesland: str = "") -> bool:
    return day.weekday() < 5 and day not in _holidays(bundesland, day.year)


def add_working_days(start: datetime, days: int, *, bundesland: str = "") -> datetime:
    """The same local wall time on the ``days``-th working day after ``start``'s date.

    Saturday 10:00 plus 2 working days is Tuesday 10:00 (Monday is the first); in Bavaria Thursday 30 April
    plus 2 is Monday 4 May (1 May is a holiday).
    """
    local = timezone.localtime(start)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, bundesland=bundesland):
            remaining -= 1
    naive = datetime.combine(day, local.time().replace(tzinfo=None))
    return timezone.make_aware(naive, timezone.get_current_timezone())

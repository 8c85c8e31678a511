"""Checks of free text that every door shares (submission, transition bodies): a string, no NUL byte,
trimmed, required or not, bounded. A failure is a GuardFailed naming the field (400)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.errors import GuardFailed
from core.text import invisible_strip


def text_clean(value: Any, *, field: str, required: bool, max_length: int, required_message: Promise | str = "") -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise GuardFailed(_("Bitte einen Text angeben."), field=field)
    if "\x00" in value:
        raise GuardFailed(_("Der Text enthält ein unzulässiges Zeichen (NUL)."), field=field)
    value = invisible_strip(value)
    if required and not value:
        raise GuardFailed(required_message or _("Dieses Feld ist erforderlich."), field=field)
    if len(value) > max_length:
        raise GuardFailed(_("Höchstens %(n)d Zeichen.") % {"n": max_length}, field=field)
    return value


# Dates the product reads: the ends of the calendar (0001-01-01, 9999-12-31) overflow in period arithmetic and
# time-zone conversion; no enquiry, statistic or deadline lies outside these years.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)


def date_bounded(value: dt.date, *, field: str) -> dt.date:
    """``value`` if it lies between DATE_MIN and DATE_MAX, else a GuardFailed naming ``field``."""
    if not DATE_MIN <= value <= DATE_MAX:
        raise GuardFailed(
            _("Bitte ein Datum zwischen %(first)s und %(last)s angeben.")
            % {"first": DATE_MIN.isoformat(), "last": DATE_MAX.isoformat()},
            field=field,
        )
    return value


def ascii_digits(text: str) -> bool:
    """Only the digits 0-9. Python's ``isdigit()`` is also true for "²" and "①", and ``int()`` reads the
    Arabic-Indic "٢" as 2: an id, a page number or an official key written with those is a bad value."""
    return text.isascii() and text.isdigit()


def id_clean(value: Any, *, field: str, message: Promise | str) -> int:
    """A database id given as a number or a string of digits; anything else (true, 1.5, "1e9", an id beyond
    64 bits) is the field's error, before it reaches the database."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise GuardFailed(message, field=field)
    text = str(value).strip()
    if not ascii_digits(text) or not 0 < int(text) < 2**63:
        raise GuardFailed(message, field=field)
    return int(text)

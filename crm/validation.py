"""Checks of free text that every door shares (submission, transition bodies): a string, no NUL byte,
trimmed, required or not, bounded. A failure is a GuardFailed naming the field (400)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from crm.errors import GuardFailed


def text_clean(value: Any, *, field: str, required: bool, max_length: int, required_message: Promise | str = "") -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise GuardFailed(_("Bitte einen Text angeben."), field=field)
    if "\x00" in value:
        raise GuardFailed(_("Der Text enthält ein unzulässiges Zeichen (NUL)."), field=field)
    value = value.strip()
    if required and not value:
        raise GuardFailed(required_message or _("Dieses Feld ist erforderlich."), field=field)
    if len(value) > max_length:
        raise GuardFailed(_("Höchstens %(n)d Zeichen.") % {"n": max_length}, field=field)
    return value

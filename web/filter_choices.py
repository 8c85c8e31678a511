"""The choices the case list's filters offer (``/intern/faelle/``): topics, consortium partners and partner staff,
kept in per-process memory.

Every list page offers them; they change only in the back office or through an import. Not in memory, they are
read in one query (a UNION of the three). A save or delete of a topic, partner, user or membership in this
process, or a change of a user's groups, empties the memory (signals, connected in ``WebConfig.ready``); what
another process changed (or a ``QuerySet.update``) is offered within ``CHOICES_TTL``, as the submission's
lookups (``catalogue.lookups``) do.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim

from catalogue.models import ConsortiumPartner, Topic

CHOICES_TTL = 60.0
Offered = dict[str, list[tuple[str, str]]]
# the partner whose staff the choices are for (None: a coordinator's or manager's) -> (read at, choices)
_memory: dict[int | None, tuple[float, Offered]] = {}


def filter_choices_forget(**_kwargs: Any) -> None:
    """Empty the memory (a signal receiver; tests call it too)."""
    _memory.clear()


def filter_choices_forget_user(update_fields: Any = None, **kwargs: Any) -> None:
    """A user saved: forget, unless only the time of the last login changed (every sign-in saves it)."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    filter_choices_forget()


def filter_choices(*, own: ConsortiumPartner | None) -> Offered:
    """``{"topic": [...], "partner": [...], "assignee": [...]}``, each a list of (value, label); see
    ``_filter_choices_read``."""
    key = own.pk if own is not None else None
    now = time.monotonic()
    found = _memory.get(key)
    if found is not None and now - found[0] < CHOICES_TTL:
        return found[1]
    offered = _filter_choices_read(own=own)
    _memory[key] = (now, offered)
    return offered


def _filter_choices_read(*, own: ConsortiumPartner | None) -> dict[str, list[tuple[str, str]]]:
    """The topics (by name), the partners (by name; for a partner's staff their own only) and
    the active partner staff (by login; of ``own`` only, when given) the filters offer: one query, a UNION of
    the three, instead of one round trip each. An assignee is named as ``AbstractUser.get_full_name()`` spells
    it, else by the login."""
    topics = Topic.objects.order_by().values(
        choice_kind=Value("topic"), choice_key=F("slug"), choice_label=F("name_de"), choice_order=F("name_de")
    )
    staff = get_user_model().objects.filter(is_active=True, groups__name="partner")
    if own is not None:
        staff = staff.filter(membership__partner=own)
    full_name = NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value(""))
    staff = staff.order_by().values(
        choice_kind=Value("assignee"),
        choice_key=Cast("pk", CharField()),
        choice_label=Coalesce(full_name, "username"),
        choice_order=F("username"),
    )
    # a partner's staff filter by their own partner only
    partners = ConsortiumPartner.objects.filter(pk=own.pk) if own is not None else ConsortiumPartner.objects.all()
    parts = [
        staff,
        partners.order_by().values(
            choice_kind=Value("partner"),
            choice_key=Cast("pk", CharField()),
            choice_label=F("name"),
            choice_order=F("name"),
        ),
    ]
    offered: dict[str, list[tuple[str, str]]] = {"topic": [], "partner": [], "assignee": []}
    for row in topics.union(*parts).order_by("choice_kind", "choice_order"):
        offered[row["choice_kind"]].append((row["choice_key"], row["choice_label"]))
    return offered

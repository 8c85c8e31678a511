"""Reading enquiries: what a user may see, which transitions they may take now, the timeline."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cases import rules
from cases.models import Activity, Enquiry, State, TransitionLog
from cases.search import enquiries_matching
from cases.transitions import TRANSITIONS, transition_may
from catalogue.models import ConsortiumPartner, Municipality, Topic
from core.errors import GuardFailed, NotVisible
from core.geo import BUNDESLAENDER
from core.roles import is_coordinator, is_manager, is_partner_staff, partner_of
from core.tokens import token_shaped
from core.validation import date_bounded


def enquiries_visible_to(*, user: Any) -> QuerySet[Enquiry]:
    """Coordinators and managers see every case; partner staff their partner's cases; everybody else none."""
    if is_coordinator(user) or is_manager(user):
        return Enquiry.objects.all()
    if is_partner_staff(user):
        return Enquiry.objects.filter(assigned_partner=partner_of(user))
    return Enquiry.objects.none()


def enquiry_get_visible(*, user: Any, pk: Any) -> Enquiry:
    """The enquiry if this user may see it; else NotVisible (404, no hint whether it exists)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotVisible(_("Anfrage nicht gefunden.")) from exc
    enquiry = enquiries_visible_to(user=user).filter(pk=pk).select_related("municipality", "assigned_partner").first()
    if enquiry is None:
        raise NotVisible(_("Anfrage nicht gefunden."))
    return enquiry


def enquiry_get_by_token(*, token: Any) -> Enquiry:
    """The enquiry of a public token; NotVisible for anything else."""
    if not token_shaped(token):
        raise NotVisible(_("Anfrage nicht gefunden."))
    enquiry = Enquiry.objects.filter(public_token=token).select_related("municipality").first()
    if enquiry is None:
        raise NotVisible(_("Anfrage nicht gefunden."))
    return enquiry


def enquiry_transitions_available(*, enquiry: Enquiry, user: Any, actor: str | None = None) -> list[dict[str, str]]:
    """``[{"name", "label", "target"}]`` for every transition of the table this user (or actor) may take now."""
    available = []
    for name, entry in TRANSITIONS.items():
        if not can_proceed(getattr(enquiry, name), check_conditions=False):
            continue
        if not transition_may(enquiry=enquiry, name=name, user=user, actor=actor):
            continue
        if name == "reopen" and rules.reopen_refusal(enquiry=enquiry, now=timezone.now()) is not None:
            continue
        available.append({"name": name, "label": str(entry.label), "target": entry.target_of(enquiry)})
    return available


def enquiry_timeline(*, enquiry: Enquiry, public_only: bool = False) -> QuerySet[Activity]:
    """The case's activities, oldest first; the municipality sees the public ones only."""
    activities = Activity.objects.filter(enquiry=enquiry).select_related("author").order_by("at", "id")
    if public_only:
        activities = activities.filter(public=True)
    return activities


def enquiry_transition_comments(*, enquiry: Enquiry, activities: list[Activity]) -> dict[tuple[str, datetime], str]:
    """``{(transition, at): comment}`` for the transition entries among ``activities`` (one page of the
    timeline), in one query. The service writes the TransitionLog and its Activity with the same time."""
    moments = {a.at for a in activities if a.kind == Activity.Kind.TRANSITION}
    if not moments:
        return {}
    logs = TransitionLog.objects.filter(enquiry=enquiry, at__in=moments).exclude(comment="")
    return {(transition, at): comment for transition, at, comment in logs.values_list("transition", "at", "comment")}


class TaggedWith(Exists):
    """The cases tagged with one topic: a semi-join over the join table (``enquiries_count`` recognises it)."""

    def __init__(self, topic_id: int) -> None:
        self.topic_id = topic_id
        super().__init__(Enquiry.topics.through.objects.filter(enquiry_id=OuterRef("pk"), topic_id=topic_id))


def enquiries_count(*, enquiries: QuerySet[Enquiry]) -> int:
    """``enquiries.count()``; for every case of one topic (no other filter) the topic's rows of the join table
    are counted instead: its foreign keys guarantee the cases, and the database need not read every case's id
    to match them (at a million cases: the topic's index alone instead of a join over the whole table)."""
    node: Any = enquiries.query.where
    while getattr(node, "children", None) is not None and len(node.children) == 1 and not node.negated:
        node = node.children[0]  # filter(expression) keeps it as WHERE (expression = true) in a node of its own
    tagged = getattr(node, "lhs", node)
    if isinstance(tagged, TaggedWith) and getattr(node, "rhs", True) is True and not enquiries.query.distinct:
        return Enquiry.topics.through.objects.filter(topic_id=tagged.topic_id).count()
    return enquiries.count()


SEARCH_MAX_LENGTH = 200
ORDERINGS = {"created_at", "updated_at", "reference", "state", "priority", "assigned_at", "resolved_at", "closed_at"}


def _date_param(value: str, *, field: str, end_of_day: bool = False) -> datetime:
    """An ISO date (the whole day counts: from its start, or up to its end) or an ISO date-time."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        day = date_bounded(parse_date(value), field=field)  # ValueError for a day that does not exist
        moment = timezone.make_aware(datetime.combine(day, time.min))
        return moment + timedelta(days=1) - timedelta(microseconds=1) if end_of_day else moment
    parsed = parse_datetime(value)
    if parsed is None:
        raise GuardFailed(_("Bitte ein Datum im ISO-Format angeben (JJJJ-MM-TT)."), field=field)
    date_bounded(parsed.date(), field=field)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def enquiries_filter(*, enquiries: QuerySet[Enquiry], params: Mapping[str, str]) -> QuerySet[Enquiry]:
    """The list filters of SPEC section 5 and ``q`` (the full text, every word required, as
    ``cases.search.enquiries_matching``: a filter, the order stays); a bad value is a GuardFailed naming the
    parameter (400)."""
    try:
        return _enquiries_filter(enquiries=enquiries, params=params)
    except ValueError as exc:  # a date that parses as ISO but does not exist (2026-02-30)
        raise GuardFailed(_("Ungültiger Wert."), field=str(exc) or "non_field_errors") from exc


def _enquiries_filter(*, enquiries: QuerySet[Enquiry], params: Mapping[str, str]) -> QuerySet[Enquiry]:
    if state := params.get("state"):
        states = state.split(",")
        if not set(states) <= set(State.values):
            raise GuardFailed(_("Unbekannter Status: %(value)s") % {"value": state}, field="state")
        enquiries = enquiries.filter(state__in=states)
    if topic := params.get("topic"):
        if not re.fullmatch(r"[-a-zA-Z0-9_]{1,60}", topic):
            raise GuardFailed(_("Ungültiges Themen-Kürzel."), field="topic")
        # like an unknown state: a typo must not look like "no cases" (an empty list with 200)
        topic_id = Topic.objects.filter(slug=topic).values_list("pk", flat=True).first()
        if topic_id is None:
            raise GuardFailed(_("Unbekanntes Themen-Kürzel: %(value)s") % {"value": topic}, field="topic")
        # a semi-join, not a join: no DISTINCT (which sorts every match before the first page), so the database
        # walks the sort index and probes the topics' (enquiry, topic) index until the page is full
        enquiries = enquiries.filter(TaggedWith(topic_id))
    if partner := params.get("partner"):
        if not partner.isascii() or not partner.isdigit() or len(partner) > 18:
            raise GuardFailed(_("Bitte die Nummer eines Partners angeben."), field="partner")
        # the partners are the public catalogue, so naming an unknown number reveals nothing
        if not ConsortiumPartner.objects.filter(pk=int(partner)).exists():
            raise GuardFailed(_("Unbekannter Partner: %(value)s") % {"value": partner}, field="partner")
        enquiries = enquiries.filter(assigned_partner_id=int(partner))
    if municipality := params.get("municipality"):
        if not re.fullmatch(r"[0-9]{5}|[0-9]{8}", municipality):
            raise GuardFailed(_("Bitte einen amtlichen Schlüssel angeben (8 oder 5 Ziffern)."), field="municipality")
        if not Municipality.objects.filter(ags=municipality).exists():
            raise GuardFailed(
                _("Diese Kommune ist im Gemeindeverzeichnis nicht bekannt: %(value)s") % {"value": municipality},
                field="municipality",
            )
        enquiries = enquiries.filter(municipality__ags=municipality)
    if bundesland := params.get("bundesland"):
        if bundesland.upper() not in BUNDESLAENDER:
            raise GuardFailed(_("Bitte ein Länderkürzel angeben, z. B. BY."), field="bundesland")
        enquiries = enquiries.filter(municipality__bundesland=bundesland.upper())
    for field, lookup in (("created_after", "created_at__gte"), ("created_before", "created_at__lte")):
        if value := params.get(field):
            try:
                moment = _date_param(value, field=field, end_of_day=field == "created_before")
            except ValueError as exc:
                raise ValueError(field) from exc
            enquiries = enquiries.filter(**{lookup: moment})
    if ordering := params.get("ordering"):
        keys = ordering.split(",")
        if not all(k.lstrip("-") in ORDERINGS for k in keys):
            raise GuardFailed(
                _("Sortierung nach einem von: %(fields)s") % {"fields": ", ".join(sorted(ORDERINGS))}, field="ordering"
            )
        enquiries = enquiries.order_by(*keys, "-id")
    if (q := params.get("q")) is not None and q.strip():
        if len(q) > SEARCH_MAX_LENGTH:
            raise GuardFailed(
                _("Höchstens %(n)d Zeichen.") % {"n": SEARCH_MAX_LENGTH},
                field="q",
            )
        enquiries = enquiries_matching(enquiries=enquiries, q=q)
    return enquiries


# --- pages deep in a list -----------------------------------------------------------------------------------------


def _order_of(queryset: QuerySet) -> list[Any]:
    query = queryset.query
    return list(query.order_by or (query.get_meta().ordering if query.default_ordering else []))


def rows_by_offset(
    queryset: QuerySet, bottom: int, top: int, *, count: int | None = None, values: tuple[str, ...] = ()
) -> list[Any]:
    """``list(queryset[bottom:top])``, cheap however deep: a "deferred join". The ids of the page are selected
    first (the OFFSET walks the sort index alone, no row is fetched before the page), then their rows, with
    what ``queryset`` loads along (select_related, prefetch_related, deferred fields) but without its filters
    (they chose the ids already). Given the list's ``count``, a page past the middle is counted from the end in
    the reverse order (when the order ends in the id: no ties), so the last page costs what the first does.
    Given ``values`` (field names, as for ``QuerySet.values``), the rows are dicts of these fields instead of model
    instances: a page that only shows them is spared building a model per row and per related row."""
    annotations = queryset.query.annotations
    if (
        bottom == 0
        or queryset.query.distinct
        or queryset.query.is_sliced
        or any(expression.contains_aggregate for expression in annotations.values())
    ):
        return list((queryset.values(*values) if values else queryset)[bottom:top])
    order = _order_of(queryset)
    unique = bool(order) and isinstance(order[-1], str) and order[-1].lstrip("-") in {"id", "pk"}
    if count is not None and unique and bottom > count // 2:
        start = max(count - top, 0)
        ids = queryset.reverse().values("pk")[start : start + (top - bottom)]
    else:
        ids = queryset.values("pk")[bottom:top]
    rows = queryset.model._default_manager.filter(pk__in=ids)
    shown = set(queryset.query.annotation_select)
    for name, expression in annotations.items():  # the sort keys and what the rows show (a search's rank)
        rows = rows.annotate(**{name: expression}) if name in shown else rows.alias(**{name: expression})
    if values:
        return list(rows.order_by(*order).values(*values))
    rows.query.select_related = queryset.query.select_related
    rows.query.deferred_loading = queryset.query.deferred_loading
    return list(rows.prefetch_related(*queryset._prefetch_related_lookups).order_by(*order))

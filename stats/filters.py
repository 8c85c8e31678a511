"""Parsing and validating the query parameters of the statistics (SPEC section 8).

Every figure of ``stats.selectors`` takes one ``StatsFilters``; the API, the dashboard form and the
exports build it here, so that bad input gets the same 400 naming the parameter everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Channel
from catalogue.models import ConsortiumPartner, ModelProject, Topic
from catalogue.selectors import topic_param
from catalogue.sizes import SIZE_CLASSES
from core.errors import GuardFailed, NotAllowed
from core.geo import BUNDESLAENDER, bundesland_param
from core.roles import is_coordinator, is_manager, is_partner_staff, partner_of
from core.validation import ascii_digits, date_bounded

# A period longer than this is a typo (e.g. 1926 for 2026), and would only make the database work for nothing.
MAX_PERIOD_DAYS = 10 * 366
# Without a period the figures cover the last twelve months.
DEFAULT_PERIOD_DAYS = 365

PARAMETERS = ["from", "to", "topic", "bundesland", "size_class", "partner", "model_project", "channel", "funded"]


def size_class_labels() -> dict[str, str]:
    return {
        "lt5k": _("unter 5.000 Einwohner"),
        "5k_20k": _("5.000 bis 20.000 Einwohner"),
        "20k_100k": _("20.000 bis 100.000 Einwohner"),
        "gt100k": _("über 100.000 Einwohner"),
        "district": _("Kreise und Verbände"),
    }


@dataclass(frozen=True)
class StatsFilters:
    date_from: dt.date
    date_to: dt.date
    topic: Topic | None = None
    bundesland: str | None = None
    size_class: str | None = None
    partner: ConsortiumPartner | None = None
    model_project: ModelProject | None = None
    channel: str | None = None
    funded: bool | None = None

    @property
    def start(self) -> dt.datetime:
        """The first moment of the period, in the office's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.date_from, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period (``to`` is inclusive)."""
        return timezone.make_aware(dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min))

    def as_params(self) -> dict[str, str]:
        """The query parameters that reproduce these filters (for export links)."""
        params = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        if self.topic is not None:
            params["topic"] = self.topic.slug
        if self.bundesland:
            params["bundesland"] = self.bundesland
        if self.size_class:
            params["size_class"] = self.size_class
        if self.partner is not None:
            params["partner"] = str(self.partner.pk)
        if self.model_project is not None:
            params["model_project"] = str(self.model_project.pk)
        if self.channel:
            params["channel"] = self.channel
        if self.funded is not None:
            params["funded"] = "true" if self.funded else "false"
        return params

    def describe(self) -> list[tuple[str, str]]:
        """German (translated) labels of the period and every active filter, for the dashboard."""
        return [(_("Zeitraum"), f"{self.date_from:%d.%m.%Y} – {self.date_to:%d.%m.%Y}"), *self.describe_filters()]

    def describe_filters(self) -> list[tuple[str, str]]:
        """Label and value of every active filter (not the period), for the sheet "Filter" of an export."""
        lines: list[tuple[str, str]] = []
        if self.topic is not None:
            lines.append((_("Handlungsfeld"), self.topic.name))
        if self.bundesland:
            lines.append((_("Bundesland"), BUNDESLAENDER[self.bundesland]))
        if self.size_class:
            lines.append((_("Größenklasse"), size_class_labels()[self.size_class]))
        if self.partner is not None:
            lines.append((_("Konsortialpartner"), self.partner.short_name))
        if self.model_project is not None:
            lines.append((_("Modellprojekt"), self.model_project.name))
        if self.channel:
            lines.append((_("Eingangskanal"), str(Channel(self.channel).label)))
        if self.funded is not None:
            lines.append((_("gefördert"), _("ja") if self.funded else _("nein")))
        return lines


def _date(params: Mapping[str, str], name: str) -> dt.date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise GuardFailed(_("Bitte ein Datum im Format JJJJ-MM-TT angeben."), field=name) from None
    return date_bounded(day, field=name)


def _id(params: Mapping[str, str], name: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not ascii_digits(raw) or len(raw) > 18:
        raise GuardFailed(_("Unbekannter Wert."), field=name)
    return int(raw)


def _instance(params: Mapping[str, str], name: str, model, unknown: str):
    """The row whose id the parameter names, None without one; GuardFailed(unknown) for an id not found."""
    pk = _id(params, name)
    if pk is None:
        return None
    instance = model.objects.filter(pk=pk).first()
    if instance is None:
        raise GuardFailed(unknown, field=name)
    return instance


def stats_filters_parse(*, params: Mapping[str, str], today: dt.date | None = None) -> StatsFilters:
    """Validate the query parameters; a bad one raises GuardFailed naming it (the API answers 400)."""
    today = today or timezone.localdate()
    date_to = _date(params, "to") or today
    date_from = _date(params, "from") or (date_to - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1))
    if date_from > date_to:
        raise GuardFailed(_("Der Beginn des Zeitraums liegt nach seinem Ende."), field="from")
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise GuardFailed(_("Der Zeitraum ist zu lang (höchstens zehn Jahre)."), field="to")

    topic = topic_param(params)

    bundesland = bundesland_param(params)

    size_class = (params.get("size_class") or "").strip() or None
    if size_class and size_class not in SIZE_CLASSES:
        raise GuardFailed(_("Unbekannte Größenklasse."), field="size_class")

    partner = _instance(params, "partner", ConsortiumPartner, _("Unbekannter Konsortialpartner."))
    model_project = _instance(params, "model_project", ModelProject, _("Unbekanntes Modellprojekt."))

    channel = (params.get("channel") or "").strip() or None
    if channel and channel not in Channel.values:
        raise GuardFailed(_("Unbekannter Eingangskanal."), field="channel")

    funded = None
    raw_funded = (params.get("funded") or "").strip().lower()
    if raw_funded:
        if raw_funded not in {"true", "false", "1", "0"}:
            raise GuardFailed(_("Bitte true oder false angeben."), field="funded")
        funded = raw_funded in {"true", "1"}

    return StatsFilters(
        date_from=date_from,
        date_to=date_to,
        topic=topic,
        bundesland=bundesland,
        size_class=size_class,
        partner=partner,
        model_project=model_project,
        channel=channel,
        funded=funded,
    )


def stats_access_check(*, user) -> None:
    """Managers, coordinators and partner staff read statistics; everybody else gets 403."""
    if not (is_manager(user) or is_coordinator(user) or is_partner_staff(user)):
        raise NotAllowed(_("Die Statistik ist dem Team der Transferstelle vorbehalten."))


def stats_own_partner(*, user) -> ConsortiumPartner | None:
    """The partner whose figures alone the user sees; None for managers and coordinators (they see all)."""
    if is_manager(user) or is_coordinator(user):
        return None
    return partner_of(user)


def stats_filters_scoped(*, user, filters: StatsFilters) -> StatsFilters:
    """Managers and coordinators see everything; partner staff only their own partner's figures."""
    stats_access_check(user=user)
    own = stats_own_partner(user=user)
    if own is None:
        return filters
    if filters.partner is not None and filters.partner.pk != own.pk:
        raise NotAllowed(_("Sie sehen nur die Zahlen Ihres eigenen Partners."), field="partner")
    return replace(filters, partner=own)

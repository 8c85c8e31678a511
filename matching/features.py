"""One function per feature of SPEC section 4. Each returns a value in [0, 1] and a sentence saying why.

The sentences are for the reader: German first (English when that is the active language), numbers as the
active language writes them ("2.591 Einwohner", "4,5 km"), a measure's status in words, never a weight or a
raw score. The engine multiplies the value by the feature's weight (settings.KTS_MATCHING_WEIGHTS); nothing
here reads the database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Measure, ModelProject

Feature = tuple[float, str]

# Beta(2, 2) prior: a project without history counts as 50 % successful, and one case moves it by at most
# a sixth (1 of 1 -> 3/5, 0 of 1 -> 2/5), so a single outcome does not swing the ranking.
SUCCESS_PRIOR_SUCCESSES = 2.0
SUCCESS_PRIOR_FAILURES = 2.0
# A topic a project only lists, without a measure on it, counts this much of one it has built something for.
PROJECT_TOPIC_SHARE = 0.6
# Size value from which two populations are called similar (about 1.7 : 1).
SIMILAR_SIZE = 0.85
# Distance at which the distance part of similarity has fallen to one half.
HALF_DISTANCE_KM = 150.0
# Distance that sorts last when a place has no coordinates.
UNKNOWN_KM = 100_000.0
# Text relevance: BM25 score at which the value reaches one half. An enquiry of a few sentences scores 10 to 30
# against the measure it is about and 3 to 8 against one that shares a single common word; a lower half point
# saturates both near 1, and the size and maturity of the project would decide instead of the content.
TEXT_HALF_SCORE = 12.0

_MATURITY_STATUS = {
    Measure.Status.OPERATIONAL: 1.0,
    Measure.Status.IMPLEMENTING: 0.7,
    Measure.Status.PLANNED: 0.3,
}
_MATURITY_PHASE = {
    ModelProject.Phase.COMPLETED: 1.0,
    ModelProject.Phase.IMPLEMENTATION: 1.0,
    ModelProject.Phase.STRATEGY: 0.4,
}
# Which project kinds fit which kind of municipality best.
_KIND_GROUP = {
    "city": "city",
    "municipality": "small",
    "municipal_association": "small",
    "district": "district",
    "cooperation": "district",
    "regional_association": "district",
}


@dataclass(frozen=True)
class Place:
    """The enquirer's municipality as the similarity feature needs it."""

    name: str
    level: str
    kind: str
    bundesland: str
    population: int | None
    lat: float | None
    lon: float | None

    @property
    def kind_group(self) -> str:
        if self.level == "kreis" and self.kind not in {"kreisfreie_stadt", "stadtkreis"}:
            return "district"
        if self.kind in {"gemeinde", "markt"} or (self.population or 0) < 20_000:
            return "small"
        return "city"


# The reader's name of each feature (the explanation entry's "label"; its "signal" key stays the code).
LABELS = {
    "requested": gettext_lazy("Angefragte Maßnahme"),
    "topic": gettext_lazy("Handlungsfeld"),
    "text": gettext_lazy("Inhalt der Anfrage"),
    "similarity": gettext_lazy("Ähnliche Kommune"),
    "maturity": gettext_lazy("Umsetzungsstand"),
    "capacity": gettext_lazy("Freie Kapazität"),
    "success": gettext_lazy("Bisheriger Erfolg"),
    "region": gettext_lazy("Zuständigkeit"),
}


def label(name: str) -> str:
    return str(LABELS.get(name, name))


def number(value: float | int, decimals: int = 0) -> str:
    """A number as the active language writes it: "48.000" and "4,5" in German, "48,000" and "4.5" in
    English."""
    value = round(value, decimals) if decimals else round(value)
    return number_format(value, decimal_pos=decimals or None, use_l10n=True, force_grouping=True)


def distance_text(km: float) -> str:
    """Kilometres as a reader says them: one decimal below 10 km, whole kilometres above."""
    if km < 10:
        return number(max(km, 0.1), decimals=1)
    return number(km)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def topic_feature(
    *,
    wanted: frozenset[int],
    offered: frozenset[int],
    names: dict[int, str],
    parent: dict,
    concrete: frozenset[int] | None = None,
    explain: bool = True,
) -> Feature:
    """Share of the enquiry's topics the target covers; a parent or child topic counts half.

    ``concrete`` are the topics a project works on through a measure; a topic it only lists among its fields
    of action (some list ten) counts PROJECT_TOPIC_SHARE.
    """
    if not wanted:
        return 0.0, _("Anfrage ohne Handlungsfeld: Themen nicht bewertet") if explain else ""
    exact = wanted & offered
    related = [t for t in wanted - offered if parent.get(t) in offered or any(parent.get(o) == t for o in offered)]
    concrete = offered if concrete is None else concrete
    covered = sum(1.0 if t in concrete else PROJECT_TOPIC_SHARE for t in exact)
    value = (covered + 0.5 * len(related)) / len(wanted)
    if not explain:
        return value, ""
    exact = sorted(exact, key=lambda t: names.get(t, ""))
    related = sorted(related, key=lambda t: names.get(t, ""))
    if exact:
        label = _("Handlungsfeld %(names)s") if len(exact) == 1 else _("Handlungsfelder %(names)s")
        return value, label % {"names": ", ".join(names[t] for t in exact)}
    if related:
        return value, _("verwandtes Handlungsfeld %(names)s") % {"names": ", ".join(names[t] for t in related)}
    return 0.0, _("kein gemeinsames Handlungsfeld")


def text_feature(
    *, score: float, measure_title: str | None, hits: list[str], everyday: Sequence[str] = (), explain: bool = True
) -> Feature:
    """BM25 relevance of subject and message, squashed into [0, 1). ``hits`` are the enquiry's words found in
    the measure's own text, ``everyday`` the measure's everyday words the enquiry matched (measure_words.csv)."""
    if score <= 0:
        return 0.0, _("keine inhaltliche Übereinstimmung im Text der Anfrage") if explain else ""
    value = score / (score + TEXT_HALF_SCORE)
    if not explain:
        return value, ""
    own = hits[: max(2, 4 - len(everyday))] if everyday else hits[:4]
    parts = [", ".join(own)] if own else []
    if everyday:
        parts.append(_("Alltagsbegriffe: %(words)s") % {"words": ", ".join(everyday[: 4 - len(own)])})
    shown = "; ".join(parts)
    if measure_title:
        return value, _("Text passt zu Maßnahme „%(title)s“ (%(words)s)") % {"title": measure_title, "words": shown}
    return value, _("Text passt zur Projektbeschreibung (%(words)s)") % {"words": shown}


def size_and_distance(
    *, place: Place | None, population: int | None, lat: float | None, lon: float | None
) -> tuple[float, float]:
    """Size likeness in [0, 1] and distance in km of the enquirer to a project: the tie-break when scores are
    equal. Unknown size counts 0, unknown distance as far as can be."""
    if place is None:
        return 0.0, UNKNOWN_KM
    size = _size_value(place.population, population) if place.population and population else 0.0
    if None in (place.lat, place.lon, lat, lon):
        return size, UNKNOWN_KM
    return size, haversine_km(place.lat, place.lon, lat, lon)  # type: ignore[arg-type]


def _size_value(a: int, b: int) -> float:
    """1 for equal populations, 0 from a ratio of about 30 : 1 on."""
    return max(0.0, 1.0 - abs(math.log10(a / b)) / 1.5)


def similarity_feature(
    *,
    place: Place | None,
    kind: str,
    population: int | None,
    bundeslaender: frozenset[str],
    lat: float | None,
    lon: float | None,
    explain: bool = True,
) -> Feature:
    """Size, kind, distance and Land of the enquirer against the project; parts unknown are left out."""
    if place is None:
        return 0.0, _("Kommune unbekannt: Ähnlichkeit nicht bewertet") if explain else ""
    parts: list[tuple[float, float]] = []  # (share, value)
    texts: list[str] = []
    if place.population and population:
        size = _size_value(place.population, population)
        parts.append((0.35, size))
        if explain:
            template = (
                _("ähnliche Größe: %(a)s und %(b)s Einwohner")
                if size >= SIMILAR_SIZE
                else _("andere Größe: %(a)s und %(b)s Einwohner")
            )
            texts.append(template % {"a": number(place.population), "b": number(population)})
    parts.append((0.15, 1.0 if place.kind_group == _KIND_GROUP.get(kind, "city") else 0.0))
    if place.lat is not None and place.lon is not None and lat is not None and lon is not None:
        km = haversine_km(place.lat, place.lon, lat, lon)
        parts.append((0.35, HALF_DISTANCE_KM / (HALF_DISTANCE_KM + km)))
        if explain:
            texts.append(_("%(km)s km entfernt") % {"km": distance_text(km)})
    same_land = place.bundesland in bundeslaender
    parts.append((0.15, 1.0 if same_land else 0.0))
    if same_land and explain:
        texts.append(_("gleiches Bundesland"))
    total = sum(share for share, _value in parts)
    value = sum(share * v for share, v in parts) / total if total else 0.0
    if not explain:
        return value, ""
    return value, "; ".join(texts) if texts else _("keine Angaben zur Ähnlichkeit")


def maturity_feature(
    *, phase: str, measure_title: str | None, measure_status: str | None, explain: bool = True
) -> Feature:
    """How far the project and its best-fitting measure are; unknown counts as halfway."""
    phase_value = _MATURITY_PHASE.get(phase, 0.5)
    if not explain:
        status_value = 0.5 if measure_title is None else _MATURITY_STATUS.get(measure_status or "", 0.5)
        return (phase_value + status_value) / 2, ""
    texts = []
    if phase:
        texts.append(str(ModelProject.Phase(phase).label) if phase in ModelProject.Phase.values else phase)
    if measure_title is None:
        status_value = 0.5
        texts.append(_("keine Maßnahmen erfasst"))
    else:
        status_value = _MATURITY_STATUS.get(measure_status or "", 0.5)
        if measure_status in _MATURITY_STATUS:
            texts.append(
                _("Maßnahme „%(title)s“ %(status)s")
                % {"title": measure_title, "status": str(Measure.Status(measure_status).label)}
            )
        else:
            texts.append(_("Stand der Maßnahme „%(title)s“ unbekannt") % {"title": measure_title})
    return (phase_value + status_value) / 2, "; ".join(texts)


def requested_feature(*, measure_title: str, explain: bool = True) -> Feature:
    """The enquiry was made about one of this project's measures (from its catalogue page)."""
    return 1.0, _("Angefragt zur Maßnahme „%(title)s“") % {"title": measure_title} if explain else ""


def capacity_feature(*, open_count: int, capacity: int, what: str = "introductions", explain: bool = True) -> Feature:
    """Free room: open introductions (projects) or open cases (partners) against capacity."""
    if capacity <= 0:
        return 0.0, _("keine Kapazität hinterlegt") if explain else ""
    value = max(0.0, 1.0 - open_count / capacity)
    if not explain:
        return value, ""
    numbers = {"open": number(open_count), "cap": number(capacity)}
    if what == "cases":
        return value, _("%(open)s von %(cap)s Fällen in Bearbeitung") % numbers
    return value, _("%(open)s von %(cap)s Vermittlungsplätzen belegt") % numbers


def success_feature(*, successes: int, trials: int, explain: bool = True) -> Feature:
    """Beta-smoothed success rate of the project's earlier cases on these topics."""
    value = (successes + SUCCESS_PRIOR_SUCCESSES) / (trials + SUCCESS_PRIOR_SUCCESSES + SUCCESS_PRIOR_FAILURES)
    if not explain:
        return value, ""
    if trials == 0:
        return value, _("noch keine früheren Vermittlungen")
    return value, _("%(s)s von %(n)s früheren Vermittlungen erfolgreich") % {
        "s": number(successes),
        "n": number(trials),
    }


def region_feature(*, regions: frozenset[str], bundesland: str | None, explain: bool = True) -> Feature:
    """Partners serve their Länder; an empty list means nationwide."""
    if not regions:
        return 0.7, _("bundesweit tätig") if explain else ""
    if bundesland and bundesland in regions:
        return 1.0, _("zuständig für %(state)s") % {"state": bundesland} if explain else ""
    return 0.0, _("nicht zuständig für %(state)s") % {"state": bundesland or "?"} if explain else ""

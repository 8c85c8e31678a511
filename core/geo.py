"""The sixteen Länder by their two-letter codes (the directory's `state_code`), used by loaders, filters and
statistics alike."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.errors import GuardFailed

BUNDESLAENDER: dict[str, str] = {
    "SH": "Schleswig-Holstein",
    "HH": "Hamburg",
    "NI": "Niedersachsen",
    "HB": "Bremen",
    "NW": "Nordrhein-Westfalen",
    "HE": "Hessen",
    "RP": "Rheinland-Pfalz",
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "SL": "Saarland",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "MV": "Mecklenburg-Vorpommern",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "TH": "Thüringen",
}


def bundesland_param(params: Mapping[str, Any], name: str = "bundesland") -> str | None:
    """The Land a filter asks for (``?bundesland=by``: any case), None when none; GuardFailed on the field for
    a code that is not one of the sixteen."""
    code = (params.get(name) or "").strip().upper() or None
    if code and code not in BUNDESLAENDER:
        raise GuardFailed(_("Unbekanntes Bundesland (zweistelliges Kürzel wie BY)."), field=name)
    return code

"""The map of the Projektatlas: Germany drawn from the municipality directory, the projects as points.

Drawn on the server as SVG (no script, no tiles, nothing fetched from elsewhere) with the projection of the
dashboard's canvas map (web/static/web/dashboard/dashboard.js): equirectangular, longitude squeezed by
cos(51°). The outline is the directory's municipalities gathered into grid cells and merged into runs per row,
a few hundred rectangles, cached because the directory rarely changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Avg

from catalogue.models import ModelProject, Municipality

LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 47.2, 55.1, 5.8, 15.1
SQUEEZE = math.cos(math.radians(51))
WIDTH = 400
PAD = 8
SCALE = (WIDTH - 2 * PAD) / ((LON_MAX - LON_MIN) * SQUEEZE)
HEIGHT = round(2 * PAD + (LAT_MAX - LAT_MIN) * SCALE)
# grid of the outline, in degrees: about 14 x 14 km
CELL_LAT, CELL_LON = 0.125, 0.2
MAX_GAP = 2
OUTLINE_KEY = "kts:atlas:outline:v2"
OUTLINE_TIMEOUT = 24 * 3600


def project_xy(lat: float, lon: float) -> tuple[float, float]:
    return (round(PAD + (lon - LON_MIN) * SQUEEZE * SCALE, 1), round(PAD + (LAT_MAX - lat) * SCALE, 1))


def _outline_path() -> str:
    cells: set[tuple[int, int]] = set()
    rows = Municipality.objects.filter(level="gemeinde", lat__isnull=False, lon__isnull=False).values_list("lat", "lon")
    for lat, lon in rows:
        cells.add((int((LAT_MAX - lat) / CELL_LAT), int((lon - LON_MIN) / CELL_LON)))
    by_row: dict[int, list[int]] = {}
    for row, col in cells:
        by_row.setdefault(row, []).append(col)
    parts = []
    for row, cols in sorted(by_row.items()):
        cols.sort()
        start = prev = cols[0]
        for col in [*cols[1:], None]:
            # a gap of up to MAX_GAP cells (a large municipality, a lake) is filled, so the land looks whole
            if col is not None and col <= prev + 1 + MAX_GAP:
                prev = col
                continue
            x0, y0 = project_xy(LAT_MAX - row * CELL_LAT, LON_MIN + start * CELL_LON)
            x1, y1 = project_xy(LAT_MAX - (row + 1) * CELL_LAT, LON_MIN + (prev + 1) * CELL_LON)
            parts.append(f"M{x0:g} {y0:g}H{x1:g}V{y1:g}H{x0:g}Z")
            if col is not None:
                start = prev = col
    return "".join(parts)


def outline_path() -> str:
    """The SVG path of Germany's settled area (empty without a directory)."""
    path = cache.get(OUTLINE_KEY)
    if path is None:
        path = _outline_path()
        if path:
            cache.set(OUTLINE_KEY, path, OUTLINE_TIMEOUT)
    return path


@dataclass(frozen=True)
class MapPoint:
    slug: str
    name: str
    x: float
    y: float
    hit: bool


def project_points(*, hit_ids: set[int]) -> tuple[list[MapPoint], list[str]]:
    """Every project as a point (hits last, so they are drawn on top), and the names of those without a place.

    A Kreis has no coordinates in the directory; a project led by one is placed at the mean position of the
    Kreis's municipalities. Two queries.
    """
    projects = list(ModelProject.objects.values("pk", "slug", "name", "lat", "lon", "lead_municipality__ags"))
    districts = {
        p["lead_municipality__ags"]
        for p in projects
        if p["lat"] is None and p["lead_municipality__ags"] and len(p["lead_municipality__ags"]) == 5
    }
    centres = {}
    if districts:
        centres = {
            row["district_ags"]: (row["lat"], row["lon"])
            for row in Municipality.objects.filter(level="gemeinde", district_ags__in=districts, lat__isnull=False)
            .values("district_ags")
            .annotate(lat=Avg("lat"), lon=Avg("lon"))
        }
    points, unplaced = [], []
    for p in projects:
        lat, lon = p["lat"], p["lon"]
        if lat is None or lon is None:
            lat, lon = centres.get(p["lead_municipality__ags"], (None, None))
        if lat is None or lon is None:
            unplaced.append(p["name"])
            continue
        x, y = project_xy(lat, lon)
        points.append(MapPoint(slug=p["slug"], name=p["name"], x=x, y=y, hit=p["pk"] in hit_ids))
    points.sort(key=lambda point: (point.hit, point.name))
    return points, sorted(unplaced)

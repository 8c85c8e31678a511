"""Database functions the statistics need beyond Django's own: a continuous percentile and seconds since
the epoch, each written for PostgreSQL and for SQLite so that both compute the same numbers."""

from __future__ import annotations

import json
import math

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, Field, FloatField, Func

SQLITE_PERCENTILE = "kts_percentile_cont"
SQLITE_PERCENTILES = "kts_percentiles_cont"


class _SqlitePercentileCont:
    """PostgreSQL's ``percentile_cont`` for SQLite: linear interpolation between the two nearest ranks,
    NULLs ignored, NULL for an empty group. Runs inside SQLite as a registered aggregate."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction) -> None:
        if value is not None:
            self.values.append(float(value))
            self.fraction = float(fraction)

    def finalize(self) -> float | None:
        if not self.values:
            return None
        return _interpolate(sorted(self.values), self.fraction)


def _interpolate(ordered: list[float], fraction: float) -> float:
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _register_sqlite(raw_connection) -> None:
    raw_connection.create_aggregate(SQLITE_PERCENTILE, 2, _SqlitePercentileCont)
    raw_connection.create_aggregate(SQLITE_PERCENTILES, 2, _SqlitePercentilesCont)


def _ensure_sqlite(connection) -> None:
    # The connection may predate this module's import (connection_created came too late): register again.
    connection.ensure_connection()
    _register_sqlite(connection.connection)


def _on_connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        _register_sqlite(connection.connection)


connection_created.connect(_on_connection_created, dispatch_uid="stats.percentile")


class Percentile(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``: Percentile("x", 0.5) is the median."""

    function = "percentile_cont"
    name = "Percentile"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra) -> None:
        fraction = float(fraction)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must lie between 0 and 1")
        # The fraction is a validated float written into the SQL, never user text.
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        _ensure_sqlite(connection)
        return super().as_sql(
            compiler,
            connection,
            function=SQLITE_PERCENTILE,
            template="%(function)s(%(expressions)s, %(fraction)s)",
            **extra_context,
        )


class _FloatList(Field):
    """A list of floats: PostgreSQL hands back an array, SQLite the JSON text of the registered aggregate."""

    # stats.batch reads the list back from JSON
    float_list = True

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)


class _SqlitePercentilesCont(_SqlitePercentileCont):
    def step(self, value, fractions) -> None:
        if value is not None:
            self.values.append(float(value))
            self.fraction = fractions

    def finalize(self) -> str | None:
        if not self.values:
            return None
        ordered = sorted(self.values)
        return json.dumps([_interpolate(ordered, fraction) for fraction in json.loads(self.fraction)])


class Percentiles(Aggregate):
    """Several percentiles of one expression from one sort (PostgreSQL: ``percentile_cont(ARRAY[...])``):
    Percentiles("x", [0.5, 0.9]) gives [median, 90th percentile]; NULL (None) for an empty group.

    The statistics use it rather than two Percentile aggregates because the expression (a duration with a
    subquery for the waiting time) is then evaluated once per row, not twice."""

    function = "percentile_cont"
    name = "Percentiles"
    output_field = _FloatList()
    template = "%(function)s(ARRAY[%(fractions)s]::double precision[]) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fractions: list[float], **extra) -> None:
        values = [float(f) for f in fractions]
        if not values or not all(0.0 <= f <= 1.0 for f in values):
            raise ValueError("fractions must lie between 0 and 1")
        self.fractions = values
        super().__init__(expression, fractions=", ".join(repr(f) for f in values), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        _ensure_sqlite(connection)
        # The fractions travel as a JSON string literal; they are validated floats, never user text.
        return super().as_sql(
            compiler,
            connection,
            function=SQLITE_PERCENTILES,
            template="%(function)s(%(expressions)s, '" + json.dumps(self.fractions) + "')",
            **extra_context,
        )


class Epoch(Func):
    """Seconds since 1970-01-01 UTC of a timestamp, as a float (differences of two are durations)."""

    arity = 1
    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # date_part() returns double precision; EXTRACT() returns numeric since PostgreSQL 14, twice as slow
        return self.as_sql(compiler, connection, template="date_part('epoch', %(expressions)s)", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores UTC timestamps as text; julianday() reads them, 2440587.5 is the epoch's Julian day.
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)", **extra_context
        )

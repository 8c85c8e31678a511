"""Several read queries of one figure in one round trip.

A summary or breakdown needs a handful of independent aggregates (grouped counts, the clock-dependent counts,
distinct municipalities, percentile walks, model projects). On PostgreSQL ``fetch_together`` sends them as one
statement, each query a scalar subquery whose rows come back as one JSON array (positional, so that no column
name matters), and turns them back into the dicts the ORM would give; elsewhere (SQLite, in process) it simply
runs them one after the other. The answers are the same either way: each part is the same SQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import DateField, DateTimeField, FloatField, QuerySet, Value


@dataclass
class Part:
    """One query of a batch: a ``values()`` queryset, or raw SQL with the names of its columns."""

    names: list[str]
    queryset: QuerySet | None = None
    sql: str = ""
    params: list[Any] = field(default_factory=list)
    converters: list[Callable[[Any], Any] | None] = field(default_factory=list)
    # the columns (by position) the rows come ordered by; JSON aggregation keeps no order by itself
    order: list[int] = field(default_factory=list)


def _converter(output_field: Any) -> Callable[[Any], Any] | None:
    """JSON gives dates as text and whole floats as integers: back to what the ORM gives."""
    if isinstance(output_field, DateTimeField):
        return lambda value: None if value is None else dt.datetime.fromisoformat(value)
    if isinstance(output_field, DateField):
        return lambda value: None if value is None else dt.date.fromisoformat(value)
    if isinstance(output_field, FloatField):
        return lambda value: None if value is None else float(value)
    if getattr(output_field, "float_list", False):
        return lambda value: None if value is None else [float(v) for v in value]
    return None


def one_row(qs: QuerySet, **aggregates: Any) -> QuerySet:
    """``qs.aggregate(**aggregates)`` as a ``values()`` queryset (one row, also for an empty set), so that it
    can travel in a batch."""
    return qs.order_by().values(one=Value(1)).annotate(**aggregates).values(*aggregates)


def part_of(queryset: QuerySet, *, order: Sequence[int] = ()) -> Part:
    """A part from a ``values()`` queryset (rows as the queryset's dicts); ``order`` names the columns (by
    position) of the queryset's ordering, which the batch must keep (ascending, NULLs last)."""
    query = queryset.query
    names = list(query.selected) if query.selected else [*query.values_select, *query.annotation_select]
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    converters = [_converter(expression.output_field) for expression, _sql, _alias in compiler.select]
    return Part(names=names, queryset=queryset, sql=sql, params=list(params), converters=converters, order=list(order))


def part_raw(sql: str, params: Sequence[Any], names: list[str]) -> Part:
    """A part from raw SQL (rows as dicts of ``names``, in column order)."""
    return Part(names=names, sql=sql, params=list(params), converters=[None] * len(names))


def _run_alone(part: Part) -> list[dict[str, Any]]:
    if part.queryset is not None:
        return list(part.queryset)
    with connection.cursor() as cursor:
        cursor.execute(part.sql, part.params)
        return [dict(zip(part.names, row, strict=True)) for row in cursor.fetchall()]


def fetch_together(parts: Sequence[Part]) -> list[list[dict[str, Any]]]:
    """The rows of each part, in order; on PostgreSQL in one statement (one round trip)."""
    if connection.vendor != "postgresql" or len(parts) < 2:
        return [_run_alone(part) for part in parts]
    selects, params = [], []
    for part in parts:
        columns = [f"c{index}" for index in range(len(part.names))]
        order = f" ORDER BY {', '.join(columns[index] for index in part.order)}" if part.order else ""
        selects.append(
            f"(SELECT COALESCE(json_agg(json_build_array({', '.join(columns)}){order}), '[]')::text "  # noqa: S608
            f"FROM ({part.sql}) AS t({', '.join(columns)}))"
        )
        params += part.params
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        texts = cursor.fetchone()
    results = []
    for part, text in zip(parts, texts, strict=True):
        rows = []
        for values in json.loads(text):
            row = {}
            for name, value, convert in zip(part.names, values, part.converters, strict=True):
                row[name] = convert(value) if convert is not None and value is not None else value
            rows.append(row)
        results.append(rows)
    return results

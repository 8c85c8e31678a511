"""Database expressions the ORM lacks, written for PostgreSQL and for SQLite alike."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import F, Field, QuerySet, Subquery


class _List(Field):
    """A list read from the database: PostgreSQL hands back an array, SQLite the text of a JSON array."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list | None:
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)


class ValuesOf(Subquery):
    """The values of ``field`` in each row of ``queryset`` (a correlated subquery, ``OuterRef`` allowed) as a
    list beside the outer row, in the same query: ``ARRAY(subquery)`` on PostgreSQL, ``json_group_array`` over
    the subquery on SQLite. An empty subquery gives an empty list. The order of the list is not promised."""

    template = "ARRAY(%(subquery)s)"

    def __init__(self, queryset: QuerySet, field: str) -> None:
        super().__init__(queryset.order_by().values(item=F(field)), output_field=_List())

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list]:
        return super().as_sql(
            compiler, connection, template="(SELECT json_group_array(item) FROM (%(subquery)s))", **extra_context
        )

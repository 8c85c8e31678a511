"""Pages of the API lists (SPEC section 5): ``?page=`` and ``?page_size=``; the staff case list also pages by
cursor (``?cursor=``).

The case list at a million rows (``EnquiryPagination``):

- **Page numbers** stay as SPEC section 5 says: ``{"count", "next", "previous", "results"}`` with an exact
  ``count``. A deep page no longer reads every row before it: the ids of the page are selected first (OFFSET
  over the sort index alone, a "deferred join"), then their 50 rows; a page past the middle is counted from
  the end, in the reverse order (the last page costs what the first does).
- **Cursors**: ``?cursor=`` (empty for the first page) switches to keyset pages. ``next`` and ``previous``
  are then cursor links: each carries the sort keys of the row at the page's edge, and the next page seeks
  past it through the sort index, whatever its depth. The order is the same (``ordering``, every order ending
  in the id); a date that may be empty sorts after every other date (as PostgreSQL does it). ``count`` is
  bounded: exact up to ``COUNT_EXACT_UP_TO`` matches, beyond that the planner's estimate (PostgreSQL; on
  SQLite the exact number), and ``count_exact`` says which. A cursor that is not one of ours, or one made for
  another ``ordering``, is a 400 naming ``cursor``.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cases.models import Enquiry
from cases.selectors import enquiries_count, rows_by_offset
from core.errors import GuardFailed
from core.validation import ascii_digits


class StandardPagination(PageNumberPagination):
    """SPEC section 5: ?page= and ?page_size= (at most 200). Numbers are written with the digits 0-9: int()
    would read "٢" as 2, and "²" would fail deep inside the paginator."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        number = request.query_params.get(self.page_query_param) or 1
        # "abc" stays DRF's 404 (an invalid page); digits other than 0-9 would be read as a number
        if isinstance(number, str) and any(ch.isdigit() and not ch.isascii() for ch in number):
            raise GuardFailed(_("Bitte eine Seitenzahl angeben."), field=self.page_query_param)
        return number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw and not ascii_digits(raw.strip()):
            raise GuardFailed(_("Bitte eine Seitengröße angeben."), field=self.page_size_query_param)
        return super().get_page_size(request)


class CataloguePagination(StandardPagination):
    """The catalogue allows pages of up to 500."""

    max_page_size = 500


# --- page numbers: a deferred join ------------------------------------------------------------------------------


class DeferredJoinPaginator(Paginator):
    """Django's paginator with an exact count, whose pages past the first read their rows by id: the OFFSET
    walks the sort index only (no row is fetched before the page), and a page past the middle walks from the
    other end in the reverse order (possible when the order ends in the id, so that it has no ties)."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet) and self.object_list.model is Enquiry:
            return enquiries_count(enquiries=self.object_list)
        return super().count

    def page(self, number: Any):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> Any:
        if not isinstance(self.object_list, QuerySet):
            return self.object_list[bottom:top]
        return rows_by_offset(self.object_list, bottom, top, count=self.count)


# --- cursors ----------------------------------------------------------------------------------------------------


def _encode(payload: dict) -> str:
    raw = json.dumps(payload, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(token: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


class _Keys:
    """The sort keys of a queryset (field name, descending, nullable), the last one the id."""

    def __init__(self, queryset: QuerySet) -> None:
        query = queryset.query
        order = list(query.order_by or (query.get_meta().ordering if query.default_ordering else []))
        self.names = [str(name) for name in order]
        self.model = queryset.model
        self.keys: list[tuple[str, bool, Any]] = []
        for name in order:
            if not isinstance(name, str):
                raise TypeError("cursor pages need an order by field names")
            field_name = name.lstrip("-")
            field = self.model._meta.pk if field_name == "pk" else self.model._meta.get_field(field_name)
            self.keys.append((field.attname, name.startswith("-"), field))
        if not self.keys or self.keys[-1][2] != self.model._meta.pk:
            self.keys.append((self.model._meta.pk.attname, False, self.model._meta.pk))
            self.names.append("id")

    def order(self, *, forward: bool) -> list[Any]:
        """NULL sorts as the greatest value on both databases (PostgreSQL's own choice)."""
        result = []
        for name, descending, field in self.keys:
            descend = descending == forward
            if field.null:
                result.append(F(name).desc(nulls_first=True) if descend else F(name).asc(nulls_last=True))
            else:
                result.append(F(name).desc() if descend else F(name).asc())
        return result

    def values_of(self, row: Model) -> list[Any]:
        return [getattr(row, name) for name, _descending, _field in self.keys]

    def seek(self, values: list[Any], *, forward: bool) -> Q:
        """The rows after (``forward``) or before the row whose keys are ``values``. The first key is also
        bounded on its own (``>=``/``<=``), so that the database starts its index scan there."""
        result = Q(pk__in=[])
        equal = Q()
        for (name, descending, field), value in zip(self.keys, values, strict=True):
            later = forward != descending  # the rows further on have a greater value
            if value is None:
                beyond = Q(pk__in=[]) if later else Q(**{f"{name}__isnull": False})
                same = Q(**{f"{name}__isnull": True})
            else:
                beyond = Q(**{f"{name}__{'gt' if later else 'lt'}": value})
                if later and field.null:
                    beyond |= Q(**{f"{name}__isnull": True})
                same = Q(**{name: value})
            result |= equal & beyond
            equal &= same
        name, descending, field = self.keys[0]
        first = values[0]
        if first is not None and not field.null:
            result &= Q(**{f"{name}__{'gte' if forward != descending else 'lte'}": first})
        return result

    def parse(self, raw: list[Any]) -> list[Any] | None:
        """The values of a decoded cursor, checked against the fields' types; None when they do not fit."""
        if not isinstance(raw, list) or len(raw) != len(self.keys):
            return None
        values: list[Any] = []
        for (_name, _descending, field), value in zip(self.keys, raw, strict=True):
            internal = field.get_internal_type()
            if value is None:
                if not field.null:
                    return None
                values.append(None)
            elif internal == "DateTimeField":
                moment = parse_datetime(value) if isinstance(value, str) else None
                if moment is None:
                    return None
                values.append(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
            elif internal in {"AutoField", "BigAutoField", "IntegerField", "PositiveSmallIntegerField",
                              "PositiveIntegerField", "SmallIntegerField", "BigIntegerField"}:  # fmt: skip
                if type(value) is not int or abs(value) >= 2**63:
                    return None
                values.append(value)
            elif isinstance(value, str) and len(value) <= 1_000:
                values.append(value)
            else:
                return None
        return values


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


class EnquiryPagination(StandardPagination):
    """The staff case list: page numbers (SPEC section 5, a deferred join) or, with ``?cursor=``, keyset pages
    with a bounded count. See the module's docstring."""

    django_paginator_class = DeferredJoinPaginator
    cursor_query_param = "cursor"
    COUNT_EXACT_UP_TO = 10_000

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor_mode = self.cursor_query_param in request.query_params
        if not self.cursor_mode:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request)
        keys = _Keys(queryset)
        token = request.query_params.get(self.cursor_query_param, "")
        forward, position, inclusive = True, None, False
        if token:
            payload = _decode(token)
            position = keys.parse(payload.get("v")) if isinstance(payload, dict) else None
            if position is None or payload.get("o") != keys.names or payload.get("d") not in {"n", "p"}:
                # the field names the cursor; the links next/previous of an answer are the valid ones
                raise GuardFailed(_("Ungültiger Wert."), field=self.cursor_query_param)
            forward = payload["d"] == "n"
            inclusive = payload.get("i", 0) == 1
        page = queryset.order_by(*keys.order(forward=forward))
        if position is not None:
            # inclusive: the row of the cursor itself too (the way back from an empty page past the end)
            page = page.filter(
                keys.seek(position, forward=forward) | (Q(pk=position[-1]) if inclusive else Q(pk__in=[]))
            )
        rows = list(page[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if not forward:
            rows.reverse()
        self.next_token = self.previous_token = None
        edge: dict[str, Any] = {}
        if rows:
            edge = {"n": keys.values_of(rows[-1]), "p": keys.values_of(rows[0])}
        elif position is not None:  # past either end: the way back starts at the cursor's row, which it lists
            edge = {"n": position, "p": position, "i": 1}
        if edge and (more if forward else position is not None):
            self.next_token = self._token(keys, edge["n"], "n", edge.get("i"))
        if edge and (position is not None if forward else more):
            self.previous_token = self._token(keys, edge["p"], "p", edge.get("i"))
        self.count, self.count_exact = self._bounded_count(queryset)
        return rows

    @staticmethod
    def _token(keys: _Keys, values: list[Any], direction: str, inclusive: int | None) -> str:
        payload: dict[str, Any] = {"o": keys.names, "v": [_json_value(v) for v in values], "d": direction}
        if inclusive:
            payload["i"] = 1
        return _encode(payload)

    def _bounded_count(self, queryset: QuerySet) -> tuple[int, bool]:
        """Exact up to COUNT_EXACT_UP_TO; beyond, the planner's estimate on PostgreSQL (never below the bound)."""
        cap = self.COUNT_EXACT_UP_TO
        bounded = queryset.order_by().values("pk")[: cap + 1].count()
        if bounded <= cap:
            return bounded, True
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return queryset.order_by().count(), True
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(int(plan[0]["Plan"]["Plan Rows"]), cap + 1), False

    def _cursor_link(self, token: str | None) -> str | None:
        if token is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_paginated_response(self, data):
        if not self.cursor_mode:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self._cursor_link(self.next_token),
                "previous": self._cursor_link(self.previous_token),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = (
            "Seitenzahlen: die genaue Zahl der Treffer. Mit cursor: genau bis 10.000 Treffer, darüber die "
            "Schätzung der Datenbank (siehe count_exact)."
        )
        answer["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "Nur mit cursor: false, wenn count geschätzt ist (mehr als 10.000 Treffer).",
        }
        return answer

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Blättern per Cursor statt Seitenzahl: leer (cursor=) für die erste Seite, danach die Links "
                    "next/previous der Antwort. Gleiche Reihenfolge und Filter; jede Seite kostet gleich viel, "
                    "egal wie tief. count ist dann begrenzt (count_exact)."
                ),
                "schema": {"type": "string"},
            }
        )
        return parameters

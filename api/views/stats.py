"""/api/v1/stats/: the summary, the breakdowns and the filtered case list, as JSON, CSV or XLSX.

Thin doors: parse the filters (stats.filters, a bad one is a 400 naming it), narrow them to what the
caller may see, call one selector, render."""

from __future__ import annotations

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import StandardPagination
from api.serializers.stats import FORMAT_PARAMETER, STATS_PARAMETERS, BreakdownSerializer, StatsCaseSerializer
from core.errors import GuardFailed
from stats.exports import (
    FORMATS,
    Column,
    breakdown_table,
    case_columns,
    case_rows,
    csv_stream,
    dimension_title,
    export_check_format,
    export_filename,
    filter_rows,
    summary_table,
    xlsx_bytes,
)
from stats.filters import StatsFilters, stats_access_check, stats_filters_parse, stats_filters_scoped
from stats.selectors import DIMENSIONS, stats_breakdown, stats_cases, stats_summary


class _FileRenderer(BaseRenderer):
    """Lets DRF's ``?format=`` negotiation accept csv and xlsx; the views build the file themselves."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_FileRenderer):
    media_type = FORMATS["xlsx"]
    format = "xlsx"


class _StatsView(APIView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force=force)
        except Http404 as exc:  # DRF answers 404 for an unknown ?format=; it is bad input
            raise GuardFailed(_("Unbekanntes Format (csv oder xlsx)."), field="format") from exc

    def finalize_response(self, request, response, *args, **kwargs):
        # an error answer stays JSON when a file was asked for (?format=csv|xlsx): a client reads the reason
        if getattr(response, "status_code", 200) >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), _FileRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def filters(self, request: Request) -> StatsFilters:
        # the role check comes before the parameters: who may not see statistics learns nothing from them
        stats_access_check(user=request.user)
        return stats_filters_scoped(user=request.user, filters=stats_filters_parse(params=request.query_params))

    @staticmethod
    def export_format(request: Request) -> str | None:
        fmt = request.query_params.get("format")
        return export_check_format(fmt=fmt) if fmt and fmt != "json" and fmt != "api" else None


def _file_response(*, fmt: str, name: str, title: str, filters: StatsFilters, columns: list[Column], rows, sheet: str):
    """The file starts with its header row; the period and the filters name it (and fill the XLSX's sheet
    "Filter", with the moment it was made)."""
    filename = export_filename(name=name, filters=filters, fmt=fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(columns=columns, rows=rows), content_type=FORMATS["csv"])
    else:
        about = filter_rows(title=title, filters=filters, made_at=timezone.now())
        response = HttpResponse(
            xlsx_bytes(columns=columns, rows=rows, sheet=sheet, about=about), content_type=FORMATS["xlsx"]
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class StatsSummaryView(_StatsView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]

    @extend_schema(
        parameters=[*STATS_PARAMETERS, FORMAT_PARAMETER], responses=OpenApiTypes.OBJECT, summary="Kennzahlen (SPEC 8)"
    )
    def get(self, request: Request):
        filters = self.filters(request)
        fmt = self.export_format(request)
        summary = stats_summary(filters=filters)
        if fmt is None:
            return Response(summary)
        columns, table = summary_table(summary=summary)
        return _file_response(
            fmt=fmt,
            name="transferstatistik-kennzahlen",
            title=_("Transferstatistik: Kennzahlen"),
            filters=filters,
            columns=columns,
            rows=table,
            sheet=_("Kennzahlen"),
        )


class StatsBreakdownView(_StatsView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]

    @extend_schema(parameters=[*STATS_PARAMETERS, FORMAT_PARAMETER], responses=BreakdownSerializer)
    def get(self, request: Request, dimension: str):
        filters = self.filters(request)
        if dimension not in DIMENSIONS:
            raise GuardFailed(
                _("Unbekannte Aufschlüsselung; möglich: %(names)s") % {"names": ", ".join(DIMENSIONS)},
                field="dimension",
            )
        fmt = self.export_format(request)
        rows = stats_breakdown(filters=filters, dimension=dimension)
        if fmt is None:
            return Response(
                {
                    "dimension": dimension,
                    "period": {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat()},
                    "filters": filters.as_params(),
                    "results": rows,
                }
            )
        title = _("Transferstatistik nach %(dimension)s") % {"dimension": dimension_title(dimension)}
        columns, table = breakdown_table(dimension=dimension, rows=rows)
        return _file_response(
            fmt=fmt,
            name=f"transferstatistik-{dimension}",
            title=title,
            filters=filters,
            columns=columns,
            rows=table,
            sheet=dimension_title(dimension),
        )


class StatsCasesView(_StatsView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]

    @extend_schema(parameters=[*STATS_PARAMETERS, FORMAT_PARAMETER], responses=StatsCaseSerializer(many=True))
    def get(self, request: Request):
        filters = self.filters(request)
        fmt = self.export_format(request)
        cases = stats_cases(filters=filters)
        if fmt is None:
            paginator = StandardPagination()
            page = paginator.paginate_queryset(cases, request, view=self)
            return paginator.get_paginated_response(StatsCaseSerializer(page, many=True).data)
        return _file_response(
            fmt=fmt,
            name="transferstatistik-fallliste",
            title=_("Fallliste"),
            filters=filters,
            columns=case_columns(),
            rows=case_rows(cases),
            sheet=_("Fälle"),
        )

"""413 for request bodies over the limit, before anything reads them.

Django would answer an oversized body with a 400 page (RequestDataTooBig) when the body is first read; the API
contract wants 413 with a JSON body, and pages get a short 413 too. A missing Content-Length (chunked upload)
is left to Django's own limit on reading.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length < 0:
            return self._answer(request, 400, _("Ungültige Content-Length."), "bad_request")
        if limit is not None and length > limit:
            message = _("Die Anfrage ist zu groß (höchstens %(limit)d Bytes).") % {"limit": limit}
            return self._answer(request, 413, message, "too_large")
        return self.get_response(request)

    def _answer(self, request: HttpRequest, status: int, message: str, code: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": code}, status=status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")

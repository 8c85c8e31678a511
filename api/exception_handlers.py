"""Maps the domain error (core.errors) to HTTP, and keeps DRF's own answers in one shape:
``{"detail": "...", "code": "...", "field": "..."}``; validation errors keep DRF's field mapping."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError


def domain_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict = {"detail": str(exc.message), "code": exc.code}
        if exc.field:
            body["field"] = exc.field
            body[exc.field] = [str(exc.message)]
        return Response(body, status=exc.status)
    if isinstance(exc, ConcurrentTransition):
        return Response(
            {"detail": _("Die Anfrage wurde gleichzeitig geändert. Bitte neu laden."), "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": str(exc), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return exception_handler(exc, context)

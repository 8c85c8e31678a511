"""/intern/faelle/<id>/: the case page and its forms (owned by the case page work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def case_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    raise Http404


@login_required
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def case_followup_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def case_followup_done(request: HttpRequest, pk: int, fid: int) -> HttpResponse:
    raise Http404

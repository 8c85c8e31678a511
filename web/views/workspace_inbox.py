"""Reply templates (Textbausteine) and the user's notifications (owned by the templates and notifications work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def template_render(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@login_required
def template_edit(request: HttpRequest, tid: int | None = None) -> HttpResponse:
    raise Http404


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    raise Http404

"""/intern/faelle/: the case list (owned by the list and queues work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/workspace/case_list.html", {})

"""/intern/: the user's queues with their counts (``cases.queues``), each a link to the filtered case list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from cases.queues import COUNT_EXACT_UP_TO, queue_counts, queues_for


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not queues_for(user=request.user):
        return render(request, "web/workspace/no_role.html", status=403)
    list_url = reverse("web:case-list")
    queues = [
        {
            "slug": queue.slug,
            "label": queue.label,
            "count": count,
            # above the bound the count is not read to its end (cases.queues.COUNT_EXACT_UP_TO)
            "more_than": number_format(COUNT_EXACT_UP_TO, force_grouping=True) if count > COUNT_EXACT_UP_TO else "",
            "url": f"{list_url}?{urlencode({'queue': queue.slug})}",
        }
        for queue, count in queue_counts(user=request.user)
    ]
    return render(request, "web/workspace/home.html", {"queues": queues})

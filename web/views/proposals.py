"""/intern/faelle/<id>/vorschlaege/: the proposals of one case, and the staff's decision on each.

The page lists what the matching engine proposed (model projects, then partners) with the explanation, and a
form per open proposal. Deciding goes through ``matching.decisions.match_decide``, like the API and
the admin; the page then says what happened (assigned, introduction requested) or why nothing did, as a
message above the list (post/redirect/get). A case the user may not see is a 404, as in the API.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from cases.access import may_work_on
from cases.models import State
from cases.selectors import enquiry_get_visible
from core.errors import DomainError, NotVisible
from core.roles import is_coordinator
from matching.introductions import introductions_of
from matching.models import Match
from matching.proposals import match_decide
from matching.selectors import match_get, matches_of


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[(Match.Decision.ACCEPTED, _("Annehmen")), (Match.Decision.REJECTED, _("Ablehnen"))],
    )
    # the state the page showed: when the case moved on since, the decision is a conflict, not a surprise
    expected_state = forms.ChoiceField(label=_("Status"), choices=State.choices, required=False)


def _visible_case(request: HttpRequest, pk: int):
    try:
        return enquiry_get_visible(user=request.user, pk=pk)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc


@login_required
@require_GET
def proposals_page(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _visible_case(request, pk)
    matches = list(matches_of(enquiry=enquiry))
    may_decide = may_work_on(request.user, enquiry)
    context = {
        "enquiry": enquiry,
        "projects": [m for m in matches if m.kind == Match.Kind.MODEL_PROJECT],
        "partners": [m for m in matches if m.kind == Match.Kind.PARTNER],
        "introductions": list(introductions_of(enquiry=enquiry)),
        "may_decide": may_decide,
        # accepting a partner proposal assigns the case: the coordinators' step
        "may_accept_partner": may_decide and is_coordinator(request.user),
    }
    return render(request, "web/staff/proposals.html", context)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int, match_id: int) -> HttpResponse:
    enquiry = _visible_case(request, pk)
    try:
        match = match_get(enquiry=enquiry, match_id=match_id)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc
    back = _back_to(request, enquiry)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte „Annehmen“ oder „Ablehnen“ wählen."))
        return back
    try:
        outcome = match_decide(
            match=match,
            decision=form.cleaned_data["decision"],
            by=request.user,
            expected_state=form.cleaned_data["expected_state"] or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, outcome.text)
    return back


def _back_to(request: HttpRequest, enquiry) -> HttpResponse:
    """Back to the page the decision came from (``next``, a path of this site: the case page), else to the
    proposals page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("web:staff-proposals", pk=enquiry.pk)

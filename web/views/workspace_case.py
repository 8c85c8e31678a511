"""/intern/faelle/<id>/: the case page and its forms (SPEC section 9).

The page shows the case, its timeline, the transitions this user may take now (a button each, opening its form
by htmx or, without JavaScript, as the same page with the form open), internal notes, follow-ups, proposals
and introductions. Every form is a plain POST with a CSRF token to a route of its own and calls one service:
``cases.services.enquiry_transition`` (the API's door), ``cases.notes.note_add``, ``cases.followups``. Success
is post/redirect/get (303) with a message; bad input re-renders the page with the message next to the field
(400) and changes nothing; a lost race (409) says so plainly with the fresh state; no right is a 403 page; a
case the user may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import may_work_on
from cases.followups import followup_complete, followup_create
from cases.inbox import notifications_mark_seen
from cases.models import Enquiry, FollowUp, State
from cases.notes import note_add
from cases.selectors import enquiries_visible_to, enquiry_get_visible, enquiry_transitions_available
from cases.services import enquiry_transition
from cases.transitions import TRANSITIONS, transition_may
from core.errors import Conflict, DomainError, GuardFailed, NotAllowed, NotVisible
from web.case_forms import STEP_FORMS, FollowUpForm, NoteForm, StepForm
from web.case_page import case_page_context


def _visible_case(request: HttpRequest, pk: int) -> Enquiry:
    try:
        return enquiry_get_visible(user=request.user, pk=pk)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back_to_case(request: HttpRequest, enquiry: Enquiry) -> HttpResponse:
    """303 to the case page (or to the list when the step took the case out of the user's sight, as a
    partner's decline does); htmx follows HX-Redirect instead."""
    if enquiries_visible_to(user=request.user).filter(pk=enquiry.pk).exists():
        url = reverse("web:case-detail", kwargs={"pk": enquiry.pk})
    else:
        url = reverse("web:case-list")
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url, status=303)


def _page(request: HttpRequest, enquiry: Enquiry, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = case_page_context(request=request, enquiry=enquiry, **forms)
    return render(request, "web/workspace/case.html", context, status=status)


def _forbidden(request: HttpRequest, enquiry: Enquiry, message: Any) -> HttpResponse:
    return render(request, "web/workspace/case_forbidden.html", {"enquiry": enquiry, "message": message}, status=403)


def _conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """The lost race: the case as it is now, its buttons, and the plain sentence; nothing was written."""
    fresh = _visible_case(request, pk)
    return _page(request, fresh, status=409, conflict=True)


@login_required
@require_http_methods(["GET", "HEAD"])
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _visible_case(request, pk)
    # what was new on this case for this user has now been seen (before the frame counts the unread ones)
    notifications_mark_seen(user=request.user, enquiry=enquiry)
    return _page(request, enquiry)


def _step_form(name: str, enquiry: Enquiry, data: Any = None) -> StepForm:
    return STEP_FORMS[name](data, enquiry=enquiry)


def _step_response(request: HttpRequest, enquiry: Enquiry, name: str, form: StepForm, *, status: int) -> HttpResponse:
    form.mark_errors()
    if _is_htmx(request) and request.method == "GET":
        context = {"enquiry": enquiry, "step": name, "step_label": TRANSITIONS[name].label, "form": form}
        response = render(request, "web/workspace/_transition_form.html", context)
    else:
        response = _page(request, enquiry, status=status, step=name, step_form=form)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """GET: the step's form (a fragment for htmx, else the case page with the form open). POST: take the step
    through ``enquiry_transition`` with the state the page showed."""
    enquiry = _visible_case(request, pk)
    if name not in STEP_FORMS:
        raise Http404(_("Unbekannter Schritt."))
    if request.method != "POST":
        available = {t["name"] for t in enquiry_transitions_available(enquiry=enquiry, user=request.user)}
        if name not in available:
            if not transition_may(enquiry=enquiry, name=name, user=request.user, actor=None):
                return _forbidden(request, enquiry, _("Diesen Schritt dürfen Sie bei dieser Anfrage nicht ausführen."))
            if _is_htmx(request):
                return render(request, "web/workspace/_step_unavailable.html", {"enquiry": enquiry})
            return _page(request, enquiry, status=409, conflict=True)
        return _step_response(request, enquiry, name, _step_form(name, enquiry), status=200)

    form = _step_form(name, enquiry, request.POST)
    if not form.is_valid():
        return _step_response(request, enquiry, name, form, status=400)
    try:
        enquiry_transition(enquiry=enquiry, name=name, by=request.user, payload=form.payload())
    except Conflict:
        return _conflict(request, pk)
    except NotAllowed as exc:
        return _forbidden(request, enquiry, exc.message)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc
    except GuardFailed as exc:
        form.error_on(exc.field, exc.message)
        return _step_response(request, enquiry, name, form, status=400)
    enquiry.refresh_from_db(fields=["state"])
    messages.success(
        request,
        _("„%(step)s“ ausgeführt. Status jetzt: %(state)s.")
        % {"step": TRANSITIONS[name].label, "state": State(enquiry.state).label},
    )
    return _back_to_case(request, enquiry)


@login_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _visible_case(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_add(enquiry=enquiry, by=request.user, text=form.cleaned_data["text"])
        except NotAllowed as exc:
            return _forbidden(request, enquiry, exc.message)
        except GuardFailed as exc:
            form.add_error("text", str(exc.message))
        else:
            messages.success(request, _("Notiz gespeichert."))
            return _back_to_case(request, enquiry)
    form.mark_errors()
    return _page(request, enquiry, status=400, note_form=form)


@login_required
@require_POST
def case_followup_create(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _visible_case(request, pk)
    if not may_work_on(request.user, enquiry):
        return _forbidden(request, enquiry, _("Sie dürfen bei dieser Anfrage keine Wiedervorlage anlegen."))
    form = FollowUpForm(request.POST, enquiry=enquiry, me=request.user)
    if form.is_valid():
        try:
            followup_create(
                enquiry=enquiry,
                by=request.user,
                due_at=form.due_at(),
                note=form.cleaned_data["note"],
                assignee=form.cleaned_data["assignee"],
            )
        except NotAllowed as exc:
            return _forbidden(request, enquiry, exc.message)
        except GuardFailed as exc:
            form.error_on(exc.field, exc.message)
        else:
            messages.success(request, _("Wiedervorlage angelegt."))
            return _back_to_case(request, enquiry)
    form.mark_errors()
    return _page(request, enquiry, status=400, followup_form=form)


@login_required
@require_POST
def case_followup_done(request: HttpRequest, pk: int, fid: int) -> HttpResponse:
    enquiry = _visible_case(request, pk)
    follow_up = FollowUp.objects.filter(enquiry=enquiry, pk=fid).first()
    if follow_up is None:
        raise Http404(_("Wiedervorlage nicht gefunden."))
    follow_up.enquiry = enquiry
    try:
        followup_complete(follow_up=follow_up, by=request.user)
    except NotAllowed as exc:
        return _forbidden(request, enquiry, exc.message)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc
    except DomainError as exc:  # already done (Conflict)
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Wiedervorlage erledigt."))
    return _back_to_case(request, enquiry)

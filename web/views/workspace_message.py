"""/intern/faelle/<id>/nachricht/: the free message to the municipality ("Nachricht an die Kommune") from the
case page; no state change. GET opens the form (a fragment for htmx, else the case page with the form open), POST
sends it through ``cases.messages.enquiry_message_send``, the API's service. Like the other case forms: success
is 303 to the case page with a message; bad input re-renders the page with the message next to the field (400)
and sends nothing; no right is a 403 page; a case the user may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.access import may_work_on
from cases.messages import enquiry_message_send
from cases.models import Enquiry
from core.errors import GuardFailed, NotAllowed
from web.case_forms import CaseMessageForm
from web.case_page import case_page_context
from web.views.workspace_case import _back_to_case, _forbidden, _is_htmx, _visible_case


def _form_response(request: HttpRequest, enquiry: Enquiry, form: CaseMessageForm, *, status: int) -> HttpResponse:
    form.mark_errors()
    if _is_htmx(request) and request.method == "GET":
        response = render(request, "web/workspace/_case_message_form.html", {"enquiry": enquiry, "message_form": form})
    else:
        context = case_page_context(request=request, enquiry=enquiry)
        context["message_form"] = form
        response = render(request, "web/workspace/case.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_message(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _visible_case(request, pk)
    if not may_work_on(request.user, enquiry):
        return _forbidden(request, enquiry, _("Sie dürfen dieser Kommune zu dieser Anfrage keine Nachricht schreiben."))
    if request.method != "POST":
        return _form_response(request, enquiry, CaseMessageForm(), status=200)
    form = CaseMessageForm(request.POST)
    if form.is_valid():
        try:
            enquiry_message_send(
                enquiry=enquiry,
                by=request.user,
                message=form.cleaned_data["message"],
                subject=form.cleaned_data["subject"],
            )
        except NotAllowed as exc:
            return _forbidden(request, enquiry, exc.message)
        except GuardFailed as exc:
            form.error_on(exc.field, exc.message)
        else:
            messages.success(request, _("Nachricht an %(address)s gesendet.") % {"address": enquiry.contact_email})
            return _back_to_case(request, enquiry)
    return _form_response(request, enquiry, form, status=400)

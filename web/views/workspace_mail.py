"""The workspace's inbound e-mail (SPEC section 10): the Posteingang of mail that belongs to no case, one stray
mail with the coordinator's three actions, and the original of any mail.

| route | who | what |
| --- | --- | --- |
| /intern/posteingang/ | coordinators; managers read | the unmatched mails, newest first |
| /intern/posteingang/<id>/ | the same | the mail and the forms "Als neue Anfrage anlegen", "Einem Fall zuordnen", "Verwerfen" (coordinators) |
| /intern/posteingang/<id>/anfrage/, /zuordnen/, /verwerfen/ | coordinators | POST; one service of ``conversation.triage`` each (the API's doors) |
| /intern/emails/<id>/ | staff who may see the case; stray mail: coordinators and managers | headers, the whole text, problems, attachments, the .eml |

Other roles get the 403 page; a mail the user may not see is a 404. Success redirects (303) to the new or filed
case with a message; bad input re-renders the mail with the message at the field (400); a mail handled
meanwhile says so (409).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.intake import LIMITS
from cases.models import Enquiry, SupportType
from catalogue.models import Municipality
from conversation.models import InboundEmail
from conversation.selectors import inbound_email_get_visible, inbound_emails_list, may_read_stray_mail
from conversation.triage import (
    enquiry_find_for_filing,
    inbound_email_dismiss,
    inbound_email_file,
    inbound_email_to_enquiry,
)
from core.errors import Conflict, DomainError, GuardFailed, NotAllowed, NotVisible
from core.roles import is_coordinator
from core.text import fold
from web.case_forms import CaseForm
from web.views.public import municipality_kind_labels

PAGE_SIZE = 50


class MailEnquiryForm(CaseForm):
    """ "Als neue Anfrage anlegen": the municipality through the directory search of the public form (public.js
    fills the hidden key; without JavaScript the key or an unambiguous name in the search field is enough)."""

    municipality = forms.CharField(required=False, widget=forms.HiddenInput, max_length=8)
    municipality_search = forms.CharField(
        label=gettext_lazy("Kommune"),
        max_length=200,
        help_text=gettext_lazy("Name oder amtlicher Gemeindeschlüssel, z. B. „Bamberg“ oder „09461000“"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "municipality-results",
            }
        ),
    )
    subject = forms.CharField(label=gettext_lazy("Betreff"), max_length=LIMITS["subject"])
    support_type = forms.ChoiceField(
        label=gettext_lazy("Art der Unterstützung"), choices=SupportType.choices, initial=SupportType.INFORMATION
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        key = (cleaned.get("municipality") or "").strip()
        text = (cleaned.get("municipality_search") or "").strip()
        found = None
        for candidate in (key, text):
            if candidate.isascii() and candidate.isdigit() and len(candidate) in (5, 8):
                found = Municipality.objects.filter(ags=candidate).first()
                if found is not None:
                    break
        if found is None and text and not text.isdigit():
            matches = list(Municipality.objects.filter(search_name=fold(text.split(" (")[0]))[:2])
            found = matches[0] if len(matches) == 1 else None
        if found is None and "municipality_search" not in self.errors:
            self.add_error(
                "municipality_search",
                _("Bitte die Kommune aus der Liste wählen (oder den 8-stelligen Schlüssel eingeben)."),
            )
        cleaned["municipality_obj"] = found
        return cleaned


class MailFileForm(CaseForm):
    enquiry = forms.CharField(
        label=gettext_lazy("Aktenzeichen"),
        max_length=60,
        help_text=gettext_lazy("z. B. KTS-2026-000031 oder die Nummer des Falls"),
    )


def _may_read(request: HttpRequest) -> None:
    if not may_read_stray_mail(request.user):
        raise PermissionDenied


def _stray_mail(request: HttpRequest, pk: int) -> InboundEmail:
    _may_read(request)
    try:
        return inbound_email_get_visible(user=request.user, pk=pk)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc


def _to_case(request: HttpRequest, enquiry: Enquiry, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("web:case-detail", kwargs={"pk": enquiry.pk}), status=303)


def _triage_page(
    request: HttpRequest,
    email: InboundEmail,
    *,
    status: int = 200,
    enquiry_form: MailEnquiryForm | None = None,
    file_form: MailFileForm | None = None,
    conflict: str = "",
) -> HttpResponse:
    for form in (enquiry_form, file_form):
        if form is not None:
            form.mark_errors()
    context = {
        "mail": email,
        "attachments": list(email.attachments.all()),
        "may_act": is_coordinator(request.user) and email.status == InboundEmail.Status.UNMATCHED,
        "enquiry_form": enquiry_form
        or MailEnquiryForm(initial={"subject": email.subject[: LIMITS["subject"]], "support_type": "information"}),
        "file_form": file_form or MailFileForm(),
        "kind_labels": municipality_kind_labels(),
        "conflict": conflict,
    }
    return render(request, "web/workspace/mail_triage.html", context, status=status)


@login_required
@require_GET
def mail_inbox(request: HttpRequest) -> HttpResponse:
    """The mails that wait for a coordinator, newest first (50 a page)."""
    _may_read(request)
    paginator = Paginator(inbound_emails_list(status=InboundEmail.Status.UNMATCHED), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "web/workspace/mail_inbox.html",
        {"page": page, "emails": page.object_list, "may_act": is_coordinator(request.user)},
    )


@login_required
@require_GET
def mail_triage(request: HttpRequest, pk: int) -> HttpResponse:
    return _triage_page(request, _stray_mail(request, pk))


def _acting(request: HttpRequest, email: InboundEmail, action: Any, **forms_: Any) -> HttpResponse | Any:
    """Run one triage service; its domain errors become the page's answer (returned as an HttpResponse)."""
    try:
        return action()
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except Conflict as exc:
        email.refresh_from_db()
        return _triage_page(request, email, status=409, conflict=str(exc.message), **forms_)
    except GuardFailed as exc:
        for form in forms_.values():
            field = {"municipality": "municipality_search"}.get(exc.field or "", exc.field)
            form.error_on(field, exc.message)
        return _triage_page(request, email, status=400, **forms_)


@login_required
@require_POST
def mail_to_enquiry(request: HttpRequest, pk: int) -> HttpResponse:
    email = _stray_mail(request, pk)
    form = MailEnquiryForm(request.POST)
    if not form.is_valid():
        return _triage_page(request, email, status=400, enquiry_form=form)
    data = form.cleaned_data
    result = _acting(
        request,
        email,
        lambda: inbound_email_to_enquiry(
            email=email,
            by=request.user,
            municipality=data["municipality_obj"],
            subject=data["subject"],
            support_type=data["support_type"],
        ),
        enquiry_form=form,
    )
    if isinstance(result, HttpResponse):
        return result
    return _to_case(
        request, result, _("Anfrage %(reference)s aus der E-Mail angelegt.") % {"reference": result.reference}
    )


@login_required
@require_POST
def mail_file(request: HttpRequest, pk: int) -> HttpResponse:
    email = _stray_mail(request, pk)
    form = MailFileForm(request.POST)
    if not form.is_valid():
        return _triage_page(request, email, status=400, file_form=form)

    def file() -> Enquiry:
        enquiry = enquiry_find_for_filing(value=form.cleaned_data["enquiry"])
        inbound_email_file(email=email, enquiry=enquiry, by=request.user)
        return enquiry

    result = _acting(request, email, file, file_form=form)
    if isinstance(result, HttpResponse):
        return result
    return _to_case(request, result, _("E-Mail dem Fall %(reference)s zugeordnet.") % {"reference": result.reference})


@login_required
@require_POST
def mail_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    email = _stray_mail(request, pk)
    try:
        inbound_email_dismiss(email=email, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        email.refresh_from_db()
        return _triage_page(request, email, status=exc.status, conflict=str(exc.message))
    messages.success(request, _("E-Mail verworfen."))
    return HttpResponseRedirect(reverse("web:mail-inbox"), status=303)


@login_required
@require_GET
def mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole mail as received: staff who may see its case; mail without a case, coordinators and managers."""
    try:
        email = inbound_email_get_visible(user=request.user, pk=pk)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc
    context = {
        "mail": email,
        "attachments": list(email.attachments.all()),
        "problems": [line for line in email.problems.splitlines() if line.strip()],
        "recipients": [a.strip() for a in email.to_addresses.replace("\n", ",").split(",") if a.strip()],
    }
    response = render(request, "web/workspace/mail_detail.html", context)
    response["Cache-Control"] = "private, no-store"
    return response

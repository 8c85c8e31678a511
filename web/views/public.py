"""The municipality's pages: the enquiry form, the thank-you page and the status page (the token is the key).

Thin doors: the form checks the input, ``cases.intake.enquiry_submit`` and ``enquiry_transition`` store it,
and a DomainError is shown as a message on the page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.idempotency import body_fingerprint, key_clean, submission_once
from cases.intake import enquiry_submit
from cases.public_messages import enquiry_public_message, public_message_answers_question, public_message_possible
from cases.rules import MUNICIPALITY, STATE_MESSAGES
from cases.selectors import enquiry_get_by_token, enquiry_timeline, enquiry_transitions_available
from cases.services import enquiry_transition
from core.errors import DomainError, KeyReused, NotVisible
from core.throttles import SubmitRateThrottle
from matching.selectors import enquiry_public_status
from web.forms import EnquiryForm, ReplyForm, measure_from_query

THANKS_SESSION_KEY = "kts_submitted"


def municipality_kind_labels() -> dict[str, str]:
    """The directory's kind slugs as people say them, for the search list of public.js.

    Built per request (not at import) so the labels follow the language of the request; the page hands them
    to the script as a JSON script tag, which spares a JavaScript translation catalogue.
    """
    return {
        "markt": _("Markt"),
        "kreisfreie_stadt": _("kreisfreie Stadt"),
        "stadtkreis": _("Stadtkreis"),
        "stadt": _("Stadt"),
        "gemeinde": _("Gemeinde"),
        "grosse_kreisstadt": _("Große Kreisstadt"),
        "kreis": _("Kreis"),
        "landkreis": _("Landkreis"),
        "regionalverband": _("Regionalverband"),
        # the level, after a kind that exists at both (a kreisfreie Stadt is a Gemeinde and a Kreis)
        "_district_level": _("Kreisebene"),
        "_municipality_level": _("Gemeinde"),
        # what the search says in its live region (role=status), so that screen readers hear it too
        "_none_found": _(
            "Keine Kommune gefunden. Bitte prüfen Sie die Schreibweise oder geben Sie den 8-stelligen Schlüssel ein."
        ),
        "_found_one": _("1 Kommune gefunden. Mit der Pfeiltaste nach unten wählen Sie sie aus."),
        "_found_many": _("%s Kommunen gefunden. Mit der Pfeiltaste nach unten wählen Sie eine aus."),
        "_search_failed": _("Die Suche ist gerade nicht erreichbar. Bitte geben Sie den 8-stelligen Schlüssel ein."),
    }


def _form_context(form: EnquiryForm, *, measure=None, measure_not_found: bool = False) -> dict:
    if measure is None and form.is_bound and not form["measure"].errors:
        # after a failed submit the measure named by the hidden field stays named
        measure = getattr(form, "cleaned_data", {}).get("measure")
    return {
        "form": form,
        "kind_labels": municipality_kind_labels(),
        "measure": measure,
        "measure_not_found": measure_not_found,
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/public/home.html")


@require_http_methods(["GET", "POST"])
def enquiry_form(request: HttpRequest) -> HttpResponse:
    form = EnquiryForm(request.POST or None)
    if request.method == "POST":
        if not SubmitRateThrottle().allow_request(request, None):
            return render(request, "web/public/too_many.html", status=429)
        if request.POST.get("website"):
            # the honeypot was filled: a bot. Refused without storing, with no hint why.
            return render(request, "web/public/form.html", _form_context(form), status=400)
        if form.is_valid():
            data = form.cleaned_data
            submission = {
                "municipality_ags": form.municipality_obj.ags,
                "contact_name": data["contact_name"],
                "contact_email": data["contact_email"],
                "contact_phone": data["contact_phone"],
                "contact_role": data["contact_role"],
                "subject": data["subject"],
                "message": data["message"],
                "topic_slugs": [t.slug for t in data["topics"]],
                "support_type": data["support_type"],
                "consent": data["consent"],
                "language": get_language() or settings.LANGUAGE_CODE,
                "measure_id": data["measure"].pk if data.get("measure") else None,
            }

            def submit() -> tuple[Any, int, dict]:
                enquiry = enquiry_submit(**submission)
                return enquiry, 302, {"reference": enquiry.reference, "token": enquiry.public_token}

            try:
                key = key_clean(data["idempotency_key"], field="idempotency_key")
                if key is None:
                    _enquiry, _status, thanks = submit()
                else:
                    # sent twice (a double click, a reload): the same thank-you page, one enquiry, one mail
                    _status, thanks, _repeated = submission_once(
                        door="form", key=key, fingerprint=body_fingerprint(submission), submit=submit
                    )
            except KeyReused:
                # the key of a form already sent, with other content (back, edited, sent): a new enquiry
                # needs a new key, so the form is drawn again with one
                fresh = request.POST.copy()
                fresh["idempotency_key"] = uuid.uuid4().hex
                form = EnquiryForm(fresh)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Dieses Formular wurde bereits mit anderem Inhalt gesendet. Bitte prüfen Sie Ihre Angaben "
                        "und senden Sie es erneut, wenn Sie eine weitere Anfrage stellen möchten."
                    ),
                )
                return render(request, "web/public/form.html", _form_context(form), status=422)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, ValidationError(str(exc.message)))
            else:
                request.session[THANKS_SESSION_KEY] = thanks
                return redirect("web:public-thanks")
        return render(request, "web/public/form.html", _form_context(form), status=400)
    # opened from a measure page ("Zu dieser Maßnahme anfragen"): the measure is named and sent along
    measure, not_found = measure_from_query(request.GET.get("massnahme"))
    if measure is not None:
        form = EnquiryForm(initial={"measure": measure.pk})
    return render(request, "web/public/form.html", _form_context(form, measure=measure, measure_not_found=not_found))


def enquiry_thanks(request: HttpRequest) -> HttpResponse:
    submitted = request.session.get(THANKS_SESSION_KEY)
    if not submitted:
        return redirect("web:public-form")
    status_path = reverse("web:public-status", kwargs={"token": submitted["token"]})
    return render(
        request,
        "web/public/thanks.html",
        {"reference": submitted["reference"], "status_url": request.build_absolute_uri(status_path)},
    )


def link_not_found(request: HttpRequest) -> HttpResponse:
    """The German page of a bad or expired token link, status 404. Rendered, not raised: under DEBUG (``make
    run``) Django would answer a raised Http404 with its technical page, in English, naming the routes."""
    return render(request, "404.html", {"token_link": True}, status=404)


def enquiry_status(request: HttpRequest, token: str, reply_form: ReplyForm | None = None) -> HttpResponse:
    try:
        enquiry = enquiry_get_by_token(token=token)
    except NotVisible:
        return link_not_found(request)
    # what the token holder may do, from the same rules the API and the services apply
    allowed = {t["name"] for t in enquiry_transitions_available(enquiry=enquiry, user=None, actor=MUNICIPALITY)}
    context = {
        "enquiry": enquiry,
        "token": token,
        "status_text": STATE_MESSAGES[enquiry.state],
        "timeline": enquiry_timeline(enquiry=enquiry, public_only=True),
        "status": enquiry_public_status(enquiry=enquiry),
        # a message at any open state; in awaiting_reply it answers the question
        "can_reply": public_message_possible(enquiry),
        "reply_answers": public_message_answers_question(enquiry),
        "can_withdraw": "withdraw" in allowed,
        "reply_form": reply_form or ReplyForm(),
    }
    return render(request, "web/public/status.html", context, status=400 if reply_form is not None else 200)


@require_POST
def enquiry_reply(request: HttpRequest, token: str) -> HttpResponse:
    try:
        enquiry = enquiry_get_by_token(token=token)
    except NotVisible:
        return link_not_found(request)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return enquiry_status(request, token, reply_form=form)
    answers = public_message_answers_question(enquiry)
    try:
        enquiry_public_message(enquiry=enquiry, payload={"message": form.cleaned_data["message"]})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if answers:
            messages.success(request, _("Vielen Dank, Ihre Antwort ist eingegangen."))
        else:
            messages.success(request, _("Vielen Dank, Ihre Nachricht ist eingegangen."))
    return redirect("web:public-status", token=token)


@require_POST
def enquiry_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    try:
        enquiry = enquiry_get_by_token(token=token)
    except NotVisible:
        return link_not_found(request)
    try:
        enquiry_transition(enquiry=enquiry, name="withdraw", by=None, actor=MUNICIPALITY, payload={})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Ihre Anfrage wurde zurückgezogen."))
    return redirect("web:public-status", token=token)

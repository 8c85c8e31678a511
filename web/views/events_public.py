"""The public pages of an event, reached by a personal token link from an e-mail (no account):

- /veranstaltungen/anmeldung/<token>/: the invited municipality sees the event and registers or declines; a
  registered one may withdraw (its seat goes to the first on the waiting list) and download the calendar file;
- /veranstaltungen/mitwirkung/<token>/: the model project's contact says whether it presents.

An unknown token gets a German "not found" page (404); an answer that is not possible (cancelled, past,
deadline over, given already) a page that says why (400/409) and stores nothing.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import Conflict, DomainError, NotVisible
from events.ics import event_calendar
from events.models import Event, Invitation, Presenter
from events.records import MAX_NOTE
from events.registrations import access_link_shown, invitation_get_by_token, registration_answer, registration_refusal
from events.services import presenter_answer, presenter_get_by_token


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Antwort"),
        choices=[("yes", pgettext_lazy("event", "Anmelden")), ("no", _("Absagen"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Nachricht an die Transferstelle (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "web/events/invalid.html", status=404)


@require_http_methods(["GET", "POST"])
def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_get_by_token(token=token)
    except NotVisible:
        return _invalid(request)
    form = AnswerForm(request.POST or None)
    status, message, refused = 200, None, None
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = registration_answer(
                    token=token, register=form.cleaned_data["answer"] == "yes", note=form.cleaned_data["note"]
                )
            except NotVisible:
                return _invalid(request)
            except DomainError as exc:
                status = exc.status
                refused = str(exc.message)
                invitation.refresh_from_db()
            else:
                message = {
                    Invitation.State.REGISTERED: _(
                        "Sie sind angemeldet. Die Bestätigung mit dem Kalendereintrag ist per E-Mail unterwegs."
                    ),
                    Invitation.State.WAITLISTED: _(
                        "Die Veranstaltung ist ausgebucht: Sie stehen auf der Warteliste. Wir schreiben Ihnen, "
                        "sobald ein Platz frei wird."
                    ),
                    Invitation.State.DECLINED: _("Danke für Ihre Rückmeldung. Sie haben abgesagt."),
                    Invitation.State.WITHDRAWN: _("Sie haben sich abgemeldet. Danke, dass Sie Bescheid gegeben haben."),
                }[invitation.state]
                form = AnswerForm()
        else:
            status = 400
    event = invitation.event
    if refused is None and request.method == "GET":
        refusal = registration_refusal(invitation=invitation)
        refused = str(refusal.message) if refusal is not None else None
    context = {
        "invitation": invitation,
        "event": event,
        "form": form,
        "message": message,
        "refused": refused,
        "presenters": event.presenters.filter(state=Presenter.State.ACCEPTED).select_related("model_project"),
        "topics": event.topics.all(),
        "is_full": event.state == Event.State.FULL,
        "access_link": access_link_shown(invitation=invitation),
    }
    return render(request, "web/events/registration.html", context, status=status)


@require_GET
def registration_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar file of a registered invitation (the same as the e-mail's attachment)."""
    try:
        invitation = invitation_get_by_token(token=token)
    except NotVisible:
        return _invalid(request)
    if invitation.state != Invitation.State.REGISTERED or invitation.event.state == Event.State.CANCELLED:
        return _invalid(request)
    response = HttpResponse(event_calendar(event=invitation.event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="veranstaltung.ics"'
    return response


class PresenterForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Antwort"), choices=[("yes", _("Zusagen")), ("no", _("Absagen"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Nachricht an die Transferstelle (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_http_methods(["GET", "POST"])
def presenter_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        presenter = presenter_get_by_token(token=token)
    except NotVisible:
        return _invalid(request)
    form = PresenterForm(request.POST or None)
    status, done, refused = 200, False, None
    if request.method == "POST":
        if form.is_valid():
            try:
                presenter = presenter_answer(
                    token=token, accept=form.cleaned_data["answer"] == "yes", note=form.cleaned_data["note"]
                )
                done = True
            except NotVisible:
                return _invalid(request)
            except (Conflict, DomainError) as exc:
                status, refused = exc.status, str(exc.message)
                presenter.refresh_from_db()
        else:
            status = 400
    elif presenter.state != Presenter.State.REQUESTED:
        refused = str(_("Diese Anfrage wurde bereits beantwortet."))
    context = {"presenter": presenter, "event": presenter.event, "form": form, "done": done, "refused": refused}
    return render(request, "web/events/presenter.html", context, status=status)

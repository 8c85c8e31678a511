"""The model project's answer page (/vermittlung/<token>/): accept or decline an introduction, no account.

An unknown token gets a German "not found" page (404), a used one a page that says so (410); neither stores
anything.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.errors import Conflict, GuardFailed, NotVisible
from matching.introductions import MAX_NOTE, introduction_answer, introduction_answerable, introduction_get_by_token
from matching.models import Introduction


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Antwort"), choices=[("accept", _("Zusagen")), ("decline", _("Absagen"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Nachricht an die Transferstelle (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "web/introductions/invalid.html", status=404)


def _used(request: HttpRequest, introduction: Introduction) -> HttpResponse:
    return render(request, "web/introductions/used.html", {"introduction": introduction}, status=410)


@require_http_methods(["GET", "POST"])
def introduction_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        introduction = introduction_get_by_token(token=token)
    except NotVisible:
        return _invalid(request)
    if not introduction_answerable(introduction=introduction):
        return _used(request, introduction)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            accept = form.cleaned_data["answer"] == "accept"
            try:
                introduction = introduction_answer(token=token, accept=accept, note=form.cleaned_data["note"])
            except NotVisible:
                return _invalid(request)
            except Conflict:
                introduction.refresh_from_db()
                return _used(request, introduction)
            except GuardFailed as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                return render(
                    request, "web/introductions/done.html", {"introduction": introduction, "accepted": accept}
                )
        status = 400
    context = {"introduction": introduction, "enquiry": introduction.enquiry, "form": form}
    return render(request, "web/introductions/answer.html", context, status=status)

"""Survey pages behind a token link, no account (German first): /umfrage/<token>/."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from cases.models import SurveyResponse
from cases.surveys import survey_answer, survey_get_open
from core.errors import DomainError

USEFUL_CHOICES = [("yes", _("ja")), ("no", _("nein"))]


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Wie zufrieden waren Sie mit der Unterstützung der Transferstelle?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = gar nicht zufrieden, 5 = sehr zufrieden"),
    )
    useful = forms.ChoiceField(
        label=_("War die Unterstützung für Ihr Vorhaben hilfreich?"), choices=USEFUL_CHOICES, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Möchten Sie uns noch etwas sagen?"), required=False, max_length=4000, widget=forms.Textarea
    )


class AdoptionForm(forms.Form):
    adopted = forms.ChoiceField(
        label=_("Haben Sie eine Lösung eines Modellprojekts übernommen?"),
        choices=SurveyResponse.Adopted.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Was hat sich bei Ihnen dadurch verändert?"), required=False, max_length=4000, widget=forms.Textarea
    )


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "web/surveys/refused.html", {"message": error.message}, status=error.status)


@never_cache
@csrf_protect
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        survey = survey_get_open(token=token)
    except DomainError as error:
        return _refused(request, error)
    form_class = SatisfactionForm if survey.kind == SurveyResponse.Kind.SATISFACTION else AdoptionForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_answer(
                token=token,
                score=data.get("score"),
                useful={"yes": True, "no": False}.get(data.get("useful", "")),
                adopted=data.get("adopted", ""),
                comment=data.get("comment", ""),
            )
        except DomainError as error:
            return _refused(request, error)
        return render(request, "web/surveys/thanks.html", {"survey": survey})
    status = 400 if request.method == "POST" else 200
    return render(request, "web/surveys/form.html", {"survey": survey, "form": form}, status=status)

"""/intern/veranstaltungen/<id>/: one event and its forms (issue 15, parts 2-4).

| route (POST) | who | service |
| --- | --- | --- |
| schritte/<name>/ | coordinators | ``events.services.EVENT_SERVICES[name]`` with the state the page showed (cancel: with ``Grund``) |
| einladungen/ | coordinators | ``invitations_send`` with the checked enquiries |
| teilnahme/ | coordinators | ``attendance_record`` with the checked invitations |
| ergebnisse/ | whoever may resolve the case (the assigned partner's staff) | ``event_resolve_cases``: one invitation or all |

Success is post/redirect/get (303) with a message; bad input re-renders the page with the message at its form
(400) and changes nothing; a lost race (409) says so with the event as it is now; no right is the 403 page; an
event the user may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from cases.models import Enquiry
from core.errors import Conflict, DomainError, NotAllowed, NotVisible
from events.models import Event
from events.outcomes import attendance_record, event_resolve_cases
from events.registrations import invitations_send
from events.services import EVENT_SERVICES
from events.transitions import STAFF_TRANSITIONS, TRANSITIONS, may_organise
from web.event_forms import CancelForm, expected_state_posted, ids_posted
from web.event_page import event_page_context, outcome_rows
from web.views.workspace_events import forbidden, to_event, visible_event


def _page(request: HttpRequest, event: Event, *, status: int = 200, **extra: Any) -> HttpResponse:
    cancel_form = extra.get("cancel_form")
    if cancel_form is not None:
        cancel_form.mark_errors()
    context = event_page_context(request=request, event=event, **extra)
    return render(request, "web/workspace/events/detail.html", context, status=status)


def _answer(request: HttpRequest, pk: int, exc: DomainError, *, form: str, **extra: Any) -> HttpResponse:
    """A service's refusal as the page's answer: 403 page, 404, or the event as it is now with the message at
    the form it concerns (400) or as the lost race (409)."""
    if isinstance(exc, NotAllowed):
        return forbidden(request, exc.message)
    if isinstance(exc, NotVisible):
        raise Http404(str(exc.message)) from exc
    event = visible_event(request, pk)
    if isinstance(exc, Conflict):
        return _page(request, event, status=409, conflict=str(exc.message), **extra)
    return _page(request, event, status=exc.status, errors={form: str(exc.message)}, **extra)


@login_required
@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, visible_event(request, pk))


@login_required
@require_POST
def event_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    event = visible_event(request, pk)
    if name not in STAFF_TRANSITIONS:
        raise Http404(_("Unbekannter Schritt."))
    if not may_organise(request.user):
        return forbidden(request, _("Dazu fehlt Ihnen die Berechtigung."))
    expected = expected_state_posted(request.POST)
    kwargs: dict[str, Any] = {"event": event, "by": request.user, "expected_state": expected}
    cancel_form = None
    if name == "cancel":
        cancel_form = CancelForm(request.POST)
        if not cancel_form.is_valid():
            return _page(request, event, status=400, cancel_form=cancel_form)
        kwargs["reason"] = cancel_form.cleaned_data["reason"]
    try:
        event = EVENT_SERVICES[name](**kwargs)
    except DomainError as exc:
        if cancel_form is not None and exc.field == "reason":
            cancel_form.error_on("reason", exc.message)
            return _page(request, visible_event(request, pk), status=400, cancel_form=cancel_form)
        extra = {"cancel_form": cancel_form} if cancel_form is not None else {}
        return _answer(request, pk, exc, form="steps", **extra)
    messages.success(
        request,
        _("„%(step)s“ ausgeführt. Status jetzt: %(state)s.")
        % {"step": TRANSITIONS[name].label, "state": Event.State(event.state).label},
    )
    return to_event(event)


@login_required
@require_POST
def event_invite(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    if not may_organise(request.user):
        return forbidden(request, _("Einladungen versenden nur Koordinatorinnen und Koordinatoren."))
    ids = ids_posted(request.POST.getlist("enquiries"))
    if ids is None:
        return _page(request, event, status=400, errors={"invite": _("Ungültige Auswahl.")})
    found = {e.pk: e for e in Enquiry.objects.filter(pk__in=ids).select_related("municipality")}
    if len(found) != len(set(ids)):
        return _page(request, event, status=400, errors={"invite": _("Eine gewählte Anfrage gibt es nicht.")})
    try:
        result = invitations_send(event=event, enquiries=[found[i] for i in dict.fromkeys(ids)], by=request.user)
    except DomainError as exc:
        return _answer(request, pk, exc, form="invite")
    if result.invited:
        n = len(result.invited)
        messages.success(request, ngettext("%(n)d Einladung versendet.", "%(n)d Einladungen versendet.", n) % {"n": n})
    for enquiry, reason in result.skipped:
        messages.warning(
            request,
            _("Nicht eingeladen: %(reference)s (%(municipality)s): %(reason)s")
            % {"reference": enquiry.reference, "municipality": enquiry.municipality.short_name, "reason": reason},
        )
    return to_event(event)


@login_required
@require_POST
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    if not may_organise(request.user):
        return forbidden(request, _("Die Teilnahme erfassen nur Koordinatorinnen und Koordinatoren."))
    ids = ids_posted(request.POST.getlist("attended"))
    if ids is None:
        return _page(request, event, status=400, errors={"attendance": _("Ungültige Auswahl.")})
    try:
        came = attendance_record(event=event, attended=ids, by=request.user)
    except DomainError as exc:
        return _answer(request, pk, exc, form="attendance")
    messages.success(
        request,
        ngettext(
            "Teilnahme gespeichert: %(n)d Kommune hat teilgenommen.",
            "Teilnahme gespeichert: %(n)d Kommunen haben teilgenommen.",
            came,
        )
        % {"n": came},
    )
    return to_event(event)


@login_required
@require_POST
def event_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """One case (``invitation=<id>``) or all the user may resolve (``invitation=all``) as exchange_held."""
    event = visible_event(request, pk)
    rows = outcome_rows(event=event, user=request.user)
    mine = [row.invitation.pk for row in rows if row.resolvable]
    chosen = request.POST.get("invitation", "")
    if chosen == "all":
        ids = mine
    else:
        ids = ids_posted([chosen]) or []
        if not ids or ids[0] not in {row.invitation.pk for row in rows}:
            return _page(request, event, status=400, errors={"outcome": _("Ungültige Auswahl.")})
    if not ids or not set(ids) <= set(mine):
        # shown as resolvable a moment ago: resolved or changed meanwhile
        message = _("Der Fall wurde inzwischen geändert oder schon gelöst. Bitte die Liste unten prüfen.")
        return _page(request, event, status=409, conflict=message)
    try:
        result = event_resolve_cases(event=event, by=request.user, invitation_ids=ids)
    except DomainError as exc:
        return _answer(request, pk, exc, form="outcome")
    if result.resolved:
        n = len(result.resolved)
        messages.success(
            request,
            ngettext(
                "%(n)d Fall mit „Austausch fand statt“ gelöst.", "%(n)d Fälle mit „Austausch fand statt“ gelöst.", n
            )
            % {"n": n},
        )
    for invitation, reason in result.skipped:
        messages.warning(
            request,
            _("Nicht gelöst: %(municipality)s: %(reason)s")
            % {"municipality": invitation.municipality.short_name, "reason": reason},
        )
    return to_event(event)

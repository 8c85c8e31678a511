"""/intern/veranstaltungen/: the list of events, planning one (from a radar group or a blank form) and changing
its details (issue 15, part 2).

| route | who | what |
| --- | --- | --- |
| /intern/veranstaltungen/ | all staff (partner staff: the events their cases were invited to) | the events with state, date, seats, waiting, invited; filter by state |
| /intern/veranstaltungen/neu/ | coordinators | the form; ``?gruppe=<key>`` fills it from the demand radar's group |
| /intern/veranstaltungen/<id>/bearbeiten/ | coordinators | the details, through ``events.services.event_update`` |

Others get the 403 page; an event the user may not see is a 404. Success redirects (303) to the event with a
message; bad input re-renders the form with the message at the field (400) and stores nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from cases.models import Enquiry
from core.errors import DomainError, NotAllowed, NotVisible
from core.roles import is_staff_member
from events.models import Event
from events.selectors import event_get, events_list
from events.services import event_create, event_update
from events.transitions import may_organise
from matching.radar import RadarGroup, radar_group
from web.event_forms import EventForm, event_initial

PAGE_SIZE = 50


def forbidden(request: HttpRequest, message: Any) -> HttpResponse:
    return render(request, "web/workspace/events/forbidden.html", {"message": message}, status=403)


def visible_event(request: HttpRequest, pk: int) -> Event:
    try:
        return event_get(user=request.user, pk=pk)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc


def to_event(event: Event) -> HttpResponse:
    return HttpResponseRedirect(reverse("web:event-detail", kwargs={"pk": event.pk}), status=303)


class EventFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("alle")), *Event.State.choices],
    )


@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        return forbidden(request, _("Veranstaltungen sehen nur Mitarbeitende der Transferstelle."))
    form = EventFilter(request.GET or None)
    state = form.cleaned_data["status"] if form.is_valid() else None
    events = events_list(user=request.user, state=state or None)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "events": page.object_list,
        "may_plan": may_organise(request.user),
        "state": state,
    }
    return render(request, "web/workspace/events/list.html", context, status=400 if form.errors else 200)


# --- planning ----------------------------------------------------------------------------------------------


def _from_group(group: RadarGroup) -> tuple[dict[str, Any], list[int]]:
    """The form's initial values from a radar group, and the projects to offer first."""
    projects = [project.id for project in group.projects]
    initial = {
        "title": group.title[:200],
        "topics": [topic["slug"] for topic in group.topics],
        "model_projects": projects,
        "enquiries": list(group.enquiry_ids),
        "radar_key": group.key[:200],
    }
    return initial, projects


def _attached(ids: list[Any]) -> list[Enquiry]:
    clean = [int(i) for i in ids if str(i).isdigit()]
    return list(Enquiry.objects.filter(pk__in=clean).select_related("municipality").order_by("-created_at", "-id"))


def _form_page(
    request: HttpRequest, form: EventForm, *, event: Event | None = None, group: Any = None, status: int = 200
) -> HttpResponse:
    form.mark_errors()
    attached: list[Enquiry] = []
    if not form.editing:
        ids = form.data.getlist("enquiries") if form.is_bound else form.initial.get("enquiries", [])
        attached = _attached(list(ids))
    context = {"form": form, "event": event, "group": group, "attached": attached}
    return render(request, "web/workspace/events/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_create_page(request: HttpRequest) -> HttpResponse:
    if not may_organise(request.user):
        return forbidden(request, _("Veranstaltungen planen nur Koordinatorinnen und Koordinatoren."))
    if request.method == "POST":
        form = EventForm(request.POST, preferred_projects=[])
        if form.is_valid():
            try:
                event = event_create(data=form.event_data(), by=request.user)
            except NotAllowed as exc:
                return forbidden(request, exc.message)
            except DomainError as exc:
                form.error_on(exc.field, exc.message)
            else:
                messages.success(request, _("Veranstaltung „%(title)s“ geplant.") % {"title": event.title})
                return to_event(event)
        return _form_page(request, form, status=400)
    key = (request.GET.get("gruppe") or "").strip()
    group, initial, preferred = None, {}, []
    if key:
        group = radar_group(key=key)
        if group is None:
            messages.warning(request, _("Die Gruppe aus dem Bedarfsradar wurde nicht gefunden."))
        else:
            initial, preferred = _from_group(group)
    initial = {"kind": Event.Kind.WORKSHOP, "format": Event.Format.ONLINE, **initial}
    return _form_page(request, EventForm(initial=initial, preferred_projects=preferred), group=group)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    if not may_organise(request.user):
        return forbidden(request, _("Veranstaltungen ändern nur Koordinatorinnen und Koordinatoren."))
    initial = event_initial(event)
    if request.method == "POST":
        form = EventForm(request.POST, initial=initial, editing=True)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                messages.info(request, _("Nichts geändert."))
                return to_event(event)
            try:
                event = event_update(event=event, by=request.user, changes=changes)
            except NotAllowed as exc:
                return forbidden(request, exc.message)
            except DomainError as exc:
                form.error_on(exc.field, exc.message)
            else:
                messages.success(request, _("Veranstaltung „%(title)s“ gespeichert.") % {"title": event.title})
                return to_event(event)
        return _form_page(request, form, event=event, status=400)
    return _form_page(request, EventForm(initial=initial, editing=True), event=event)

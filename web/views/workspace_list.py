"""/intern/faelle/: the case list of the workspace (SPEC section 9).

Scoped like the API (``enquiries_visible_to``); the filters are a GET form: queue (``cases.queues``), state,
Bundesland and partner (through ``cases.selectors.enquiries_filter``, as the API), topic (a semi-join, see
``_filtered``), assignee, overdue and ``q`` (``cases.search``). A bad value gets a German message next to its field and a 400, never a 500.

Pages of 50 (``page_size`` 10-200) read with a keyset on the sort order (next deadline, age or priority, each
ending in the id): ``after``/``before`` carry the last/first row of the page shown, ``last=1`` is the last
page; no COUNT, so a deep page costs what the first does. ``page=N`` still opens the N-th page (its ids read
by OFFSET over the sort index, ``cases.selectors.rows_by_offset``), and its links lead on by cursor. With ``q``
the rows are ordered by rank and paged by number (``page``). Every page costs the same number of queries whatever its size.
"""

from __future__ import annotations

from datetime import datetime
from html import escape as _escape
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from cases.deadlines import DEADLINE_LABELS, DEADLINES
from cases.models import Enquiry, Priority, State
from cases.models.enquiry import NO_DEADLINE
from cases.queues import next_deadline, overdue_q, queue_enquiries, queue_get, queues_for
from cases.search import enquiries_search
from cases.selectors import enquiries_filter, enquiries_visible_to, rows_by_offset
from core.errors import GuardFailed
from core.geo import BUNDESLAENDER
from core.roles import is_partner_staff, partner_of
from web.case_rows import CaseRow, case_rows_html
from web.filter_choices import filter_choices
from web.widgets import QuickCheckboxInput, QuickNumberInput, QuickSelect, QuickTextInput

PAGE_SIZE = 50
# sort -> keys (field, descending); every order ends in the id, so a row's keys name its place exactly.
# "due_key" is the next deadline with NULL (no deadline pending, or paused) read as NO_DEADLINE, after every date: the
# expression of the index crm_enq_due_key_idx (cases.models.enquiry), so that a page seeks into it like into a column's.
SORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "deadline": (("due_key", False), ("id", False)),
    "age": (("created_at", True), ("id", True)),
    "priority": (("priority", True), ("created_at", True), ("id", True)),
}
DUE_KEY = Coalesce("next_due", Value(NO_DEADLINE))
# what a row shows and its cursor reads (the sort keys, the deadlines of ``next_deadline``), and nothing else: a
# row of 50 columns costs three times the reading of one of 20
ROW_FIELDS = (
    "id",
    "reference",
    "subject",
    "state",
    "priority",
    "created_at",
    "escalated_at",
    "next_due",
    "paused_at",
    *sorted({name for due, _breached, _states, met in DEADLINES.values() for name in (due, met) if name}),
    "municipality__short_name",
    "assigned_partner__short_name",
    "assigned_user__username",
    "assigned_user__first_name",
    "assigned_user__last_name",
)


class CaseFilterForm(forms.Form):
    q = forms.CharField(widget=QuickTextInput, label=_("Suche"), required=False, max_length=200)
    queue = forms.ChoiceField(widget=QuickSelect, label=_("Ablage"), required=False)
    state = forms.ChoiceField(widget=QuickSelect, label=_("Status"), required=False)
    topic = forms.ChoiceField(widget=QuickSelect, label=_("Handlungsfeld"), required=False)
    bundesland = forms.ChoiceField(widget=QuickSelect, label=_("Bundesland"), required=False)
    partner = forms.ChoiceField(widget=QuickSelect, label=_("Partner"), required=False)
    assignee = forms.ChoiceField(widget=QuickSelect, label=_("Bearbeiter/in"), required=False)
    overdue = forms.BooleanField(widget=QuickCheckboxInput, label=_("nur überfällige"), required=False)
    sort = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Sortierung"),
        required=False,
        choices=[("deadline", _("nächste Frist")), ("age", _("neueste zuerst")), ("priority", _("Priorität"))],
    )
    page_size = forms.IntegerField(
        widget=QuickNumberInput, label=_("Pro Seite"), required=False, min_value=10, max_value=200
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        everyone = [("", _("alle"))]
        self.fields["queue"].choices = everyone + [(q.slug, q.label) for q in queues_for(user=user)]
        self.fields["state"].choices = everyone + list(State.choices)
        self.fields["bundesland"].choices = everyone + sorted(BUNDESLAENDER.items(), key=lambda item: item[1])
        own = partner_of(user) if is_partner_staff(user) else None
        offered = filter_choices(own=own)
        self.fields["topic"].choices = everyone + offered["topic"]
        self.fields["partner"].choices = everyone + offered["partner"]
        self.fields["assignee"].choices = everyone + offered["assignee"]

    def fields_html(self) -> SafeString:
        """Each field in its ``div``: label and widget (the checkbox before its label), its errors in a list the
        widget names in ``aria-describedby``. Built in Python (every text escaped by ``html.escape``): ten fields
        through the template language cost the page as much as its rows."""
        parts = []
        for field in self:
            label = f'<label for="{_escape(field.id_for_label)}">{_escape(str(field.label))}</label>'
            widget = field.as_widget()
            inner = f"{widget} {label}" if field.name == "overdue" else f"{label} {widget}"
            errors = field.errors
            listed = (
                f'<ul class="errorlist" id="{_escape(field.auto_id)}-error">'
                + "".join(f"<li>{_escape(str(error))}</li>" for error in errors)
                + "</ul>"
                if errors
                else ""
            )
            parts.append(
                f'<div class="filter-field filter-{field.name}{" has-error" if errors else ""}">\n'
                f"      {inner}\n      {listed}\n    </div>"
            )
        return mark_safe("\n    ".join(parts))  # noqa: S308 - every text escaped, the widgets' own markup


def _keyset_q(keys: tuple[tuple[str, bool], ...], values: list[Any], *, forward: bool) -> Q:
    """Rows after (``forward``) or before the row whose sort keys are ``values``, in the order of ``keys``. The
    first key is bounded on its own too (``>=``/``<=``): the database starts its index scan there instead of
    reading every row before it."""
    result = Q(pk__in=[])
    equal = Q()
    for (field, descending), value in zip(keys, values, strict=True):
        later = forward != descending  # the rows that come later have a greater value
        result |= equal & Q(**{f"{field}__{'gt' if later else 'lt'}": value})
        equal &= Q(**{field: value})
    field, descending = keys[0]
    return Q(**{f"{field}__{'gte' if forward != descending else 'lte'}": values[0]}) & result


def _order(keys: tuple[tuple[str, bool], ...], *, forward: bool) -> list[Any]:
    order = []
    for field, descending in keys:
        expression = F(field)
        order.append(expression.desc() if descending == forward else expression.asc())
    return order


def _cursor(enquiry: CaseRow, keys: tuple[tuple[str, bool], ...]) -> str:
    parts = []
    for field, _descending in keys:
        value = enquiry.next_due if field == "due_key" else getattr(enquiry, field if field != "id" else "pk")
        parts.append("~" if value is None else value.isoformat() if isinstance(value, datetime) else str(value))
    return "_".join(parts)


def _cursor_values(raw: str, keys: tuple[tuple[str, bool], ...]) -> list[Any] | None:
    """The sort keys of a cursor, or None when it is not one (then the first page is shown)."""
    parts = raw.split("_")
    if len(parts) != len(keys):
        return None
    values: list[Any] = []
    for (field, _descending), part in zip(keys, parts, strict=True):
        if part == "~" and field == "due_key":
            values.append(NO_DEADLINE)
        elif field in {"due_key", "created_at"}:
            moment = parse_datetime(part.replace(" ", "+"))
            if moment is None or timezone.is_naive(moment):
                return None
            values.append(moment)
        elif part.isascii() and part.isdigit() and len(part) < 19:
            values.append(int(part))
        else:
            return None
    return values


def _filtered(*, user: Any, form: CaseFilterForm, now: datetime) -> QuerySet[Enquiry]:
    """The cases the valid filters select; an invalid value is added to the form as that field's error."""
    data = form.cleaned_data
    enquiries = enquiries_visible_to(user=user)
    if data.get("queue"):
        queue = queue_get(user=user, slug=data["queue"])
        enquiries = queue_enquiries(user=user, queue=queue, now=now) if queue else enquiries
    shared = {name: data[name] for name in ("state", "bundesland", "partner") if data.get(name)}
    try:
        enquiries = enquiries_filter(enquiries=enquiries, params=shared)
    except GuardFailed as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    if data.get("topic"):
        # the form checked the slug against the topics (enquiries_filter would look it up again); a semi-join,
        # as there: the database walks the sort index until the page is full
        tagged = Enquiry.topics.through.objects.filter(enquiry_id=OuterRef("pk"), topic__slug=data["topic"])
        enquiries = enquiries.filter(Exists(tagged))
    if data.get("assignee"):
        enquiries = enquiries.filter(assigned_user_id=int(data["assignee"]))
    if data.get("overdue"):
        enquiries = enquiries.filter(overdue_q(now))
    if data.get("q"):
        enquiries = enquiries_search(enquiries=enquiries, q=data["q"])
    return enquiries


class TimeLeft:
    """What a row says of its next deadline: "noch 2 Tage", "seit 3 Std. überfällig" or "angehalten". One per
    page: the texts are translated once, not per row (a lazy text translates again each time it is read)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.paused = {"text": str(_("angehalten")), "css": "paused", "deadline": ""}
        self.none = {"text": "–", "css": "", "deadline": ""}
        self.labels = {name: str(label) for name, label in DEADLINE_LABELS.items()}
        self.overdue = str(_("seit %(span)s überfällig"))
        self.ahead = str(_("noch %(span)s"))
        self.hours = str(_("%(n)d Std."))
        self.minutes = str(_("%(n)d Min."))
        # "%(n)d Tag(e)" by (days, overdue): the plural depends on the number (and the German dative on overdue)
        self.days: dict[tuple[int, bool], str] = {}

    def __call__(self, enquiry: CaseRow) -> dict[str, str]:
        if enquiry.state == State.AWAITING_REPLY:
            return self.paused
        pending = next_deadline(enquiry=enquiry)
        if pending is None:
            return self.none
        name, due = pending
        late = due < self.now
        seconds = abs((due - self.now).total_seconds())
        if seconds >= 86_400:
            days = int(seconds // 86_400)
            span = self.days.get((days, late))
            if span is None:
                plural = (
                    ngettext("%(n)d Tag", "%(n)d Tagen", days) if late else ngettext("%(n)d Tag", "%(n)d Tage", days)
                )
                span = self.days[(days, late)] = plural % {"n": days}
        elif seconds >= 3_600:
            span = self.hours % {"n": int(seconds // 3_600)}
        else:
            span = self.minutes % {"n": max(int(seconds // 60), 1)}
        if late:
            return {"text": self.overdue % {"span": span}, "css": "overdue", "deadline": self.labels[name]}
        return {"text": self.ahead % {"span": span}, "css": "", "deadline": self.labels[name]}


def _link(params: QueryDict, **changes: str) -> str:
    query = params.copy()
    for name in ("after", "before", "last", "page"):
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = value
    return "?" + query.urlencode()


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not queues_for(user=user):
        return render(request, "web/workspace/no_role.html", status=403)
    now = timezone.now()
    params = request.GET
    form = CaseFilterForm(params, user=user)
    rows: list[CaseRow] = []
    pages: dict[str, str] = {}
    if form.is_valid():
        enquiries = _filtered(user=user, form=form, now=now)
    if form.errors:
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{form[name].auto_id}-error"}
                )
        return render(request, "web/workspace/case_list.html", {"form": form, "rows": [], "pages": {}}, status=400)

    data = form.cleaned_data
    size = data.get("page_size") or PAGE_SIZE
    keys = SORTS[data.get("sort") or "deadline"]
    enquiries = enquiries.alias(due_key=DUE_KEY)
    if data.get("q"):
        # ranked: by number, best first
        raw = params.get("page", "1")
        number = max(int(raw), 1) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 1
        ordered = enquiries.order_by("-search_rank", *_order(keys, forward=True))
        rows = [CaseRow(values) for values in ordered.values(*ROW_FIELDS)[(number - 1) * size : number * size + 1]]
        if len(rows) > size:
            rows = rows[:size]
            pages["next"] = _link(params, page=str(number + 1))
        if number > 1:
            pages["previous"] = _link(params, page=str(number - 1))
            pages["first"] = _link(params)
    else:
        after = _cursor_values(params.get("after", ""), keys) if params.get("after") else None
        before = _cursor_values(params.get("before", ""), keys) if params.get("before") else None
        last = params.get("last") == "1"
        forward = before is None and not last
        raw = params.get("page", "")
        number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 1
        if after is not None or before is not None or last:
            number = 1
        if after is not None:
            enquiries = enquiries.filter(_keyset_q(keys, after, forward=True))
        elif before is not None:
            enquiries = enquiries.filter(_keyset_q(keys, before, forward=False))
        ordered = enquiries.order_by(*_order(keys, forward=forward))
        # ?page=N (a bookmarked number): its ids by OFFSET over the sort index, then the rows; the links lead on
        # by cursor
        skip = (max(number, 1) - 1) * size
        rows = [CaseRow(values) for values in rows_by_offset(ordered, skip, skip + size + 1, values=ROW_FIELDS)]
        more = len(rows) > size
        rows = rows[:size]
        if not forward:
            rows.reverse()
        at_start = (after is None and before is None and not last and skip == 0) or (not forward and not more)
        at_end = last or (forward and not more)
        if rows and not at_start:
            pages["first"] = _link(params)
            pages["previous"] = _link(params, before=_cursor(rows[0], keys))
        if rows and not at_end:
            pages["next"] = _link(params, after=_cursor(rows[-1], keys))
            pages["last"] = _link(params, last="1")
    # the labels once per page, not per row (get_FOO_display builds the choices and translates each time)
    states = {value: str(label) for value, label in State.choices}
    priorities = {value: str(label) for value, label in Priority.choices}
    time_left = TimeLeft(now)
    for row in rows:
        row.time_left = time_left(row)
        row.state_label = states.get(row.state, row.state)
        row.priority_label = priorities.get(row.priority, row.priority)
    context = {
        "form": form,
        "rows": rows,
        "rows_html": case_rows_html(rows),
        "pages": pages,
        "priorities": dict(Priority.choices),
        "q": data.get("q", ""),
    }
    return render(request, "web/workspace/case_list.html", context)

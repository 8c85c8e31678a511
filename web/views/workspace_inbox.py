"""Reply templates (Textbausteine) and the user's notifications.

Templates: every staff role reads the list and inserts templates into a case's message or note (the render
view answers the text for one case); only coordinators create and change them (403 for the others), through
``cases.replies.reply_template_save``, the same service as the admin. Notifications: the page lists the user's
notifications newest first, shows the unread ones as such and then marks them read.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from cases.inbox import notifications_for, notifications_mark_read
from cases.models import ReplyTemplate
from cases.replies import (
    MAX_BODY,
    MAX_TITLE,
    PLACEHOLDERS,
    reply_template_get_usable,
    reply_template_render,
    reply_template_save,
)
from cases.selectors import enquiry_get_visible
from core.errors import DomainError, NotVisible
from core.roles import is_coordinator, is_staff_member


class ReplyTemplateForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10, "aria-describedby": "body-hint placeholders"}),
    )
    use = forms.ChoiceField(label=_("Verwendung"), choices=ReplyTemplate.Use.choices)
    active = forms.BooleanField(label=_("aktiv (in Fällen auswählbar)"), required=False)

    def mark_errors(self) -> None:
        """Each field with an error points at its message (aria-describedby) and says it is invalid."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby"), f"{name}-error"]))


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


@login_required
@require_GET
def template_render(request: HttpRequest, pk: int) -> HttpResponse:
    """The template ``?vorlage=<id>`` rendered for this case, as plain text (the picker puts it into the
    textarea). A case the user may not see, or an unknown or inactive template, is a 404."""
    try:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        template = reply_template_get_usable(template_id=request.GET.get("vorlage"))
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc
    text = reply_template_render(template=template, enquiry=enquiry, user=request.user)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    context = {
        "templates": ReplyTemplate.objects.order_by("-active", "title", "id"),
        "may_edit": is_coordinator(request.user),
        "placeholders": [(name, label) for name, (label, _value) in PLACEHOLDERS.items()],
    }
    return render(request, "web/workspace/template_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, tid: int | None = None) -> HttpResponse:
    if not is_coordinator(request.user):
        raise PermissionDenied
    template = None
    if tid is not None:
        template = ReplyTemplate.objects.filter(pk=tid).first()
        if template is None:
            raise Http404(_("Textbaustein nicht gefunden."))
    if request.method == "POST":
        form = ReplyTemplateForm(request.POST)
        if form.is_valid():
            try:
                saved = reply_template_save(by=request.user, template=template, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("Textbaustein „%(title)s“ gespeichert.") % {"title": saved.title})
                return redirect("web:template-list")
    elif template is not None:
        form = ReplyTemplateForm(
            initial={"title": template.title, "body": template.body, "use": template.use, "active": template.active}
        )
    else:
        form = ReplyTemplateForm(initial={"use": ReplyTemplate.Use.BOTH, "active": True})
    form.mark_errors()
    context = {
        "form": form,
        "template": template,
        "placeholders": [(name, label) for name, (label, _value) in PLACEHOLDERS.items()],
    }
    return render(request, "web/workspace/template_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """GET: the notifications, unread ones marked; those shown are read afterwards. POST: all read."""
    _staff_only(request)
    if request.method == "POST":
        count = notifications_mark_read(request.user)
        messages.success(
            request,
            ngettext(
                "%(n)d Benachrichtigung als gelesen markiert.", "%(n)d Benachrichtigungen als gelesen markiert.", count
            )
            % {"n": count},
        )
        return redirect("web:notification-list")
    notifications = list(notifications_for(request.user))
    unread = [n.pk for n in notifications if n.read_at is None]
    # rendered before marking: the page shows them as unread this once
    response = render(
        request, "web/workspace/notification_list.html", {"notifications": notifications, "unread_count": len(unread)}
    )
    if unread:
        notifications_mark_read(request.user, ids=unread)
    return response

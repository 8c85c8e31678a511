"""Session login for staff pages (dashboard, admin).

Page logins are throttled per client with LOGIN_RATE, on the same counter as the API's token login
(scope "login"), so that switching doors gains an attacker nothing. The admin's own login form is a third
door; it gets the same throttle.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.throttles import WindowRateThrottle


class LoginThrottle(WindowRateThrottle):
    """Counts login attempts per client address (DRF's ident, honouring NUM_PROXIES)."""

    scope = "login"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def login_attempt_allowed(request: HttpRequest) -> tuple[bool, int | None]:
    """(allowed, seconds to wait). Each call with a POST counts as one attempt."""
    throttle = LoginThrottle()
    if throttle.allow_request(request, None):
        return True, None
    wait = throttle.wait()
    return False, int(wait) + 1 if wait is not None else None


def _too_many(request: HttpRequest, template: str, wait: int | None, context: dict | None = None) -> HttpResponse:
    message = _("Zu viele Anmeldeversuche. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.")
    response = TemplateResponse(request, template, {**(context or {}), "throttled": message}, status=429)
    if wait:
        response["Retry-After"] = str(wait)
    return response


class StaffLoginView(auth_views.LoginView):
    template_name = "web/staff/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        allowed, wait = login_attempt_allowed(request)
        if not allowed:
            return _too_many(request, self.template_name, wait, {"form": self.get_form_class()(request)})
        return super().post(request, *args, **kwargs)


class StaffLogoutView(auth_views.LogoutView):
    next_page = "web:login"


def admin_login_throttled(request: HttpRequest) -> HttpResponse:
    """The admin's login form on the same LOGIN_RATE counter as the page and token logins; settings.urls routes
    /admin/login/ here ahead of the admin's own URLs."""
    if request.method == "POST":
        allowed, wait = login_attempt_allowed(request)
        if not allowed:
            return _too_many(request, "web/staff/login.html", wait, {"form": None})
    return admin.site.login(request)

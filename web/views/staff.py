"""Session login for staff pages (dashboard, admin)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from crm.roles import is_coordinator, is_manager


class StaffLoginView(auth_views.LoginView):
    template_name = "web/staff/login.html"
    redirect_authenticated_user = True


class StaffLogoutView(auth_views.LogoutView):
    next_page = "web:login"


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Managers and coordinators land on the dashboard; everybody else on the admin case list."""
    if is_manager(request.user) or is_coordinator(request.user):
        return redirect("/statistik/")
    return redirect("admin:index")

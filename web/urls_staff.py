from django.urls import path

from web.views import staff

urlpatterns = [
    path("anmelden/", staff.StaffLoginView.as_view(), name="login"),
    path("abmelden/", staff.StaffLogoutView.as_view(), name="logout"),
]

from django.urls import path

from web.views import dashboard

urlpatterns = [
    path("statistik/", dashboard.dashboard, name="dashboard"),
    path("statistik/kommunen.json", dashboard.municipality_points, name="dashboard-municipalities"),
]

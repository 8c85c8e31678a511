"""Test-only urlconf: the project's routes plus the privacy routes, until api/urls.py includes them."""

from django.urls import include, path

from settings.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/v1/", include("api.urls_privacy")), *project_urlpatterns]

from django.urls import path

from web.views import health, surveys

urlpatterns = [
    path("umfrage/<str:token>/", surveys.survey_page, name="survey"),
    path("healthz", health.healthz, name="healthz"),
]

from django.urls import path

from web.views import introductions

urlpatterns = [
    # the token is redacted from the logs by crm.logging.RedactTokensFilter
    path("vermittlung/<str:token>/", introductions.introduction_page, name="introduction-answer"),
]

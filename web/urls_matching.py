from django.urls import path

from web.views import introductions, proposals

urlpatterns = [
    # the token is redacted from the logs by core.logging.RedactTokensFilter
    path("vermittlung/<str:token>/", introductions.introduction_page, name="introduction-answer"),
    path("intern/faelle/<int:pk>/vorschlaege/", proposals.proposals_page, name="staff-proposals"),
    path(
        "intern/faelle/<int:pk>/vorschlaege/<int:match_id>/entscheiden/",
        proposals.proposal_decide,
        name="staff-proposal-decide",
    ),
]

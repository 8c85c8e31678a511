"""Matching routes: the proposals of SPEC section 5 and the introductions (Kontaktvermittlung)."""

from django.urls import path

from api.views import matching

urlpatterns = [
    path("enquiries/<int:pk>/matches/", matching.EnquiryMatchesView.as_view(), name="enquiry-matches"),
    path(
        "enquiries/<int:pk>/matches/recompute/",
        matching.MatchesRecomputeView.as_view(),
        name="enquiry-matches-recompute",
    ),
    path(
        "enquiries/<int:pk>/matches/<int:match_id>/accept/",
        matching.MatchAcceptView.as_view(),
        name="enquiry-match-accept",
    ),
    path(
        "enquiries/<int:pk>/matches/<int:match_id>/reject/",
        matching.MatchRejectView.as_view(),
        name="enquiry-match-reject",
    ),
    path(
        "enquiries/<int:pk>/introductions/", matching.EnquiryIntroductionsView.as_view(), name="enquiry-introductions"
    ),
    path(
        "enquiries/<int:pk>/introductions/<int:iid>/complete/",
        matching.IntroductionCompleteView.as_view(),
        name="enquiry-introduction-complete",
    ),
]

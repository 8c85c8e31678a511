"""Enquiry routes of SPEC section 5 (exact paths: outside clients rely on them). One route per transition of
the table (``cases.transitions``), so the schema shows each body; other names answer 404."""

from django.urls import path

from api.views import enquiries, messages, public

urlpatterns = [
    path("enquiries/", enquiries.EnquiryListCreateView.as_view(), name="enquiry-list"),
    path("enquiries/<int:pk>/", enquiries.EnquiryDetailView.as_view(), name="enquiry-detail"),
    path(
        "enquiries/<int:pk>/transitions/",
        enquiries.EnquiryTransitionsAvailableView.as_view(),
        name="enquiry-transitions",
    ),
    *[
        path(f"enquiries/<int:pk>/transitions/{name}/", view.as_view(), name=f"enquiry-transition-{name}")
        for name, view in enquiries.TRANSITION_VIEWS.items()
    ],
    path(
        "enquiries/<int:pk>/transitions/<str:name>/",
        enquiries.EnquiryTransitionView.as_view(),
        name="enquiry-transition",
    ),
    path("enquiries/<int:pk>/timeline/", enquiries.EnquiryTimelineView.as_view(), name="enquiry-timeline"),
    path("enquiries/<int:pk>/messages/", messages.EnquiryMessageView.as_view(), name="enquiry-messages"),
    path("enquiries/<int:pk>/follow-ups/", enquiries.EnquiryFollowUpsView.as_view(), name="enquiry-follow-ups"),
    path(
        "enquiries/<int:pk>/follow-ups/<int:fid>/complete/",
        enquiries.EnquiryFollowUpCompleteView.as_view(),
        name="enquiry-follow-up-complete",
    ),
    path("public/enquiries/<str:token>/", public.PublicEnquiryView.as_view(), name="public-enquiry"),
    path("public/enquiries/<str:token>/reply/", public.PublicReplyView.as_view(), name="public-enquiry-reply"),
    path("public/enquiries/<str:token>/withdraw/", public.PublicWithdrawView.as_view(), name="public-enquiry-withdraw"),
]

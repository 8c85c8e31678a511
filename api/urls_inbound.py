"""Inbound e-mail routes (SPEC sections 5 and 10): the coordinators' stray mail with one command endpoint per
action, and the downloads of originals and attachments (the ``url`` of a timeline entry's attachments)."""

from django.urls import path

from api.views import inbound

urlpatterns = [
    path("inbound-emails/", inbound.InboundEmailListView.as_view(), name="inbound-email-list"),
    path("inbound-emails/<int:pk>/", inbound.InboundEmailDetailView.as_view(), name="inbound-email-detail"),
    path("inbound-emails/<int:pk>/file/", inbound.InboundEmailFileView.as_view(), name="inbound-email-file"),
    path("inbound-emails/<int:pk>/enquiry/", inbound.InboundEmailEnquiryView.as_view(), name="inbound-email-enquiry"),
    path("inbound-emails/<int:pk>/dismiss/", inbound.InboundEmailDismissView.as_view(), name="inbound-email-dismiss"),
    path(
        "inbound-emails/<int:pk>/original/", inbound.InboundEmailOriginalView.as_view(), name="inbound-email-original"
    ),
    path("attachments/<int:pk>/", inbound.InboundAttachmentView.as_view(), name="inbound-attachment-download"),
]

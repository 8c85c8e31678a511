"""Personal-data routes (SPEC section 7): a contact's export and erasure, for coordinators."""

from django.urls import path

from api.views import privacy

urlpatterns = [
    path("privacy/export/", privacy.PrivacyExportView.as_view(), name="privacy-export"),
    path("privacy/erase/", privacy.PrivacyEraseView.as_view(), name="privacy-erase"),
]

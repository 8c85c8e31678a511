"""The demand radar's routes (issue 15)."""

from django.urls import path

from api.views import radar

urlpatterns = [
    path("radar/", radar.RadarListView.as_view(), name="radar-list"),
    path("radar/<str:key>/", radar.RadarDetailView.as_view(), name="radar-detail"),
]

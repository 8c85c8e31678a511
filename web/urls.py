"""Server-rendered pages; each area keeps its routes in its own module."""

from django.urls import include, path

app_name = "web"

urlpatterns = [
    path("", include("web.urls_public")),
    path("", include("web.urls_atlas")),
    path("", include("web.urls_staff")),
    path("", include("web.urls_workspace")),
    path("", include("web.urls_matching")),
    path("", include("web.urls_followups")),
    path("", include("web.urls_dashboard")),
    path("", include("web.urls_events")),
]

"""/api/: the schema, the docs and the v1 routes; each area keeps its routes in its own module."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api.views.root import ApiRootView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"), name="redoc"),
    path("v1/", ApiRootView.as_view(), name="api-root"),
    path("v1/", include("api.urls_catalogue")),
    path("v1/", include("api.urls_enquiries")),
    path("v1/", include("api.urls_matching")),
    path("v1/", include("api.urls_stats")),
    path("v1/", include("api.urls_privacy")),
    path("v1/", include("api.urls_inbound")),
    path("v1/", include("api.urls_radar")),
    path("v1/", include("api.urls_events")),
]

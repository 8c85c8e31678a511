"""Catalogue and login routes under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api.views.auth import TokenLoginView
from api.views.catalogue import (
    MeasureViewSet,
    ModelProjectViewSet,
    MunicipalityViewSet,
    PartnerViewSet,
    TopicViewSet,
)

router = SimpleRouter()
router.register("topics", TopicViewSet, basename="topic")
router.register("model-projects", ModelProjectViewSet, basename="model-project")
router.register("measures", MeasureViewSet, basename="measure")
router.register("partners", PartnerViewSet, basename="partner")
router.register("municipalities", MunicipalityViewSet, basename="municipality")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="auth-token"),
    *router.urls,
]

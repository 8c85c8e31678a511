from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path("datenschutz/", TemplateView.as_view(template_name="web/public/privacy.html"), name="privacy"),
]

from django.urls import path
from django.views.generic import TemplateView

from web.views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("anfrage/", public.enquiry_form, name="public-form"),
    path("anfrage/danke/", public.enquiry_thanks, name="public-thanks"),
    # the token in these paths is redacted from the logs by core.logging.RedactTokensFilter
    path("status/<str:token>/", public.enquiry_status, name="public-status"),
    path("status/<str:token>/antwort/", public.enquiry_reply, name="public-reply"),
    path("status/<str:token>/zurueckziehen/", public.enquiry_withdraw, name="public-withdraw"),
    path("datenschutz/", TemplateView.as_view(template_name="web/public/privacy.html"), name="privacy"),
]

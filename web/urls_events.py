"""Events: the public token pages (registration of a municipality, a model project's answer) and the workspace
pages of the coordinators under /intern/veranstaltungen/."""

from django.urls import path

from web.views import events_public

urlpatterns = [
    path("veranstaltungen/anmeldung/<str:token>/", events_public.registration_page, name="event-registration"),
    path(
        "veranstaltungen/anmeldung/<str:token>/kalender.ics",
        events_public.registration_calendar,
        name="event-registration-calendar",
    ),
    path("veranstaltungen/mitwirkung/<str:token>/", events_public.presenter_page, name="event-presenter-answer"),
]

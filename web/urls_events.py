"""Events: the public token pages (registration of a municipality, a model project's answer) and the workspace
pages of the coordinators under /intern/veranstaltungen/."""

from django.urls import path

from web.views import events_public, workspace_event_detail, workspace_events

urlpatterns = [
    path("veranstaltungen/anmeldung/<str:token>/", events_public.registration_page, name="event-registration"),
    path(
        "veranstaltungen/anmeldung/<str:token>/kalender.ics",
        events_public.registration_calendar,
        name="event-registration-calendar",
    ),
    path("veranstaltungen/mitwirkung/<str:token>/", events_public.presenter_page, name="event-presenter-answer"),
    path("intern/veranstaltungen/", workspace_events.event_list, name="event-list"),
    path("intern/veranstaltungen/neu/", workspace_events.event_create_page, name="event-create"),
    path("intern/veranstaltungen/<int:pk>/", workspace_event_detail.event_detail, name="event-detail"),
    path("intern/veranstaltungen/<int:pk>/bearbeiten/", workspace_events.event_edit_page, name="event-edit"),
    path(
        "intern/veranstaltungen/<int:pk>/schritte/<str:name>/",
        workspace_event_detail.event_transition,
        name="event-transition",
    ),
    path("intern/veranstaltungen/<int:pk>/einladungen/", workspace_event_detail.event_invite, name="event-invite"),
    path(
        "intern/veranstaltungen/<int:pk>/teilnahme/", workspace_event_detail.event_attendance, name="event-attendance"
    ),
    path("intern/veranstaltungen/<int:pk>/ergebnisse/", workspace_event_detail.event_resolve, name="event-resolve"),
]

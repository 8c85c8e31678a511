"""Event routes: the staff API of the transfer workshops and the municipality's registration by token. One
route per transition a person takes (``events.transitions.STAFF_TRANSITIONS``), so the schema shows each body;
other names answer 404."""

from django.urls import path

from api.views import events

urlpatterns = [
    path("events/", events.EventListCreateView.as_view(), name="event-list"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/transitions/", events.EventTransitionsAvailableView.as_view(), name="event-transitions"),
    *[
        path(f"events/<int:pk>/transitions/{name}/", view.as_view(), name=f"event-transition-{name}")
        for name, view in events.TRANSITION_VIEWS.items()
    ],
    path("events/<int:pk>/transitions/<str:name>/", events.EventTransitionView.as_view(), name="event-transition"),
    path("events/<int:pk>/log/", events.EventLogView.as_view(), name="event-log"),
    path("events/<int:pk>/invitations/", events.EventInvitationsView.as_view(), name="event-invitations"),
    path("events/<int:pk>/candidates/", events.EventCandidatesView.as_view(), name="event-candidates"),
    path("events/<int:pk>/attendance/", events.EventAttendanceView.as_view(), name="event-attendance"),
    path("events/<int:pk>/resolve-cases/", events.EventResolveCasesView.as_view(), name="event-resolve-cases"),
    path(
        "public/registrations/<str:token>/",
        events.PublicRegistrationView.as_view(),
        name="public-registration",
    ),
]

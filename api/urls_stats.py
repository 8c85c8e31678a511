"""Statistics routes of SPEC section 5/8."""

from django.urls import path

from api.views import stats

urlpatterns = [
    path("stats/summary/", stats.StatsSummaryView.as_view(), name="stats-summary"),
    path("stats/by/<str:dimension>/", stats.StatsBreakdownView.as_view(), name="stats-breakdown"),
    path("stats/cases/", stats.StatsCasesView.as_view(), name="stats-cases"),
]

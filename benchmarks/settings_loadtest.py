"""Settings of ``make loadtest``'s gunicorn: production's, plus the floor route (benchmarks.urls_loadtest).
Never used outside the load test."""

from settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls_loadtest"

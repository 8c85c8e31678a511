"""The event tests' fixtures (tests.event_fixtures)."""

from tests.event_fixtures import case_in_progress, new_case, parking, project  # noqa: F401

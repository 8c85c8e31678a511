"""The workspace tests' shared fixtures: those of the event pages come from tests.event_fixtures."""

from tests.event_fixtures import case_in_progress, new_case, parking, project  # noqa: F401

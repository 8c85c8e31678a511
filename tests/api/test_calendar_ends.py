"""Issue 13, item 9: dates at the ends of the calendar (0001-01-01, 9999-12-31) in the list filters, the
statistics and the dashboard are a 400 naming the parameter (they overflowed in period arithmetic and time-zone
conversion: a 500)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ENDS = ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00", "9999-12-31T23:59:59"]


@pytest.mark.parametrize("value", ENDS)
@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/enquiries/?created_after={}", "created_after"),
        ("/api/v1/enquiries/?created_before={}", "created_before"),
        ("/api/v1/stats/summary/?from={}", "from"),
        ("/api/v1/stats/summary/?to={}", "to"),
        ("/api/v1/stats/by/topic/?to={}", "to"),
        ("/api/v1/stats/by/month/?from={}&to={}", "to"),
        ("/api/v1/stats/cases/?to={}&format=csv", "to"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_a_400_naming_the_parameter(
    coordinator_client, make_case, path, parameter, value
):
    make_case("resolved")

    response = coordinator_client.get(path.format(value, value))

    assert response.status_code == 400, response.status_code
    assert response["Content-Type"].startswith("application/json")
    assert parameter in response.json()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("parameter", ["from", "to"])
def test_the_dashboard_answers_400_with_the_field_named(client, manager, parameter, value):
    """GIVEN a manager on the dashboard WHEN the period starts or ends at the end of the calendar THEN the page
    answers 400 and names the field's error, never a 500."""
    client.force_login(manager)

    response = client.get(f"/statistik/?{parameter}={value}")

    assert response.status_code == 400
    assert "1900-01-01" in response.content.decode()

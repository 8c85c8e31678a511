"""Issue 13, item 10: an error answer stays JSON when a file was asked for (?format=csv|xlsx); before, the error
body went through the CSV or XLSX renderer ("detailcodefieldpartner" as text/csv)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/stats/summary/?partner=x&format={}", "partner"),
        ("/api/v1/stats/by/nope/?format={}", "dimension"),
        ("/api/v1/stats/by/topic/?bundesland=XX&format={}", "bundesland"),
        ("/api/v1/stats/cases/?partner=x&format={}", "partner"),
    ],
)
def test_an_error_of_an_export_is_json_naming_the_field(manager_client, path, field, fmt):
    response = manager_client.get(path.format(fmt))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["field"] == field


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_without_login_is_refused_in_json_too(anon_client, fmt):
    """Without a login the 401/403 comes as JSON, not as a file."""
    response = anon_client.get(f"/api/v1/stats/summary/?format={fmt}")

    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")

"""A token link with anything but a token in it (a NUL byte, a space, a slash encoded) is an ordinary "not found"
on every token door, on PostgreSQL too (where a NUL byte in a query parameter is a DataError, not a miss)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ODD = ["%00" + "a" * 20, "a" * 10 + "%00" + "a" * 10, "a" * 10 + "%20" + "b" * 10, "ä" * 20]


@pytest.mark.parametrize("token", ODD)
def test_the_public_enquiry_endpoints_answer_404(anon_client, token):
    assert anon_client.get(f"/api/v1/public/enquiries/{token}/").status_code == 404
    answer = anon_client.post(f"/api/v1/public/enquiries/{token}/withdraw/", {}, format="json")
    assert answer.status_code == 404


@pytest.mark.parametrize("token", ODD)
def test_the_token_pages_answer_404(client, token):
    for path in (
        f"/status/{token}/",
        f"/vermittlung/{token}/",
        f"/umfrage/{token}/",
        f"/veranstaltungen/anmeldung/{token}/",
        f"/veranstaltungen/mitwirkung/{token}/",
    ):
        assert client.get(path).status_code == 404, path

"""Issue 13, item 7: a JSON body nested 3,000 levels deep is a 400 on every endpoint that reads JSON, never a
500 (Python's json module raises RecursionError, which DRF's parser did not catch)."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

DEEP = "[" * 3000 + "]" * 3000
DEEP_OBJECT = '{"a":' * 3000 + "1" + "}" * 3000


def _api_routes(resolver=None, prefix: str = "") -> list[str]:
    routes: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _api_routes(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
            routes.append(route)
    return routes


def _fill(route: str, enquiry) -> str:
    path = re.sub(r"<int:\w+>", str(enquiry.pk), route)
    path = path.replace("<str:token>", enquiry.public_token).replace("<str:dimension>", "topic")
    return "/" + re.sub(r"<\w+:\w+>|<\w+>", "1", path)


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["list", "object"])
def test_deeply_nested_json_is_a_400_on_every_api_route(coordinator_client, anon_client, make_case, body):
    """GIVEN a case WHEN every API route gets a POST, PUT and PATCH with 3,000 levels of nesting, as a
    coordinator and anonymously THEN no answer is a 500, and the routes that read a body answer 400."""
    enquiry = make_case("in_progress")
    routes = _api_routes()
    assert len(routes) > 20
    seen_400 = set()

    for route in routes:
        path = _fill(route, enquiry)
        for client in (coordinator_client, anon_client):
            for method in (client.post, client.put, client.patch):
                response = method(path, body, content_type="application/json")
                assert response.status_code < 500, (path, response.status_code)
                if response.status_code == 400:
                    seen_400.add(route)

    for reads_json in (
        "api/v1/enquiries/",
        "api/v1/enquiries/<int:pk>/transitions/resolve/",
        "api/v1/public/enquiries/<str:token>/reply/",
        "api/v1/auth/token/",
        "api/v1/privacy/erase/",
    ):
        assert reads_json in seen_400, reads_json

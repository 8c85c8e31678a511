"""Response headers of issue 13, item 5: the Content-Security-Policy and ``Cache-Control: no-store``.

The policy itself is ``CONTENT_SECURITY_POLICY`` in settings/base.py (django-csp). Our own pages run under it
unchanged: no inline script, style or event handler (static files only). Pages we do not own render inline
scripts and styles and get the relaxed policy below instead (documented in docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# The Django admin (/admin/), DRF's browsable API and drf-spectacular's Swagger UI and Redoc (/api/... as HTML)
# write inline <script> and style="" attributes; Redoc starts a web worker from a blob: URL.
RELAXED_DIRECTIVES = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "worker-src": [SELF, "blob:"],
}


def _not_ours(request: HttpRequest, response: HttpResponse) -> bool:
    if request.path_info.startswith("/admin/"):
        return True
    content_type = response.get("Content-Type", "")
    return request.path_info.startswith("/api/") and content_type.startswith("text/html")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; the pages we do not own get RELAXED_DIRECTIVES on top of the strict policy."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if parts.update is None and parts.replace is None and _not_ours(request, response):
            parts.replace = RELAXED_DIRECTIVES
        return parts


# Pages whose URL holds a token (status, introduction, survey and the thank-you page that shows the status
# link), the staff pages and the token routes of the API: a shared or back-button cache must not keep them.
NO_STORE_PREFIXES = (
    "/status/",
    "/vermittlung/",
    "/umfrage/",
    "/anfrage/danke/",
    "/anmelden/",
    "/intern/",
    "/statistik/",
    "/admin/",
    "/api/v1/public/",
)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def needs_no_store(request: HttpRequest) -> bool:
    path = request.path_info
    if path.startswith(NO_STORE_PREFIXES):
        return True
    if not path.startswith("/api/"):
        return False
    # DRF writes the user it authenticated (session or token) back onto the Django request.
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    # an answer to a POST may carry a token (submission, token login)
    return authenticated or "HTTP_AUTHORIZATION" in request.META or request.method not in SAFE_METHODS


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (with Django's never-cache set) on token pages, staff pages and
    authenticated API answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # a view that already said no-store (the privacy export) keeps its own header
        if needs_no_store(request) and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response

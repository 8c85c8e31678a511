"""Per-client throttles. The rates are read from settings at request time, so SUBMIT_RATE and LOGIN_RATE
(environment) and test overrides apply without a restart of the class."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _ClientRateThrottle(SimpleRateThrottle):
    """Counts per client address (behind NUM_PROXIES proxies: the forwarded one), whoever is logged in."""

    setting = ""

    def get_rate(self) -> str | None:
        if self.setting:
            return getattr(settings, self.setting)
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SubmitRateThrottle(_ClientRateThrottle):
    """Public submissions (POST /api/v1/enquiries/ and the web form)."""

    scope = "submit"
    setting = "SUBMIT_RATE"


class LoginRateThrottle(_ClientRateThrottle):
    scope = "login"
    setting = "LOGIN_RATE"


class PublicTokenRateThrottle(_ClientRateThrottle):
    """The token endpoints: enough for a person, too few to guess tokens."""

    scope = "public"

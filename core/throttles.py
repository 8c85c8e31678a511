"""Per-client throttles. The rates are read from settings at request time, so SUBMIT_RATE and LOGIN_RATE
(environment) and test overrides apply without a restart of the class."""

from __future__ import annotations

import contextlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.cache import window_count


class WindowRateThrottle(SimpleRateThrottle):
    """A rate per client counted per fixed window, the sliding window estimated from the current window and the
    previous one (weighted by the share of it still inside the sliding window).

    DRF's SimpleRateThrottle keeps the time of every request of the window in one cache entry, read and written
    whole on each request: at a high rate that is a large value per request (a load test's 1,000,000/hour grew it
    to 550 kB), and two parallel requests both pass on the same count. Here one number per client and window
    is incremented atomically: the same cost whatever the rate. A request refused is not counted (as in DRF).
    """

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        current = f"{self.key}:{window}"
        count, self.previous_count = window_count(
            self.cache, current=current, previous=f"{self.key}:{window - 1}", timeout=2 * self.duration
        )
        self.elapsed = (self.now % self.duration) / self.duration
        # this request is counted already: it may pass if the requests before it leave room for it
        self.current_count = count - 1
        if self.previous_count * (1 - self.elapsed) + self.current_count >= self.num_requests:
            with contextlib.suppress(ValueError):  # gone already: nothing to take back
                self.cache.decr(current)
            return self.throttle_failure()
        return True

    def wait(self) -> float | None:
        """Seconds until the estimate leaves room for one more request."""
        rest = (1 - self.elapsed) * self.duration
        if self.current_count >= self.num_requests:
            # after this window the current one weighs as the previous: until current * (1 - e) < limit
            return rest + max(0.0, 1 - self.num_requests / self.current_count) * self.duration
        if not self.previous_count:
            return rest
        # within this window the previous one's weight falls until previous * (1 - e) + current < limit
        needed = 1 - (self.num_requests - self.current_count) / self.previous_count
        return max(needed - self.elapsed, 0.0) * self.duration


class _ClientRateThrottle(WindowRateThrottle):
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

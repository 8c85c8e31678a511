"""The per-client throttles count per window (core.throttles.WindowRateThrottle): the limit holds within a
window, the previous window weighs by the share of it still inside the sliding window, a refusal says how long to
wait, and a refused request is not counted."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory

from core.throttles import SubmitRateThrottle

pytestmark = pytest.mark.django_db

START = 1_800_000_000.0  # a window boundary for a 60-second window (divisible by 60)


def _ask() -> tuple[bool, float | None]:
    throttle = SubmitRateThrottle()
    allowed = throttle.allow_request(RequestFactory().post("/api/v1/enquiries/"), None)
    return allowed, None if allowed else throttle.wait()


def test_the_limit_holds_in_a_window_and_the_previous_one_fades_out(settings):
    settings.SUBMIT_RATE = "4/minute"
    with time_machine.travel(START + 10, tick=False):
        assert [_ask()[0] for _ in range(5)] == [True, True, True, True, False]
        allowed, wait = _ask()
        assert not allowed and wait == pytest.approx(50.0)  # the rest of this window, then the old ones weigh 1.0
    # a quarter into the next window the four weigh 3: one more fits, then none
    with time_machine.travel(START + 60 + 15, tick=False):
        assert [_ask()[0] for _ in range(2)] == [True, False]
    # in the window after that the four are gone
    with time_machine.travel(START + 120 + 1, tick=False):
        assert _ask()[0] is True


def test_a_refused_request_is_not_counted(settings):
    settings.SUBMIT_RATE = "2/minute"
    with time_machine.travel(START + 5, tick=False):
        assert [_ask()[0] for _ in range(10)] == [True, True] + [False] * 8
    with time_machine.travel(START + 60 + 30, tick=False):
        # half of the previous window's 2 (not 10) weighs: one fits
        assert [_ask()[0] for _ in range(2)] == [True, False]
    cache.clear()

"""The login guard: failures counted per user name and per address, refusals until the window passes."""

from __future__ import annotations

import pytest

from vigil.share.login_guard import ADDRESS_FACTOR, LoginBlocked, LoginGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guard(max_failures: int = 3) -> tuple[LoginGuard, Clock]:
    clock = Clock()
    return LoginGuard(max_failures=max_failures, window_s=600, clock=clock), clock


def test_a_user_name_is_refused_after_max_failures_until_the_oldest_is_a_window_old():
    g, clock = guard()
    for _ in range(2):
        g.check("Anna", "10.0.0.1")
        g.failed("Anna", "10.0.0.1")
        clock.now += 60
    g.check("anna", "10.0.0.2")  # two failures: still allowed
    g.failed(" ANNA ", "10.0.0.2")  # names are compared as the login compares them
    with pytest.raises(LoginBlocked) as blocked:
        g.check("anna", "10.0.0.3")  # from anywhere
    assert blocked.value.retry_after_s == 600 - 120  # the first failure leaves the window in 480 s
    assert "try again in about 8 minutes" in str(blocked.value)
    g.check("victor", "10.0.0.3")  # other users are not affected
    clock.now += 480
    g.check("anna", "10.0.0.3")  # the oldest failure has left the window


def test_a_success_clears_the_user_name_but_not_the_address():
    g, _ = guard(max_failures=2)
    g.failed("anna", "10.0.0.1")
    g.succeeded("anna")
    g.failed("anna", "10.0.0.1")
    g.check("anna", "10.0.0.1")  # one failure since the success
    for i in range(2 * ADDRESS_FACTOR - 2):
        g.failed(f"user{i}", "10.0.0.1")
    with pytest.raises(LoginBlocked):
        g.check("somebody-new", "10.0.0.1")  # the address has tried too many names
    g.check("somebody-new", "10.0.0.9")


def test_counts_forget_old_failures():
    g, clock = guard(max_failures=2)
    g.failed("anna", None)
    clock.now += 601
    g.failed("anna", None)
    g.check("anna", None)  # the first failure is out of the window
    assert list(g._failures) == ["user:anna"]

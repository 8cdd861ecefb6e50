"""Slow password guessing down: too many failed logins and the next ones are refused for a while.

Every failed login counts against the user name tried and against the client address. Once
``max_failures`` failures of one user name (or ``max_failures * ADDRESS_FACTOR`` from one
address: an office behind one address has many users) fall within ``window_s`` seconds,
further attempts for it are refused without checking the password until the oldest of those
failures is ``window_s`` old. A successful login clears its user name's count.

The counts live in the server's memory (one guard per app): they stop an online guessing
attack against a running instance, and a restart forgets them. The refusal is the same
whether the user exists or not, so it tells an attacker nothing about account names.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

ADDRESS_FACTOR = 4


class LoginBlocked(Exception):
    """Too many failed logins: try again in ``retry_after_s`` seconds."""

    def __init__(self, retry_after_s: float) -> None:
        self.retry_after_s = max(1, int(retry_after_s + 0.999))
        minutes = max(1, round(self.retry_after_s / 60))
        super().__init__(f"Too many failed logins: try again in about {minutes} minute{'s' if minutes > 1 else ''}.")


@dataclass
class LoginGuard:
    """Counts recent failed logins per user name and per client address (thread-safe)."""

    max_failures: int = 5
    window_s: float = 900.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, username: str, address: str | None) -> None:
        """Raise ``LoginBlocked`` when this user name or address has failed too often lately."""
        now = self.clock()
        with self._lock:
            waits = [
                self._wait(key, limit, now) for key, limit in self._keys(username, address)
            ]
        wait = max(waits, default=0.0)
        if wait > 0:
            raise LoginBlocked(wait)

    def failed(self, username: str, address: str | None) -> None:
        """Count a failed login."""
        now = self.clock()
        with self._lock:
            for key, limit in self._keys(username, address):
                times = self._failures.setdefault(key, deque(maxlen=limit))
                times.append(now)

    def succeeded(self, username: str) -> None:
        """A correct password: forget the user name's failures (not the address's)."""
        with self._lock:
            self._failures.pop(_user_key(username), None)

    def _keys(self, username: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(_user_key(username), self.max_failures)]
        if address:
            keys.append((f"address:{address}", self.max_failures * ADDRESS_FACTOR))
        return keys

    def _wait(self, key: str, limit: int, now: float) -> float:
        times = self._failures.get(key)
        if not times:
            return 0.0
        while times and now - times[0] >= self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
            return 0.0
        return self.window_s - (now - times[0]) if len(times) >= limit else 0.0


def _user_key(username: str) -> str:
    return f"user:{username.strip().lower()[:100]}"

"""Client-side pacing of bulk requests, per Region."""

from __future__ import annotations

import threading
import time


class Pacer:
    """Paces one Region's requests, converging on the rate the service accepts.

    AIMD, as TCP: every request waits for its turn at the current rate; a throttled answer cuts
    the rate by 30 %, a successful one raises it by one request per second per second of
    successes (``increase / rate`` per success). It starts fast (``start`` per second), so an
    unthrottled Region is not slowed down.
    """

    def __init__(self, start: float = 100.0, floor: float = 1.0, ceiling: float = 2000.0, increase: float = 1.0) -> None:
        self.rate = start
        self._last_cut = 0.0
        self.floor, self.ceiling, self.increase = floor, ceiling, increase
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + 1.0 / self.rate
        delay = slot - now
        if delay > 0:
            time.sleep(delay)

    def throttled(self) -> None:
        with self._lock:
            now = time.monotonic()
            # The answers to a burst arrive together: one cut per second of them, not one each.
            if now - self._last_cut < 1.0:
                return
            self._last_cut = now
            self.rate = max(self.floor, self.rate * 0.7)
            # Slots already handed out at the old rate are given back.
            self._next = min(self._next, now + 1.0 / self.rate)

    def succeeded(self) -> None:
        with self._lock:
            self.rate = min(self.ceiling, self.rate + self.increase / self.rate)


_pacers: dict[int, Pacer] = {}
_pacers_lock = threading.Lock()


def pacer_for(client: object) -> Pacer:
    """The pacer of a client (one client per Region, so one pacer per Region)."""
    with _pacers_lock:
        return _pacers.setdefault(id(client), Pacer())



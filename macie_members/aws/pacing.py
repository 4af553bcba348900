"""Client-side pacing of bulk requests, per Region.

A Region's requests are not paced at all until the service throttles one, so a run that is not
throttled is limited by ``--max-concurrency`` and latency only, never by the pacer. From the
first throttled answer on, the pacer spaces the Region's requests evenly (no bursts: the
service's token bucket holds about a second of its rate) at a rate it keeps just under what the
service accepts:

* **First estimate.** A throttled answer means the service's bucket is empty. At the first one,
  the requests of the last second that were accepted, or are still unanswered (the answers to a
  burst arrive in any order), are the service's rate plus the burst its bucket held at the
  start: the pacer starts at 90 % of that. (From fewer than ``2 * min_samples`` of them, the
  estimate may be far too low: the rate then recovers at ``recover``, 10 % per second, towards
  what was being sent, until the next throttled answer.)
* **Cut.** At a later throttled answer the rate is cut to 90 % of the rate the Region was sending
  at (the pacer's rate when requests had to wait for it; what was actually sent, when
  concurrency kept the Region below it). When a large share (``overload``) of the recent answers
  were throttled, the rate was far off: it becomes at most 95 % of the rate accepted. Answers
  that arrive together (the rest of what was sent before a cut) make one cut, not one each:
  for ``hold`` seconds after a cut, throttled answers change nothing. The rates are measured
  over the last second, or at low rates long enough to hold ``2 * min_samples`` answers.
* **Probe.** Successful answers raise the rate by ``probe`` (1 %) per second, so it creeps back
  over the service's rate in about ten seconds, spends what the bucket saved up meanwhile, and
  is cut again at the first throttled answer: a throttled answer every ten to twenty seconds, at
  an average rate within a few percent of the service's.
* **Slow start.** When a cut had almost nothing to measure (fewer than ``min_samples`` answers:
  the very first request was throttled, or someone else emptied the bucket) the rate starts
  again from ``restart`` (1 per second) and doubles every second until the next throttled answer.

The pacer is thread-safe; ``clock`` and ``sleep`` can be replaced (the tests drive it with a fake
clock and no real sleeps).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

_NEVER = float("-inf")


class Pacer:
    """Paces one Region's requests: ``wait()`` before each request, then ``throttled()`` on a
    throttled answer or ``succeeded()`` on a successful one (neither on other errors)."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        backoff: float = 0.9,
        margin: float = 0.95,
        probe: float = 0.01,
        recover: float = 0.1,
        slow_start: float = 1.0,
        restart: float = 1.0,
        floor: float = 0.1,
        ceiling: float = 10_000.0,
        window: float = 1.0,
        hold: float = 1.0,
        min_samples: int = 4,
        overload: float = 0.25,
        horizon: float = 20.0,
    ) -> None:
        self.rate: float | None = None  # requests per second; None: not paced (never throttled)
        self.backoff, self.margin, self.probe = backoff, margin, probe
        self.recover, self.slow_start, self.restart = recover, slow_start, restart
        self.floor, self.ceiling = floor, ceiling
        self.window, self.hold, self.horizon = window, hold, horizon
        self.min_samples, self.overload = min_samples, overload
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        # Times of the last ``horizon`` seconds' requests, accepted and throttled answers.
        self._sent: deque[float] = deque()
        self._accepted: deque[float] = deque()
        self._throttled: deque[float] = deque()
        self._next = _NEVER  # earliest time of the next request, when paced
        self._first_sent = self._last_sent = _NEVER
        self._last_wait = _NEVER  # last time a request had to wait for the pacer
        self._last_cut = _NEVER
        self._grown_at = _NEVER
        self._slow_start = False
        self._peak = 0.0  # the rate that was being sent at the last cut

    # ------------------------------------------------------------------ requests

    def wait(self) -> None:
        """Block until this Region may send its next request."""
        while True:
            delay = self.reserve()
            if delay <= 0:
                return
            self._sleep(delay)

    def reserve(self) -> float:
        """Take the next request's slot and return 0.0 if it has come; else return the seconds
        to wait before asking again (another thread may take the slot meanwhile, or the rate
        may change)."""
        with self._lock:
            now = self._clock()
            if self.rate is not None:
                if now < self._next:
                    self._last_wait = now
                    return self._next - now
                interval = 1.0 / self.rate
                # A thread woken a little late catches up (by up to a slot, at most 50 ms), but
                # an idle Region does not save up a burst.
                self._next = max(self._next, now - min(interval, 0.05)) + interval
            self._last_sent = now
            if self._first_sent == _NEVER:
                self._first_sent = now
            self._record(self._sent, now)
            return 0.0

    # ------------------------------------------------------------------- answers

    def succeeded(self) -> None:
        with self._lock:
            now = self._clock()
            self._record(self._accepted, now)
            if self.rate is not None:
                growth = self.probe
                if self._slow_start:
                    growth = self.slow_start
                elif self.rate < 0.99 * self.backoff * self._peak:
                    growth = self.recover  # back up to where the last cut would have put it
                # Per second of successful answers; capped, so that an answer after a long
                # silence does not make a jump.
                elapsed = min(1.0, max(0.0, now - self._grown_at))
                self.rate = min(self.ceiling, self.rate * (1.0 + growth) ** elapsed)
            self._grown_at = now

    def throttled(self) -> None:
        with self._lock:
            now = self._clock()
            self._record(self._throttled, now)
            if now - self._last_cut < self.hold:
                return  # the rest of what was sent before the last cut
            # Look back a second; once paced, far enough to see ``2 * min_samples`` accepted
            # answers (at low rates), but not more than ``horizon`` seconds.
            span = self.window
            if self.rate is not None:
                enough = 2 * self.min_samples
                oldest = self._accepted[-enough] if len(self._accepted) >= enough else _NEVER
                span = min(self.horizon, now - self._first_sent, max(span, now - oldest))
            accepted = self._count(self._accepted, now - span)
            accepted_rate = accepted / span
            informed = True
            if self.rate is None:
                # The answers to a burst arrive in any order: count the requests of the last
                # second still unanswered as accepted (an overestimate that the next cut fixes,
                # rather than an underestimate that probing takes a long time to undo).
                answered = accepted + self._count(self._throttled, now - span)
                sent = self._count(self._sent, now - span)
                in_flight = max(0, sent - answered)
                peak = (accepted + in_flight) / span
                rate = self.backoff * peak
                informed = accepted + in_flight >= self.min_samples
                if accepted + in_flight < 2 * self.min_samples:
                    # A thin sample may be well below the service's rate: recover quickly
                    # towards what was being sent, until the next throttled answer.
                    peak = max(peak, sent / max(0.01, min(span, now - self._first_sent)))
            else:
                bound = now - self._last_wait < span  # requests waited for the pacer
                peak = self.rate if bound else min(self.rate, self._count(self._sent, now - span) / span)
                rate = self.backoff * peak
                if self._count(self._throttled, now - span) >= self.overload * (accepted + 1):
                    if self.margin * accepted_rate < rate:
                        rate, peak = self.margin * accepted_rate, accepted_rate
                    informed = accepted >= self.min_samples
            self._slow_start = not informed
            if self._slow_start:
                rate = max(rate, self.restart)
            self.rate = max(self.floor, min(self.ceiling, rate))
            self._peak = peak
            self._last_cut = self._grown_at = now
            # The next request waits a whole interval at the new rate after the last one.
            self._next = max(self._last_sent + 1.0 / self.rate, now)

    # ------------------------------------------------------------------- helpers

    def _record(self, times: deque[float], now: float) -> None:
        times.append(now)
        horizon = now - self.horizon
        while times[0] <= horizon:
            times.popleft()

    @staticmethod
    def _count(times: deque[float], since: float) -> int:
        count = 0
        for t in reversed(times):
            if t < since:
                break
            count += 1
        return count

"""The Region pacer (macie_members.aws.pacing), driven by a fake clock: no real sleeps, no timing."""

from __future__ import annotations

import heapq
import itertools

import pytest

from macie_members.aws.pacing import Pacer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make(clock: FakeClock, probe: float = 0.01) -> Pacer:
    return Pacer(clock=clock, sleep=clock.sleep, probe=probe)


def send(pacer: Pacer, clock: FakeClock, answers: str, every: float) -> None:
    """One request per `every` seconds (or later, when the pacer says so), answered half-way to
    the next: "s" succeeded, "t" throttled. (No answer falls on the edge of a one-second window.)"""
    for answer in answers:
        while (delay := pacer.reserve()) > 0:
            clock.advance(delay)
        clock.advance(every / 2)
        if answer == "s":
            pacer.succeeded()
        else:
            pacer.throttled()
        clock.advance(every / 2)


def test_not_paced_until_throttled(clock: FakeClock) -> None:
    pacer = make(clock)
    for _ in range(10_000):  # any number of requests at the same instant
        pacer.wait()
        pacer.succeeded()
    assert pacer.rate is None
    assert clock.slept == []


def test_first_throttle_starts_below_what_was_accepted_over_the_last_second(clock: FakeClock) -> None:
    pacer = make(clock)
    send(pacer, clock, "s" * 30, 0.1)  # 3 s of successes: 10 in the last second
    pacer.throttled()
    assert pacer.rate == pytest.approx(9.0)
    assert pacer.reserve() > 0  # one cut: the next request waits for the new rate


def test_first_estimate_counts_requests_still_unanswered(clock: FakeClock) -> None:
    pacer = make(clock)
    for _ in range(16):  # a burst: 16 requests at once
        assert pacer.reserve() == 0.0
    clock.advance(0.05)
    pacer.succeeded()
    pacer.throttled()  # answers arrive in any order: 14 still unanswered
    assert pacer.rate == pytest.approx(0.9 * 15)


def test_thin_first_sample_recovers_quickly_towards_what_was_sent(clock: FakeClock) -> None:
    pacer = make(clock)
    for _ in range(6):  # 6 requests in 60 ms: 100 per second
        assert pacer.reserve() == 0.0
        clock.advance(0.01)
    for _ in range(4):
        pacer.succeeded()
    pacer.throttled()  # 4 accepted, 1 unanswered: 4.5 per second, from a thin sample
    assert pacer.rate == pytest.approx(4.5)
    send(pacer, clock, "s" * 30, 0.2)  # 10 % per second, not 1 %
    assert pacer.rate == pytest.approx(4.5 * 1.1**6, rel=0.02)


def test_paced_requests_are_evenly_spaced_without_bursts(clock: FakeClock) -> None:
    pacer = make(clock)
    send(pacer, clock, "s" * 10, 0.01)
    pacer.throttled()
    rate = pacer.rate
    assert rate is not None
    # Many threads asking at once: one slot each 1/rate seconds.
    granted = []
    end = clock.now + 10.0
    while clock.now < end:
        delay = pacer.reserve()
        if delay > 0:
            clock.advance(delay)
            continue
        granted.append(clock.now)
    gaps = [b - a for a, b in itertools.pairwise(granted)]
    assert min(gaps) == pytest.approx(1 / rate)
    assert len(granted) == pytest.approx(10 * rate, abs=1)
    # After an idle minute there is no saved-up burst: at most one extra request at once.
    clock.advance(60)
    immediate = 0
    while pacer.reserve() == 0.0:
        immediate += 1
    assert immediate <= 2


def test_wait_sleeps_until_the_slot(clock: FakeClock) -> None:
    pacer = make(clock)
    send(pacer, clock, "s" * 5, 0.01)
    pacer.throttled()  # 5 accepted in the last second: 4.5 per second
    assert pacer.rate == pytest.approx(4.5)
    pacer.wait()
    start = clock.now
    pacer.wait()
    assert clock.now - start == pytest.approx(1 / 4.5)
    assert all(s > 0 for s in clock.slept)


def test_throttled_answers_arriving_together_make_one_cut(clock: FakeClock) -> None:
    pacer = make(clock)
    send(pacer, clock, "s" * 20, 0.05)
    pacer.throttled()
    cut = pacer.rate
    for _ in range(7):  # the rest of a burst
        pacer.throttled()
    assert cut is not None
    assert pacer.rate == cut


def test_later_throttle_cuts_the_paced_rate_by_ten_percent(clock: FakeClock) -> None:
    pacer = make(clock, probe=0.0)
    send(pacer, clock, "s" * 11, 0.09)
    pacer.throttled()
    rate = pacer.rate
    assert rate is not None
    # Requests wait for the pacer (it is what limits the Region), one throttled answer in 30.
    for i in range(60):
        while (delay := pacer.reserve()) > 0:
            clock.advance(delay)
        if i == 59:
            pacer.throttled()
        else:
            pacer.succeeded()
    assert pacer.rate < rate
    assert pacer.rate == pytest.approx(0.9 * rate)


def test_cut_follows_what_was_sent_when_concurrency_kept_the_region_below_the_rate(clock: FakeClock) -> None:
    pacer = make(clock, probe=0.0)
    send(pacer, clock, "s" * 100, 0.01)
    pacer.throttled()  # 100 per second accepted: 90 per second
    assert pacer.rate == pytest.approx(90.0)
    clock.advance(1.0)
    send(pacer, clock, "s" * 40, 0.05)  # then 20 per second, never waiting for the pacer
    pacer.throttled()
    assert pacer.rate == pytest.approx(0.9 * 20, rel=0.06)


def test_heavy_throttling_cuts_to_what_was_accepted(clock: FakeClock) -> None:
    pacer = make(clock, probe=0.0)
    send(pacer, clock, "s" * 50, 0.02)
    pacer.throttled()  # a big first burst: 45 per second, far above the service's 10
    assert pacer.rate == pytest.approx(45.0)
    first = pacer.rate
    # Sending at 45 per second, one answer in five accepted (9 per second) until the next cut.
    for answer in itertools.cycle("stttt"):
        send(pacer, clock, answer, 1 / 45)
        if pacer.rate != first:
            break
    assert pacer.rate == pytest.approx(0.95 * 9, rel=0.12)


def test_probes_upward_by_one_percent_per_second(clock: FakeClock) -> None:
    pacer = make(clock)
    send(pacer, clock, "s" * 10, 0.1)
    pacer.throttled()
    assert pacer.rate == pytest.approx(9.0)
    send(pacer, clock, "s" * 90, 1 / 9)  # ten seconds of successes
    assert pacer.rate == pytest.approx(9.0 * 1.01**10, rel=0.01)


def test_slow_start_when_there_was_nothing_to_measure(clock: FakeClock) -> None:
    pacer = make(clock)
    assert pacer.reserve() == 0.0
    pacer.throttled()  # the very first answer is throttled: nothing accepted to measure
    assert pacer.rate == pytest.approx(1.0)
    # Doubling per second of successes, until the next throttled answer.
    for _ in range(20):
        clock.advance(0.1)
        pacer.succeeded()
    assert pacer.rate == pytest.approx(2.0**2)
    send(pacer, clock, "s" * 20, 0.1)  # the rate passes 10 per second, the pace of the requests
    pacer.throttled()  # measured this time: 0.9 times what was being sent
    assert pacer.rate == pytest.approx(0.9 * 10)
    send(pacer, clock, "s" * 20, 0.1)
    assert pacer.rate is not None
    assert 9.0 < pacer.rate < 9.0 * 1.01**3  # probing again, slowly


def test_other_errors_change_nothing(clock: FakeClock) -> None:
    pacer = make(clock)
    for _ in range(100):
        pacer.wait()  # answered with a 500 or a connection error: neither call is made
    assert pacer.rate is None and clock.slept == []


# ------------------------------------------------------------- against a token bucket


def simulate(*, rate: float, capacity: float, items: int, workers: int, latency: float = 0.05) -> tuple[float, int, int]:
    """Workers run `items` requests through one pacer against a token bucket (`rate` per second,
    `capacity` tokens), each answered after `latency`; a throttled item is retried 0.1 s later.
    Returns (seconds, requests, throttled)."""
    clock = FakeClock()
    start = clock.now
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    tokens, stamp = capacity, clock.now
    remaining, requests, throttled = items, 0, 0
    events: list[tuple[float, int, str]] = []
    order = itertools.count()
    for _ in range(workers):
        heapq.heappush(events, (clock.now, next(order), "ask"))
    while events:
        clock.now, _, what = heapq.heappop(events)
        if what == "ask":
            if remaining == 0:
                continue
            delay = pacer.reserve()
            if delay > 0:
                heapq.heappush(events, (clock.now + delay, next(order), "ask"))
                continue
            remaining -= 1
            requests += 1
            tokens = min(capacity, tokens + (clock.now - stamp) * rate)
            stamp = clock.now
            accepted = tokens >= 1
            tokens -= 1 if accepted else 0
            heapq.heappush(events, (clock.now + latency, next(order), "ok" if accepted else "429"))
        elif what == "ok":
            pacer.succeeded()
            heapq.heappush(events, (clock.now, next(order), "ask"))
        else:
            throttled += 1
            pacer.throttled()
            remaining += 1  # the item is tried again
            heapq.heappush(events, (clock.now + 0.1, next(order), "ask"))
    return clock.now - start, requests, throttled


@pytest.mark.parametrize(("rate", "workers"), [(10, 4), (10, 16), (20, 16), (50, 16)])
def test_converges_near_the_floor_with_few_throttled_answers(rate: float, workers: int) -> None:
    items = 1000
    seconds, requests, throttled = simulate(rate=rate, capacity=rate, items=items, workers=workers)
    assert seconds <= 1.15 * items / rate
    assert throttled < 0.05 * requests


def test_unthrottled_run_is_limited_by_concurrency_only() -> None:
    seconds, requests, throttled = simulate(rate=1e9, capacity=1e9, items=1000, workers=16)
    assert (requests, throttled) == (1000, 0)
    assert seconds == pytest.approx(1000 / 16 * 0.05, rel=0.01)

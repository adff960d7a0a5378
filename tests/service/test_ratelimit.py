"""The per-key token bucket."""

from __future__ import annotations

from service.ratelimit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_gets_a_burst_of_its_limit_then_waits() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, clock=clock)
    assert [limiter.acquire("k") for _ in range(3)] == [None, None, None]
    wait = limiter.acquire("k")
    assert wait is not None
    assert 19.0 < wait <= 20.0  # one request every 20 seconds at 3 a minute
    assert RateLimiter.retry_after(wait) == "20"


def test_tokens_come_back_with_time() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, clock=clock)
    for _ in range(60):
        limiter.acquire("k")
    assert limiter.acquire("k") is not None
    clock.now += 1.0
    assert limiter.acquire("k") is None


def test_keys_have_their_own_buckets() -> None:
    limiter = RateLimiter(1, clock=FakeClock())
    assert limiter.acquire("a") is None
    assert limiter.acquire("a") is not None
    assert limiter.acquire("b") is None

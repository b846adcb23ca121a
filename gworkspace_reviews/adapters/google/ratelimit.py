"""Client-side token buckets that keep one user under Sheets' and Docs' per-minute quotas."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

BURST_SHARE = 30  # the default burst is 1/30 of the per-minute quota (2 at 60/min); see TokenBucket


class TokenBucket:
    """At most ``per_minute`` acquisitions in any 60-second window, bursts of up to ``burst``.

    A burst followed by steady refilling would allow ``burst + rate * 60`` calls in a window, so the refill
    rate is ``(per_minute - burst) / 60`` per second. Callers reserve a token under the lock and sleep outside
    it, so threads queue fairly and no thread holds the lock while waiting.

    The default burst is small, ``per_minute // BURST_SHARE``: every token of burst is taken from the
    sustained rate, which is what paces a large run (bench/results.md: with per_minute // 6, 1,000 header
    writes took 1.21x the quota's floor; with 1/30, 1.08x). The burst's slack (2 s at 60/min) also absorbs
    jitter between when we send a request and when Google counts it.
    """

    def __init__(
        self,
        per_minute: int,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        per_minute = max(1, per_minute)
        size = burst if burst is not None else max(1, per_minute // BURST_SHARE)
        self.burst = max(1, min(size, per_minute - 1)) if per_minute > 1 else 1
        self.rate = max(per_minute - self.burst, 1) / 60.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(self.burst)
        self._stamp = clock()

    def acquire(self) -> float:
        """Take one token, waiting as long as needed; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if wait > 0:
            self._sleep(wait)
        return wait


class Quotas:
    """The buckets of one acting user: ``sheets.read``, ``sheets.write``, ``docs.write`` (not Drive)."""

    NAMES = ("sheets.read", "sheets.write", "docs.write")

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.buckets = {name: TokenBucket(per_minute, clock=clock, sleep=sleep) for name in self.NAMES}

    def acquire(self, name: str | None) -> float:
        """Take a token from bucket ``name`` (no-op for None or an unlimited name)."""
        bucket = self.buckets.get(name) if name else None
        return bucket.acquire() if bucket else 0.0

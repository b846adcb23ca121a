"""The one retry policy for every Google call: capped exponential backoff, jitter, Retry-After."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from gworkspace_reviews.adapters.google.apierrors import ApiFailure, classify
from gworkspace_reviews.errors import TransientError

T = TypeVar("T")
log = logging.getLogger(__name__)


class RetryPolicy:
    """Retries retryable failures (429, 5xx, dropped connections, 403 rate limits) up to a cap.

    The cap is both a number of attempts and a total time budget: a wait that would end past the budget is
    not started. ``sleep``, ``clock`` and ``rng`` are injectable so tests never wait.
    """

    def __init__(
        self,
        max_attempts: int = 6,
        max_seconds: float = 120.0,
        *,
        base: float = 1.0,
        cap: float = 32.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.max_attempts = max(1, max_attempts)
        self.max_seconds = max_seconds
        self.base = base
        self.cap = cap
        self._sleep = sleep
        self._clock = clock
        self._rng = rng

    def delay(self, attempt: int, failure: ApiFailure) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        ceiling: float = min(self.cap, self.base * 2.0 ** (attempt - 1))
        # "Equal jitter": never less than half the step, so a busy API gets real relief.
        wait = ceiling / 2 + self._rng() * ceiling / 2
        if failure.retry_after is not None:
            wait = max(wait, failure.retry_after)
        return wait

    def run(self, call: Callable[[], T], what: str) -> T:
        """Return ``call()``, retrying retryable failures; other errors propagate unchanged.

        Raises TransientError naming ``what`` once the attempt or time cap is reached.
        """
        start = self._clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return call()
            except Exception as exc:
                failure = classify(exc)
                if failure is None or not failure.retryable:
                    raise
                elapsed = self._clock() - start
                wait = self.delay(attempt, failure)
                if attempt >= self.max_attempts or elapsed + wait > self.max_seconds:
                    raise TransientError(
                        f"{what}: Google kept failing ({failure.summary()}) after {attempt} attempt(s) in "
                        f"{elapsed:.0f}s; gave up (caps: google.max_attempts={self.max_attempts}, "
                        f"google.max_retry_seconds={self.max_seconds:g}). Nothing else was changed for it: "
                        "run the command again later; it picks up where it stopped."
                    ) from exc
                log.info("%s: %s; retry %d in %.1fs", what, failure.summary(), attempt, wait)
                self._sleep(wait)

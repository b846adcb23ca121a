"""Time-scaled quota: a virtual clock for the client limiter and retry policy, matched by the fake's window.

At scale ``s`` a quota "minute" lasts ``60 / s`` real seconds. The fake enforces 60 requests per
``60 / s`` seconds; the client gets ``clock() = monotonic() * s`` and ``sleep(x) = real sleep(x / s)``, so
its limiter (``requests_per_minute = 60``, unchanged) and its retry backoff run in the same scaled minutes.
Request latency is *not* scaled: 80 ms stays 80 ms of real time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class VirtualTime:
    """Seconds of quota time per real second (``scale``) and the clock/sleep pair that applies it."""

    scale: float

    def clock(self) -> float:
        """Virtual seconds (monotonic)."""
        return time.monotonic() * self.scale

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of virtual time."""
        if seconds > 0:
            time.sleep(seconds / self.scale)

    def minute_s(self) -> float:
        """How long a quota minute lasts in real seconds."""
        return 60.0 / self.scale

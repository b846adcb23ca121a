"""Injected failures (seeded, deterministic) and the per-caller quota model of the fake Google server."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tests.fakegoogle.store import ApiError

# The kinds of failure a fault can be. "drop" closes the connection without an answer.
RATE_429 = "429"
RATE_429_RETRY_AFTER = "429-retry-after"
INTERNAL_500 = "500"
UNAVAILABLE_503 = "503"
UNAVAILABLE_503_RETRY_AFTER = "503-retry-after"
USER_RATE_403 = "403-userRateLimitExceeded"
DROP = "drop"
ALL_KINDS = (
    RATE_429,
    RATE_429_RETRY_AFTER,
    INTERNAL_500,
    UNAVAILABLE_503,
    UNAVAILABLE_503_RETRY_AFTER,
    USER_RATE_403,
    DROP,
)


class DropConnection(Exception):
    """Raised by a fault of kind ``drop``: the server closes the socket without answering."""


def fault_error(kind: str, method_id: str, retry_after_s: int = 1) -> ApiError:
    """The error Google answers for a fault of ``kind``."""
    service = method_id.split(".", 1)[0]
    if kind in (RATE_429, RATE_429_RETRY_AFTER):
        headers = {"Retry-After": str(retry_after_s)} if kind == RATE_429_RETRY_AFTER else {}
        return ApiError(
            429,
            f"Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' "
            f"of service '{service}.googleapis.com' for consumer 'project_number:000000000000'.",
            reason="rateLimitExceeded",
            headers=headers,
        )
    if kind == INTERNAL_500:
        return ApiError(500, "Internal error encountered.", reason="backendError")
    if kind in (UNAVAILABLE_503, UNAVAILABLE_503_RETRY_AFTER):
        headers = {"Retry-After": str(retry_after_s)} if kind == UNAVAILABLE_503_RETRY_AFTER else {}
        return ApiError(503, "The service is currently unavailable.", reason="backendError", headers=headers)
    if kind == USER_RATE_403:
        return ApiError(
            403,
            "User Rate Limit Exceeded. Rate of requests for user exceed configured project quota.",
            reason="userRateLimitExceeded",
            domain="usageLimits",
        )
    raise ValueError(f"unknown fault kind {kind!r}; use one of {', '.join(ALL_KINDS)}")


@dataclass
class _Pending:
    remaining: int
    kind: str
    method_id: str | None


class Faults:
    """Which requests fail and how: a seeded random fraction, and explicit "fail the next N" rules."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.retry_after_s = 1
        self.injected: Counter[str] = Counter()  # kind -> how many were injected
        self.clear()

    def clear(self) -> None:
        """No more faults."""
        with self._lock:
            self._fraction = 0.0
            self._kinds: tuple[str, ...] = ()
            self._prefix = ""
            self._rng = random.Random(0)
            self._pending: list[_Pending] = []

    def configure(
        self, fraction: float, kinds: Iterable[str] = ALL_KINDS, *, seed: int = 0, methods_prefix: str = ""
    ) -> None:
        """Fail ``fraction`` of the requests whose method id starts with ``methods_prefix``, with a kind drawn
        from ``kinds``; the same seed and the same request sequence give the same faults."""
        kinds = tuple(kinds)
        for kind in kinds:
            fault_error(kind, "x.y") if kind != DROP else None
        with self._lock:
            self._fraction = fraction
            self._kinds = kinds
            self._prefix = methods_prefix
            self._rng = random.Random(seed)

    def fail_next(self, n: int = 1, kind: str = UNAVAILABLE_503, method_id: str | None = None) -> None:
        """Fail the next ``n`` requests (only those whose method id equals or starts with ``method_id``)."""
        if kind != DROP:
            fault_error(kind, "x.y")
        with self._lock:
            self._pending.append(_Pending(n, kind, method_id))

    def decide(self, method_id: str) -> str | None:
        """The fault kind for this request, or None to serve it."""
        with self._lock:
            for rule in self._pending:
                if rule.method_id is None or method_id.startswith(rule.method_id):
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._pending.remove(rule)
                    self.injected[rule.kind] += 1
                    return rule.kind
            if self._fraction > 0 and method_id.startswith(self._prefix) and self._rng.random() < self._fraction:
                kind = self._rng.choice(self._kinds)
                self.injected[kind] += 1
                return kind
        return None


PROJECT = "(project)"  # the window key of a per-project rule


@dataclass
class QuotaRule:
    """At most ``limit`` requests per caller (or per project) per ``window_s`` seconds for methods starting
    with ``prefix``."""

    limit: int
    window_s: float
    prefix: str
    kind: str | None  # "read" (GET), "write" (other methods) or None for both
    per_project: bool = False
    seen: dict[str, deque[float]] = field(default_factory=dict)

    def applies(self, method_id: str, http_method: str) -> bool:
        """Whether a request of this method counts against the rule."""
        return method_id.startswith(self.prefix) and (
            self.kind is None or (self.kind == "read") == (http_method == "GET")
        )


class Quota:
    """Sliding-window rate limits per caller (or project), answering 429 RESOURCE_EXHAUSTED like Sheets."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self.clock = clock
        self.rules: list[QuotaRule] = []
        self.rejected: Counter[str] = Counter()  # caller email -> rejected requests

    def add(
        self, limit: int, window_s: float, prefix: str = "sheets.", kind: str | None = None, per_project: bool = False
    ) -> None:
        """Add a limit; ``kind`` narrows it to "read" (GET) or "write" requests; ``per_project`` makes all
        callers share one window (Sheets' 300 requests per minute per project)."""
        if kind not in (None, "read", "write"):
            raise ValueError("kind must be None, 'read' or 'write'")
        with self._lock:
            self.rules.append(QuotaRule(limit, window_s, prefix, kind, per_project))

    def clear(self) -> None:
        """Remove all limits."""
        with self._lock:
            self.rules.clear()

    def charge(self, caller: str, method_id: str, http_method: str) -> None:
        """Count one request; 429 when a rule's window is already full (nothing is counted then)."""
        now = self.clock()
        with self._lock:
            rules = [r for r in self.rules if r.applies(method_id, http_method)]
            for rule in rules:
                window = rule.seen.setdefault(PROJECT if rule.per_project else caller, deque())
                while window and window[0] <= now - rule.window_s:
                    window.popleft()
                if len(window) >= rule.limit:
                    self.rejected[caller] += 1
                    service = method_id.split(".", 1)[0]
                    metric = {"read": "Read requests", "write": "Write requests"}.get(rule.kind or "", "Requests")
                    scope = "per project" if rule.per_project else "per user"
                    raise ApiError(
                        429,
                        f"Quota exceeded for quota metric '{metric}' and limit '{metric} per "
                        f"minute {scope}' of service '{service}.googleapis.com' for consumer "
                        "'project_number:000000000000'.",
                        reason="rateLimitExceeded",
                    )
            for rule in rules:
                rule.seen[PROJECT if rule.per_project else caller].append(now)

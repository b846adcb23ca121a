"""The Drive v3, Sheets v4 and Docs v1 clients, and the one way every call is sent (quota, retry, errors)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

from google.auth import exceptions as auth_exceptions
from google.auth.credentials import Credentials
from googleapiclient import discovery

from gworkspace_reviews.adapters.google.apierrors import classify, project_error
from gworkspace_reviews.adapters.google.auth import Identity, load_credentials, token_refused
from gworkspace_reviews.adapters.google.ratelimit import Quotas
from gworkspace_reviews.adapters.google.retry import RetryPolicy
from gworkspace_reviews.adapters.google.transport import PerThreadHttp
from gworkspace_reviews.config_types import GoogleConfig

# (config key in google.endpoints, discovery name, version)
SERVICES: dict[str, tuple[str, str]] = {
    "drive": ("drive", "v3"),
    "sheets": ("sheets", "v4"),
    "docs": ("docs", "v1"),
}

Json = dict[str, Any]


class Gateway:
    """Builds the googleapiclient services once (static discovery) and executes their requests.

    Every request goes through :meth:`execute`: a quota token (Sheets/Docs), the retry policy, then errors
    mapped to project errors that name the file and the fix. Requests run on this thread's own session.
    """

    def __init__(
        self,
        google: GoogleConfig,
        *,
        credentials: Credentials | None = None,
        identity: Identity | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.config = google
        if credentials is None:
            credentials, identity = load_credentials(google)
        self.credentials = credentials
        self.identity = identity or Identity(
            email=google.subject or str(getattr(credentials, "service_account_email", "") or "the account"),
            source="given credentials",
        )
        self.retry = RetryPolicy(
            google.max_attempts, google.max_retry_seconds, sleep=sleep, clock=clock, rng=rng,
            base=google.retry_base_seconds,
        )
        self.quotas = Quotas(google.requests_per_minute, clock=clock, sleep=sleep)
        self.http = PerThreadHttp(credentials)
        self._services: dict[str, Any] = {}
        self._lock = threading.Lock()

    def service(self, name: str) -> Any:
        """The googleapiclient Resource for ``drive``, ``sheets`` or ``docs`` (built on first use)."""
        with self._lock:
            if name not in self._services:
                api, version = SERVICES[name]
                endpoint = self.config.endpoints.get(name)
                self._services[name] = discovery.build(
                    api,
                    version,
                    http=self.http.get(),
                    static_discovery=True,
                    cache_discovery=False,
                    client_options={"api_endpoint": endpoint} if endpoint else None,
                )
            return self._services[name]

    @property
    def drive(self) -> Any:
        """Drive v3."""
        return self.service("drive")

    @property
    def sheets(self) -> Any:
        """Sheets v4."""
        return self.service("sheets")

    @property
    def docs(self) -> Any:
        """Docs v1."""
        return self.service("docs")

    def execute(self, request: Any, *, what: str, target: str, quota: str | None = None) -> Json:
        """Send a built request under the retry policy; GoogleCallError (naming ``target``) when it fails."""
        return self.run(lambda: self.send(request, quota), what=what, target=target)

    def run(self, call: Callable[[], Json], *, what: str, target: str) -> Json:
        """Run ``call`` (one or more requests) under the retry policy with the same error mapping."""
        try:
            return self.retry.run(call, what)
        except auth_exceptions.RefreshError as exc:
            raise token_refused(self.identity, exc, self.config.subject) from None
        except Exception as exc:
            failure = classify(exc)
            if failure is None:
                raise
            raise project_error(failure, what, target, self.identity.email) from exc

    def send(self, request: Any, quota: str | None = None) -> Json:
        """One attempt, no retry, raw client exceptions: for composing inside :meth:`run`."""
        self.quotas.acquire(quota)
        result: Json = request.execute(http=self.http.get())
        return result

    def close(self) -> None:
        """Close the HTTP sessions."""
        self.http.close()

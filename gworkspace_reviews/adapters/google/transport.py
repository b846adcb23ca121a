"""googleapiclient's HTTP interface (httplib2.Http.request) served by a requests AuthorizedSession.

Why not httplib2: it is not thread safe, and it silently re-sends a request once when a connection drops,
POSTs included, which could copy a template twice behind our retry policy's back. requests (urllib3)
retries nothing by default, pools connections, and google-auth refreshes tokens for it;
one session per thread keeps it safe.
"""

from __future__ import annotations

import threading
from typing import Any

import httplib2
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession

# Headers describing the wire encoding that requests has already undone.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class RequestsHttp:
    """An object googleapiclient can use as its ``http``: ``request()`` returns (httplib2.Response, bytes)."""

    def __init__(self, session: AuthorizedSession, timeout: float = 60.0) -> None:
        self.session = session
        self.timeout = timeout

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        redirections: int = 5,
        connection_type: Any = None,
    ) -> tuple[httplib2.Response, bytes]:
        """Send one request; transport failures raise requests' exceptions (the retry policy knows them)."""
        reply = self.session.request(  # type: ignore[no-untyped-call]
            method, uri, data=body, headers=headers, timeout=self.timeout
        )
        info: dict[str, str] = {
            k.lower(): v for k, v in reply.headers.items() if k.lower() not in _WIRE_HEADERS
        }
        info["status"] = str(reply.status_code)
        response = httplib2.Response(info)
        response.reason = reply.reason or ""
        return response, reply.content


class PerThreadHttp:
    """One RequestsHttp (and session) per thread, all sharing the same credentials."""

    def __init__(self, credentials: Credentials, timeout: float = 60.0) -> None:
        self._credentials = credentials
        self._timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: list[AuthorizedSession] = []

    def get(self) -> RequestsHttp:
        """This thread's http object, made on first use."""
        http: RequestsHttp | None = getattr(self._local, "http", None)
        if http is None:
            session = AuthorizedSession(self._credentials)  # type: ignore[no-untyped-call]
            http = RequestsHttp(session, self._timeout)
            self._local.http = http
            with self._lock:
                self._sessions.append(session)
        return http

    def close(self) -> None:
        """Close every session made so far."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()  # type: ignore[no-untyped-call]

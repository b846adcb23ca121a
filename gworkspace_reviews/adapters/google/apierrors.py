"""What went wrong in a Google call, whichever client made it, and the project error a person can act on."""

from __future__ import annotations

import email.utils
import http.client
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from google.auth import exceptions as auth_exceptions
from googleapiclient.errors import HttpError

from gworkspace_reviews.errors import WorkspaceError

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
CONNECTION = "connection"


class GoogleCallError(WorkspaceError):
    """A Google call failed in a way retrying cannot fix; ``failure`` says how (status, reason)."""

    def __init__(self, message: str, failure: ApiFailure | None = None) -> None:
        super().__init__(message)
        self.failure = failure


class SystemicError(GoogleCallError):
    """A failure that every further call would repeat (no storage, bad credentials): stop the run."""


class StorageQuotaError(SystemicError):
    """The acting account owns no Drive storage (a service account copying into a My Drive folder)."""


class AuthError(SystemicError):
    """Google rejected who we are or what we may do (401, missing scope, API disabled)."""


@dataclass(frozen=True)
class ApiFailure:
    """One failed attempt: HTTP status (None when the connection failed), Google's reason and message."""

    status: int | None
    reason: str
    message: str
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        """Whether the same request may succeed when sent again."""
        if self.status is None:
            return True
        if self.status in RETRYABLE_STATUS:
            return True
        return self.status == 403 and self.reason in RATE_LIMIT_REASONS

    def summary(self) -> str:
        """Short text for messages, e.g. ``503 backendError: The service is unavailable``."""
        if self.status is None:
            return f"connection failed: {self.message}"
        reason = f" {self.reason}" if self.reason else ""
        return f"{self.status}{reason}: {self.message}".rstrip(": ")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def _google_error(content: bytes | str | None) -> tuple[str, str]:
    """(reason, message) from Google's JSON error body; empty strings when it is not one."""
    if not content:
        return "", ""
    try:
        data: Any = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        return "", text.strip()[:200]
    if isinstance(data, list) and data:
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return "", ""
    error = data["error"]
    message = str(error.get("message", ""))
    reason = ""
    errors = error.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        reason = str(errors[0].get("reason", ""))
    if not reason:
        # Sheets and Docs (v4/v1) report the reason in details[].reason, or only a status.
        for detail in error.get("details") or []:
            if isinstance(detail, dict) and detail.get("reason"):
                reason = str(detail["reason"])
                break
    return reason or str(error.get("status", "")), message


def classify(exc: BaseException) -> ApiFailure | None:
    """The failure behind ``exc``, or None when it is not a Google call failing (a bug: let it propagate)."""
    if isinstance(exc, HttpError):
        reason, message = _google_error(exc.content)
        headers = exc.resp
        retry_after = parse_retry_after(headers.get("retry-after")) if hasattr(headers, "get") else None
        return ApiFailure(int(exc.resp.status), reason, message or str(exc.reason), retry_after)
    response = getattr(exc, "response", None)
    if isinstance(response, requests.Response) and isinstance(exc, Exception):
        # requests.HTTPError and gspread's APIError both carry the requests.Response.
        reason, message = _google_error(response.content)
        return ApiFailure(
            response.status_code,
            reason,
            message or response.reason or "",
            parse_retry_after(response.headers.get("Retry-After")),
        )
    if isinstance(
        exc,
        requests.exceptions.ConnectionError
        | requests.exceptions.Timeout
        | requests.exceptions.ChunkedEncodingError,
    ):
        return ApiFailure(None, CONNECTION, type(exc).__name__ + ": " + str(exc)[:200])
    if isinstance(
        exc, ConnectionError | TimeoutError | http.client.HTTPException | auth_exceptions.TransportError
    ):
        return ApiFailure(None, CONNECTION, type(exc).__name__ + ": " + str(exc)[:200])
    return None


def project_error(failure: ApiFailure, what: str, target: str, identity: str) -> GoogleCallError:
    """The error to show for a failure that retrying cannot fix; names ``target`` and the fix."""
    reason, status = failure.reason, failure.status
    if reason == "storageQuotaExceeded":
        return StorageQuotaError(
            f"{what}: Google refused with storageQuotaExceeded. Service accounts own no Drive storage, so "
            f"{identity} cannot own the copy. Fix one of two ways: (1) put the review folder in a shared "
            "drive "
            f"and add {identity} to that shared drive as Content manager; or (2) set google.subject in "
            "reviews.toml to a Workspace user so the copies are made (and owned) by that user through "
            "domain-wide delegation.",
            failure,
        )
    if status == 401:
        return AuthError(
            f"{what}: Google rejected the credentials of {identity} (401 {failure.message}). Check the key "
            "file "
            "(google.credentials or GOOGLE_APPLICATION_CREDENTIALS) is a current key of that service "
            "account.",
            failure,
        )
    if reason in {"accessNotConfigured", "SERVICE_DISABLED"}:
        return AuthError(
            f"{what}: {failure.message} Enable the Drive, Sheets and Docs APIs in the Google Cloud project "
            "of "
            f"{identity} (APIs & Services > Library).",
            failure,
        )
    if reason in {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficientScopes"}:
        return AuthError(
            f"{what}: the token of {identity} lacks a scope ({failure.message}). The client asks for the "
            "drive, "
            "spreadsheets and documents scopes; with google.subject, the Workspace admin must grant those "
            "three "
            "scopes to the service account's client id under domain-wide delegation.",
            failure,
        )
    if status == 403:
        return GoogleCallError(
            f"{what}: permission denied on {target} ({failure.message}). Share {target} with {identity} "
            "(Editor; for a shared drive, add it as Content manager).",
            failure,
        )
    if status == 404:
        return GoogleCallError(
            f"{what}: {target} was not found: the id is wrong or not shared with {identity}. Check the id in "
            f"reviews.toml and share it with {identity}.",
            failure,
        )
    return GoogleCallError(f"{what}: Google answered {failure.summary()} (on {target}).", failure)

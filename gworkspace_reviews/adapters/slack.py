"""The Slack notifier: channel posts and direct messages through slack_sdk's WebClient.

Bot token scopes used: ``chat:write`` (posts), ``im:write`` (opening DMs), ``users:read.email`` (finding
people by email), and for ``find_in_history`` ``channels:history`` plus ``channels:read`` when the channel is
given by name (``groups:history``/``groups:read`` for a private channel).
"""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from gworkspace_reviews.errors import ReviewsError

Sleep = Callable[[float], None]

SCOPES = ("chat:write", "im:write", "users:read.email", "channels:history", "channels:read")

# Slack answers these with HTTP 200 and ok=false, yet they are transient: worth the same retries as a 5xx.
RETRYABLE_CODES = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
_AUTH_CODES = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


class NotifyError(ReviewsError):
    """A Slack call failed for good; says who or where, the Slack error code and how to fix it."""

    def __init__(self, target: str, code: str, fix: str, method: str = "call") -> None:
        self.target = target
        self.code = code
        self.fix = fix
        super().__init__(f"Slack {method} for {target} failed ({code}): {fix}")


class _PacedRetry(RetryHandler):
    """Shared pacing: back off through an injectable sleep so the wait is testable and capped."""

    def __init__(self, max_retry_count: int, sleep: Sleep, max_wait: float) -> None:
        super().__init__(max_retry_count, BackoffRetryIntervalCalculator(backoff_factor=0.5))
        self._sleep = sleep
        self._max_wait = max_wait

    def _wait(self, state: RetryState, seconds: float) -> None:
        state.next_attempt_requested = True
        self._sleep(min(seconds, self._max_wait))
        state.increment_current_attempt()

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Wait the backoff interval for this attempt, then ask for another."""
        self._wait(state, self.interval_calculator.calculate_sleep_duration(state.current_attempt))


class _RateLimitRetry(_PacedRetry, RateLimitErrorRetryHandler):
    """429: wait what Retry-After says (capped), then retry."""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Wait Retry-After seconds (1 when absent or unreadable), then ask for another attempt."""
        self._wait(state, _retry_after(response))


class _ServerErrorRetry(_PacedRetry, ServerErrorRetryHandler):
    """5xx: back off and retry."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code >= 500


class _ConnectionRetry(_PacedRetry, ConnectionErrorRetryHandler):
    """Reset or dropped connections: back off and retry."""


class _ErrorCodeRetry(_PacedRetry):
    """HTTP 200 with ok=false and a transient error code: back off and retry."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or not isinstance(response.body, dict):
            return False
        return response.body.get("ok") is False and response.body.get("error") in RETRYABLE_CODES


def _retry_after(response: HttpResponse | None) -> float:
    if response is None:
        return 1.0
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(float(values[0]), 0.0)
            except ValueError:
                break
    return 1.0


def retry_handlers(max_retries: int, sleep: Sleep = time.sleep, max_wait: float = 30.0) -> list[RetryHandler]:
    """The capped retry policy: 429 (after Retry-After), 5xx, transient error codes, dropped connections."""
    return [
        _RateLimitRetry(max_retries, sleep, max_wait),
        _ServerErrorRetry(max_retries, sleep, max_wait),
        _ErrorCodeRetry(max_retries, sleep, max_wait),
        _ConnectionRetry(max_retries, sleep, max_wait),
    ]


class SlackNotifier:
    """ports.Notifier over the Slack Web API; failures raise NotifyError naming the fix."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str | None = None,
        token_env: str = "the bot token environment variable",
        max_retries: int = 3,
        sleep: Sleep = time.sleep,
        max_wait: float = 30.0,
        timeout: int = 30,
    ) -> None:
        if not token.strip():
            raise NotifyError(
                token_env, "not_authed", f"Set {token_env} to the Slack app's bot token (xoxb-...)."
            )
        self._token = token
        self._token_env = token_env
        kwargs: dict[str, Any] = {"token": token, "timeout": timeout}
        if base_url is not None:
            kwargs["base_url"] = base_url
        self._client = WebClient(**kwargs)
        # A client-level list replaces slack_sdk's default (one connection retry only).
        self._client.retry_handlers = retry_handlers(max_retries, sleep, max_wait)
        self._attempts = max_retries + 1
        self._users: dict[str, str] = {}
        self._dms: dict[str, str] = {}
        self._channels: dict[str, str] = {}

    def post_channel(self, channel: str, text: str) -> None:
        """Post ``text`` in ``channel`` (``#name`` or id)."""
        data = self._call(channel, "chat_postMessage", channel=channel, **_message(text))
        posted = data.get("channel")
        if isinstance(posted, str):
            self._channels[channel] = posted

    def direct(self, email: str, slack_id: str | None, text: str) -> None:
        """Send ``text`` to one person: by Slack id when known, else looked up by email."""
        who, dm = self._dm(email, slack_id)
        self._call(who, "chat_postMessage", channel=dm, **_message(text))

    def _dm(self, email: str, slack_id: str | None) -> tuple[str, str]:
        user = slack_id or self._user_id(email)
        who = f"{email} ({user})"
        dm = self._dms.get(user)
        if dm is None:
            opened = self._call(who, "conversations_open", users=user)
            dm = str(opened["channel"]["id"])
            self._dms[user] = dm
        return who, dm

    def find_in_history(self, channel: str, marker: str, *, since: datetime | None = None) -> bool:
        """True when a message in ``channel`` (``#name``, an id, or a person's email for their DM) has ``marker``.

        Reading a DM's history needs the ``im:history`` scope; a channel's, ``channels:history``.
        """
        if "@" in channel and not channel.startswith("#"):
            channel_id = self._dm(channel, None)[1]
        else:
            channel_id = self._channel_id(channel)
        params: dict[str, Any] = {"channel": channel_id, "limit": 200}
        if since is not None:
            params["oldest"] = f"{since.timestamp():.6f}"
        for page in self._pages(channel, "conversations_history", **params):
            if any(marker in str(m.get("text", "")) for m in page.get("messages", [])):
                return True
        return False

    def _user_id(self, email: str) -> str:
        cached = self._users.get(email)
        if cached is None:
            data = self._call(email, "users_lookupByEmail", email=email)
            cached = str(data["user"]["id"])
            self._users[email] = cached
        return cached

    def _channel_id(self, channel: str) -> str:
        if _CHANNEL_ID.match(channel):
            return channel
        if channel not in self._channels:
            name = channel.lstrip("#")
            pages = self._pages(
                channel,
                "conversations_list",
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=200,
            )
            for page in pages:
                for c in page.get("channels", []):
                    self._channels["#" + str(c.get("name"))] = str(c.get("id"))
            if "#" + name not in self._channels:
                code = "channel_not_found"
                raise NotifyError(channel, code, _fix(code, channel, self._token_env), "conversations.list")
            self._channels[channel] = self._channels["#" + name]
        return self._channels[channel]

    def _pages(self, target: str, method: str, **params: Any) -> Iterator[dict[str, Any]]:
        cursor = ""
        while True:
            data = self._call(target, method, **params, **({"cursor": cursor} if cursor else {}))
            yield data
            cursor = str((data.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return

    def _call(self, target: str, method: str, **params: Any) -> dict[str, Any]:
        try:
            response = getattr(self._client, method)(**params)
        except SlackApiError as e:
            code = _code(e)
            fix = _fix(code, target, self._token_env, e, self._attempts)
            raise NotifyError(target, code, self._redact(fix), _api_name(method)) from None
        except (SlackClientError, OSError, http.client.HTTPException) as e:
            fix = (
                f"Slack could not be reached after {self._attempts} attempt(s) ({type(e).__name__}); "
                "check the network or proxy and rerun later: what was already done is kept."
            )
            raise NotifyError(target, "connection_error", fix, _api_name(method)) from None
        data = response.data
        return data if isinstance(data, dict) else {}

    def _redact(self, text: str) -> str:
        # Defence in depth: the token must never reach a message or log, whatever Slack echoes back.
        return text.replace(self._token, "[redacted]") if self._token else text


def _api_name(method: str) -> str:
    return method.replace("_", ".")


def _message(text: str) -> dict[str, Any]:
    return {"text": text, "mrkdwn": True, "unfurl_links": False, "unfurl_media": False}


def _code(e: SlackApiError) -> str:
    data = e.response.data if e.response is not None else None
    error = data.get("error") if isinstance(data, dict) else None
    # slack_sdk puts a long "Received a response in a non-JSON format" here for HTML/text bodies (e.g. a 502).
    if isinstance(error, str) and re.fullmatch(r"[a-z_.]+", error):
        return error
    status = e.response.status_code if e.response is not None else 0
    return f"http_{status}"


def _fix(code: str, target: str, token_env: str, e: SlackApiError | None = None, attempts: int = 1) -> str:
    if code == "not_in_channel":
        return f"Invite the bot to {target} (in Slack: /invite @your-bot in that channel), then rerun."
    if code in ("channel_not_found", "is_archived"):
        return (
            f"Check the channel {target!r} in the config ([team] channel) exists and is not archived; "
            "for a private channel, invite the bot first."
        )
    if code == "users_not_found":
        return (
            f'No Slack user has the email {target}: set their Slack user id (slack = "U...") in the '
            "roster, or check the bot has the users:read.email scope."
        )
    if code in ("user_not_found", "user_disabled", "cannot_dm_bot"):
        return f"Check the Slack user id of {target} in the roster."
    if code in _AUTH_CODES:
        return f"Check the bot token in {token_env} (a valid xoxb- token of an installed app)."
    if code == "missing_scope":
        data = e.response.data if e is not None and e.response is not None else {}
        needed = data.get("needed", "") if isinstance(data, dict) else ""
        return (
            f"Add the scope {needed or '?'} to the Slack app and reinstall it; the bot needs "
            f"{', '.join(SCOPES)}."
        )
    if code in RETRYABLE_CODES or code.startswith("http_5"):
        return f"Slack kept failing after {attempts} attempt(s); rerun later: what was already done is kept."
    if code.startswith("http_"):
        return "Slack answered an unexpected HTTP status; check the Slack API base URL if one is configured."
    return f"See https://api.slack.com/methods for {code!r}; check the bot's scopes ({', '.join(SCOPES)})."

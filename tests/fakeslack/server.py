"""A loopback fake of the Slack Web API, enough for the notifier: posts, DMs, lookups, history, faults.

Shaped like Slack: API errors are HTTP 200 with {"ok": false, "error": code}; rate limits are 429 with
Retry-After. Bodies may be form-encoded or JSON (slack_sdk sends JSON for chat.postMessage, forms otherwise);
query-string parameters are read too. The token travels as ``Authorization: Bearer`` (or a ``token`` param).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FAKE_TOKEN = "xoxb-fake-0000-not-a-real-token"
BOT_USER = "UBOT00001"

# What the fake_slack fixture seeds.
TEAM_CHANNEL = "#customer-support-internal"
TEAM_CHANNEL_ID = "C0SUPPORT1"
OTHER_CHANNEL = "#general"  # exists, but the bot was never invited
SEEDED_USERS = {
    "ada@example.com": "U0ADA0001",
    "grace@example.com": "U0GRACE01",
    "alan@example.com": "U0ALAN001",
    "katherine@example.com": "U0KATH001",
    "linus@example.com": "U0LINUS01",
    "margaret@example.com": "U0MARG001",
}

# A fault kind is "429", "500" (any 5xx as digits), "drop" (close the connection unanswered) or a Slack
# error code answered as HTTP 200 {"ok": false} (e.g. "ratelimited", "internal_error").
FaultKind = str


class SlackError(Exception):
    """An API error answered as HTTP 200 {"ok": false, "error": code, ...extra}."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra


@dataclass
class Channel:
    """A conversation: a channel (public or private) or a DM with one user."""

    id: str
    name: str
    member: bool = True
    private: bool = False
    archived: bool = False
    dm_user: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The channel object as conversations.* methods return it."""
        if self.dm_user is not None:
            return {"id": self.id, "is_im": True, "user": self.dm_user}
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.private,
            "is_private": self.private,
            "is_archived": self.archived,
            "is_member": self.member,
        }


@dataclass(frozen=True)
class Message:
    """A message accepted by chat.postMessage, with every parameter it was sent with."""

    channel: str
    text: str
    ts: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """One request received: the method, its merged parameters and the body's content type."""

    method: str
    params: dict[str, Any]
    content_type: str


@dataclass
class _Fault:
    kind: FaultKind
    retry_after: int


class FakeSlack:
    """The fake's state (users, channels, messages, counters, faults) and its HTTP server."""

    def __init__(self, *, token: str = FAKE_TOKEN, bot_user: str = BOT_USER) -> None:
        self.token = token
        self.bot_user = bot_user
        self.users: dict[str, str] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: list[Message] = []
        self.calls: Counter[str] = Counter()
        self.requests: list[Call] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._ids = itertools.count(1)
        self._last_ts = 0.0
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # --- seeding and inspection -------------------------------------------------------------------

    def add_user(self, email: str, user_id: str | None = None) -> str:
        """Add a workspace member findable by ``email``; returns their user id."""
        with self._lock:
            uid = user_id or f"U{next(self._ids):08d}"
            self.users[email] = uid
            return uid

    def add_users(self, emails: Iterable[str]) -> dict[str, str]:
        """Add several members; returns email -> user id."""
        return {email: self.add_user(email) for email in emails}

    def add_channel(
        self,
        name: str,
        *,
        member: bool = True,
        channel_id: str | None = None,
        private: bool = False,
        archived: bool = False,
    ) -> str:
        """Add a channel (``name`` with or without ``#``); ``member`` says whether the bot is in it."""
        with self._lock:
            cid = channel_id or f"{'G' if private else 'C'}{next(self._ids):08d}"
            self.channels[cid] = Channel(cid, name.lstrip("#"), member, private, archived)
            return cid

    def fail(self, method: str, kind: FaultKind, times: int = 1, *, retry_after: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``kind`` (see FaultKind)."""
        with self._lock:
            queue = self._faults.setdefault(method, deque())
            queue.extend(_Fault(kind, retry_after) for _ in range(times))

    def channel_id(self, ref: str) -> str | None:
        """The id of a channel given as ``#name``, ``name`` or id; None when unknown."""
        with self._lock:
            if ref in self.channels:
                return ref
            name = ref.lstrip("#")
            return next((c.id for c in self.channels.values() if c.dm_user is None and c.name == name), None)

    def dm_channel(self, who: str) -> str | None:
        """The id of the DM channel opened with a user (by email or user id); None when none was opened."""
        with self._lock:
            uid = self.users.get(who, who)
            return next((c.id for c in self.channels.values() if c.dm_user == uid), None)

    def texts(self, where: str) -> list[str]:
        """Texts posted, oldest first, in a channel (``#name`` or id) or to a person (email or user id)."""
        with self._lock:
            cid = self.channel_id(where) if where not in self.users else None
            cid = cid or self.dm_channel(where)
            return [m.text for m in self.messages if m.channel == cid] if cid else []

    # --- lifecycle --------------------------------------------------------------------------------

    def start(self) -> str:
        """Serve on a free loopback port; returns the slack_sdk base_url (``http://127.0.0.1:PORT/api/``)."""
        fake = self

        class Handler(_Handler):
            slack = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll interval so stop(), hence every fixture teardown, returns in milliseconds.
        serve = lambda: self._server.serve_forever(poll_interval=0.02)  # noqa: E731
        self._thread = threading.Thread(target=serve, name="fakeslack", daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/api/"
        return self.base_url

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the API ----------------------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any], bearer: str | None, content_type: str) -> Any:
        """Count the call, apply a pending fault, check auth, run the method: a JSON dict or a _Fault."""
        with self._lock:
            self.calls[method] += 1
            self.requests.append(Call(method, dict(params), content_type))
            queue = self._faults.get(method)
            if queue:
                fault = queue.popleft()
                if not (fault.kind.isdigit() or fault.kind == "drop"):
                    return {"ok": False, "error": fault.kind}
                return fault
            try:
                token = bearer or params.get("token")
                if not token:
                    raise SlackError("not_authed")
                if token != self.token:
                    raise SlackError("invalid_auth")
                handler = _METHODS.get(method)
                if handler is None:
                    raise SlackError("unknown_method")
                return {"ok": True, **handler(self, params)}
            except SlackError as e:
                return {"ok": False, "error": e.code, **e.extra}

    def _next_ts(self) -> str:
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://fake.slack.com/",
            "team": "Fake",
            "user": "reviews-bot",
            "team_id": "T0FAKE",
            "user_id": self.bot_user,
            "bot_id": "B0FAKE",
        }

    def _post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        ref = _required(params, "channel", "channel_not_found")
        text = str(params.get("text") or "")
        if not text and not params.get("blocks") and not params.get("attachments"):
            raise SlackError("no_text")
        channel = self._conversation(ref)
        ts = self._next_ts()
        self.messages.append(Message(channel.id, text, ts, dict(params)))
        return {
            "channel": channel.id,
            "ts": ts,
            "message": {"type": "message", "user": self.bot_user, "text": text, "ts": ts},
        }

    def _open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(params.get("users") or "").split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > 1:
            raise SlackError("not_implemented_in_fake", detail="group DMs")
        uid = users[0]
        if uid not in self.users.values():
            raise SlackError("user_not_found")
        existing = next((c for c in self.channels.values() if c.dm_user == uid), None)
        if existing is not None:
            return {"no_op": True, "already_open": True, "channel": {"id": existing.id}}
        cid = f"D{next(self._ids):08d}"
        self.channels[cid] = Channel(cid, "", True, True, False, dm_user=uid)
        return {"channel": {"id": cid}}

    def _history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._conversation(_required(params, "channel", "channel_not_found"), by_name=False)
        limit = max(1, min(int(params.get("limit") or 100), 999))
        oldest = float(params.get("oldest") or 0)
        latest = float(params.get("latest") or "inf")
        found = [
            m for m in reversed(self.messages) if m.channel == channel.id and oldest < float(m.ts) <= latest
        ]
        start = int(params.get("cursor") or 0)
        page = found[start : start + limit]
        more = start + limit < len(found)
        return {
            "messages": [
                {"type": "message", "user": self.bot_user, "text": m.text, "ts": m.ts} for m in page
            ],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _list(self, params: dict[str, Any]) -> dict[str, Any]:
        types = set(str(params.get("types") or "public_channel").split(","))
        skip_archived = str(params.get("exclude_archived", "")).lower() in ("1", "true")
        limit = max(1, min(int(params.get("limit") or 100), 1000))
        found = [
            c
            for c in self.channels.values()
            if c.dm_user is None
            and ("private_channel" if c.private else "public_channel") in types
            # Like Slack: a bot sees only the private channels it was invited to.
            and (c.member or not c.private)
            and not (skip_archived and c.archived)
        ]
        start = int(params.get("cursor") or 0)
        more = start + limit < len(found)
        return {
            "channels": [c.as_json() for c in found[start : start + limit]],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _lookup(self, params: dict[str, Any]) -> dict[str, Any]:
        email = _required(params, "email", "invalid_arguments")
        uid = self.users.get(email)
        if uid is None:
            raise SlackError("users_not_found")
        return {"user": {"id": uid, "profile": {"email": email}}}

    def _conversation(self, ref: str, *, by_name: bool = True) -> Channel:
        cid = self.channel_id(ref) if by_name else (ref if ref in self.channels else None)
        channel = self.channels.get(cid or "")
        if channel is None or (channel.private and not channel.member):
            raise SlackError("channel_not_found")
        if channel.archived:
            raise SlackError("is_archived")
        if not channel.member:
            raise SlackError("not_in_channel")
        return channel


def _required(params: dict[str, Any], name: str, error: str) -> str:
    value = params.get(name)
    if value in (None, ""):
        raise SlackError(error, response_metadata={"messages": [f"[ERROR] missing required field: {name}"]})
    return str(value)


_METHODS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": FakeSlack._auth_test,
    "chat.postMessage": FakeSlack._post_message,
    "conversations.open": FakeSlack._open,
    "conversations.history": FakeSlack._history,
    "conversations.list": FakeSlack._list,
    "users.lookupByEmail": FakeSlack._lookup,
}


class _Handler(BaseHTTPRequestHandler):
    slack: FakeSlack

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet: test output should show assertions, not access logs.
        pass

    def _serve(self) -> None:
        url = urlsplit(self.path)
        if not url.path.startswith("/api/"):
            self._send(404, b"not found", "text/plain")
            return
        method = url.path[len("/api/") :]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        params: dict[str, Any] = dict(parse_qsl(url.query))
        try:
            if content_type == "application/json" and raw:
                params.update(json.loads(raw))
            elif raw:
                params.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        except ValueError:
            self._json(
                {
                    "ok": False,
                    "error": "invalid_json" if content_type == "application/json" else "invalid_form_data",
                }
            )
            return
        auth = self.headers.get("Authorization") or ""
        bearer = auth[len("Bearer ") :] if auth.startswith("Bearer ") else None
        result = self.slack.handle(method, params, bearer, content_type)
        if isinstance(result, _Fault):
            self._fault(result)
        else:
            self._json(result)

    def _fault(self, fault: _Fault) -> None:
        if fault.kind == "drop":
            # Close without a status line: the client sees RemoteDisconnected.
            self.close_connection = True
            return
        status = int(fault.kind)
        if status == 429:
            body = json.dumps({"ok": False, "error": "ratelimited"}).encode()
            self._send(429, body, "application/json; charset=utf-8", {"Retry-After": str(fault.retry_after)})
        else:
            self._send(status, b"<html><body>Server Error</body></html>", "text/html")

    def _json(self, data: dict[str, Any]) -> None:
        self._send(200, json.dumps(data).encode(), "application/json; charset=utf-8")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

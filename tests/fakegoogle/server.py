"""A strict loopback fake of Google Drive v3, Sheets v4 and Docs v1 for tests and benchmarks.

Real clients talk to it over HTTP on 127.0.0.1: googleapiclient built from its shipped discovery documents
with ``client_options={"api_endpoint": ...}`` (see fixtures.google_client_options), and gspread through a
requests session whose adapter routes https://sheets.googleapis.com and https://www.googleapis.com here.

What of Google it models
- The contract, from googleapiclient's discovery documents (drive.v3, sheets.v4, docs.v1): unknown path or
  HTTP method -> 404; unknown query parameter, a value of the wrong type, a bad enum value, a missing required
  parameter -> 400 (Drive, like Google, ignores parameters that another Drive method defines); request-body
  keys the schema lacks, at any depth, or JSON of the wrong type -> 400 in Google's protobuf-JSON wording;
  ``fields`` partial responses checked against the response schema (``Invalid field selection``) and applied.
- Errors in Google's JSON shape ``{"error": {"code", "message", "status", "errors": [{"message", "domain",
  "reason"}]}}``, so googleapiclient raises HttpError and gspread APIError as against Google.
- Auth: the JWT-bearer grant at ``<base>token`` (signature checked against the keys make_service_account_key
  wrote; iss, aud, scope, iat/exp, ``sub`` for domain-wide delegation); bearer token -> caller (a delegated
  token acts as that user); self-signed JWTs as bearer tokens; 401 without a valid token; 403 for scopes.
- Drive (drive.py): files create/get/copy/update/delete/list (the ``q`` language of query.py, paging,
  orderBy, the corpora/driveId/includeItemsFromAllDrives/supportsAllDrives rules, default fields), shared
  drives, permissions, about.get, comments list/create, and the HTTP batch endpoint ``/batch/drive/v3``
  (multipart/mixed, at most 100 calls, one status per part). Service accounts cannot store files outside
  shared drives (``service_account_mode``); files not shared with the caller are 404
  (``store.enforce_sharing``).
- Sheets and Docs content: sheets.py and docs.py, dispatched by method id.
- Instrumentation: per-method ``counters``, a ``requests`` log, seeded ``faults`` (429/500/503 with or
  without Retry-After, 403 userRateLimitExceeded, dropped connections, "fail the next N"), ``latency_s``, and
  a per-caller sliding-window ``quota`` answering 429 RESOURCE_EXHAUSTED, and an ``on_request`` callback
  called with each served API request (its LoggedRequest; not token grants or batch envelopes) after the
  fake has acted on it and before the answer leaves: it may raise DropConnection to lose the answer (crash
  tests kill a client there).

What it does not model
- Media upload/download and export, revisions, replies, changes/watch, labels, Drive's full-text index,
  spaces other than ``drive``, resource keys, domain-admin access, people's storage quotas, ETags, Google's
  exact wording for every error (common messages are Google's; rare ones are descriptive), propagation delays
  and eventual consistency of ``files.list`` (the fake is immediately consistent), HTTP/2, gzip.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import email.message
import email.parser
import json
import os
import secrets
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakegoogle import discovery
from tests.fakegoogle.auth import Auth, TokenError
from tests.fakegoogle.drive import Drive
from tests.fakegoogle.faults import DROP, DropConnection, Faults, Quota, fault_error
from tests.fakegoogle.store import (
    DOCUMENT,
    FOLDER,
    SPREADSHEET,
    ApiError,
    Caller,
    FileRecord,
    SharedDrive,
    Store,
)

DEFAULT_SERVICE_ACCOUNT = "reviews-bot@fake-project.iam.gserviceaccount.com"
ALL_SCOPES = (
    "https://www.googleapis.com/auth/drive",
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/documents",
)
BATCH_PATH = "/batch/drive/v3"
MAX_BATCH_CALLS = 100
JSON_TYPE = "application/json; charset=UTF-8"


@dataclass
class LoggedRequest:
    """One request as the fake saw it (batch parts are logged one by one, with ``in_batch`` set)."""

    method_id: str
    http_method: str
    path: str
    query: str
    caller: str
    status: int
    in_batch: bool = False


@dataclass
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _json_answer(status: int, payload: Any, headers: dict[str, str] | None = None) -> _Answer:
    return _Answer(
        status,
        {"Content-Type": JSON_TYPE, **(headers or {})},
        json.dumps(payload, indent=2).encode() if payload is not None else b"",
    )


def _load_content_handler(module: str, cls: str, store: Store) -> tuple[Any, str]:
    """The Sheets/Docs handler of the sibling module, or None and why (it is written separately)."""
    try:
        mod = __import__(f"tests.fakegoogle.{module}", fromlist=[cls])
        return getattr(mod, cls)(store), ""
    except ImportError as exc:
        return None, f"tests/fakegoogle/{module}.py is not importable: {exc}"


class FakeGoogle:
    """The fake server: state, controls and instrumentation; ``start()`` serves it on 127.0.0.1."""

    def __init__(self, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = Store(clock)
        self.counters: collections.Counter[str] = collections.Counter()
        self.requests: list[LoggedRequest] = []
        self.faults = Faults()
        self.quotas = Quota()
        self.latency_s = 0.0
        self.on_request: Callable[[LoggedRequest], None] | None = None
        self.service_account_mode = False
        self.auth = Auth()
        self.sheets, self._sheets_missing = _load_content_handler("sheets", "Sheets", self.store)
        self.docs, self._docs_missing = _load_content_handler("docs", "Docs", self.store)
        self.drive = Drive(self.store, self._new_content, lambda: self.service_account_mode)
        self.base_url = ""
        self.seed: dict[str, str] = {}
        self._log_lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----- lifecycle and controls -------------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1:``port`` (0 = a free port) in a background thread; return the base URL."""
        fake = self

        class Handler(_Handler):
            owner = fake

        httpd = _Server(("127.0.0.1", port), Handler)
        self._httpd = httpd
        self.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        self.auth.token_uri = self.base_url + "token"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-google", daemon=True
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def reset_counters(self) -> None:
        """Forget counted and logged requests (state is kept)."""
        with self._log_lock:
            self.counters.clear()
            self.requests.clear()

    def calls(self, prefix: str = "") -> int:
        """How many requests were counted for method ids starting with ``prefix``."""
        with self._log_lock:
            return sum(n for k, n in self.counters.items() if k.startswith(prefix))

    def quota(
        self,
        limit_per_window: int,
        window_s: float,
        methods_prefix: str = "sheets.",
        kind: str | None = None,
        per_project: bool = False,
    ) -> None:
        """Allow each caller at most ``limit_per_window`` requests per ``window_s`` seconds for methods
        starting with ``methods_prefix`` (``kind`` "read"/"write" narrows it; ``per_project`` shares one
        window among all callers); beyond that, 429 RESOURCE_EXHAUSTED rateLimitExceeded."""
        self.quotas.add(limit_per_window, window_s, methods_prefix, kind, per_project)

    def make_service_account_key(self, path: str | os.PathLike[str], email: str = DEFAULT_SERVICE_ACCOUNT) -> str:
        """Write a service-account key file (fresh RSA key, ``token_uri`` = this server) and trust it."""
        if not self.base_url:
            raise RuntimeError("start() the fake before making keys: token_uri needs its port")
        return self.auth.make_key(os.fspath(path), email, self.base_url + "token")

    def token_for(self, email: str, scopes: tuple[str, ...] = ALL_SCOPES, service_account: bool = False) -> str:
        """An access token for ``email`` without the JWT dance (for raw-HTTP tests)."""
        return self.auth.issue(Caller(email=email, scopes=scopes, service_account=service_account))

    def seed_workspace(self, service_account: str = DEFAULT_SERVICE_ACCOUNT) -> dict[str, str]:
        """Create the shared drive "Customer Support Reviews" (service account = organizer) with folders
        "peer-reviews" and "templates" (plus an empty template sheet and doc when sheets.py/docs.py exist)."""
        with self.store.lock:
            stamp = self.store.now()
            drive = SharedDrive(
                id=self.store.new_id("0AdRv"),
                name="Customer Support Reviews",
                members={service_account: "organizer"},
            )
            self.store.drives[drive.id] = drive
            ids = {"drive_id": drive.id, "service_account": service_account}
            for key, name in (("folder_id", "peer-reviews"), ("templates_folder_id", "templates")):
                rec = FileRecord(
                    id=self.store.new_id("1"),
                    name=name,
                    mimeType=FOLDER,
                    parents=[drive.id],
                    driveId=drive.id,
                    createdTime=stamp,
                    modifiedTime=stamp,
                )
                self.store.files[rec.id] = rec
                ids[key] = rec.id
            for key, mime, name, handler in (
                ("template_sheet_id", SPREADSHEET, "Peer review template", self.sheets),
                ("template_doc_id", DOCUMENT, "Peer review template", self.docs),
            ):
                if handler is None:
                    continue
                rec = FileRecord(
                    id=self.store.new_id("1"),
                    name=name,
                    mimeType=mime,
                    parents=[ids["templates_folder_id"]],
                    driveId=drive.id,
                    createdTime=stamp,
                    modifiedTime=stamp,
                    content=handler.new_content(name),
                )
                self.store.files[rec.id] = rec
                ids[key] = rec.id
            self.seed.update(ids)
            return ids

    def _new_content(self, mime: str, title: str) -> Any:
        if mime == SPREADSHEET and self.sheets is not None:
            return self.sheets.new_content(title)
        if mime == DOCUMENT and self.docs is not None:
            return self.docs.new_content(title)
        return None

    # ----- request handling -------------------------------------------------------------------------------

    def _log(self, entry: LoggedRequest) -> None:
        with self._log_lock:
            self.requests.append(entry)

    def _count(self, method_id: str) -> None:
        with self._log_lock:
            self.counters[method_id] += 1

    def dispatch(
        self,
        http_method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        raw: bytes,
        in_batch: bool = False,
    ) -> _Answer:
        """Answer one HTTP request (raises DropConnection for an injected dropped connection)."""
        if path == "/token" and http_method == "POST" and not in_batch:
            return self._token(raw)
        if path == BATCH_PATH and http_method == "POST" and not in_batch:
            return self._batch(headers, raw)
        entry = LoggedRequest("", http_method, path, query, "", 0, in_batch)
        try:
            try:
                route, path_params = discovery.route(http_method, path)
            except ApiError:
                if path.startswith("/batch"):
                    raise ApiError(
                        404,
                        f"The fake serves Drive's batch endpoint only at {BATCH_PATH}.",
                        reason="notFound",
                    ) from None
                raise
            entry.method_id = route.method_id
            self._count(route.method_id)
            answer = self._serve(route, path_params, http_method, query, headers, raw, entry, in_batch)
        except ApiError as exc:
            answer = _json_answer(exc.code, exc.body(), exc.headers)
        entry.status = answer.status
        self._log(entry)
        hook = self.on_request
        if hook is not None:
            hook(entry)
        return answer

    def _serve(
        self,
        route: discovery.Route,
        path_params: dict[str, str],
        http_method: str,
        query: str,
        headers: dict[str, str],
        raw: bytes,
        entry: LoggedRequest,
        in_batch: bool,
    ) -> _Answer:
        method_id = route.method_id
        kind = self.faults.decide(method_id)
        if kind == DROP:
            entry.status = -1
            self._log(entry)
            raise DropConnection()
        if kind is not None:
            raise fault_error(kind, method_id, self.faults.retry_after_s)
        if self.latency_s and not in_batch:
            time.sleep(self.latency_s)
        caller = self.auth.caller_for(headers.get("authorization"))
        entry.caller = caller.email
        needed = set(route.desc.get("scopes", ()))
        if caller.scopes and needed and not needed & set(caller.scopes):
            raise ApiError(
                403,
                "Request had insufficient authentication scopes.",
                reason="insufficientPermissions",
                status="PERMISSION_DENIED",
            )
        self.quotas.charge(caller.email, method_id, http_method)
        params = discovery.decode_params(route, path_params, urllib.parse.parse_qs(query, keep_blank_values=True))
        body: Any = None
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                raise ApiError(400, "Invalid JSON payload received. Unexpected token.", reason="parseError") from None
        discovery.validate_body(route, body)
        mask = None
        if "fields" in params and params["fields"] != "":
            mask = discovery.parse_fields(str(params["fields"]))
            discovery.check_mask(route.service, route.desc.get("response"), mask, str(params["fields"]))
        result = self._call(route, params, body, caller)
        if result is None:
            return _Answer(204, {}, b"")
        return _json_answer(200, discovery.apply_mask(result, mask))

    def _call(self, route: discovery.Route, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        method_id = route.method_id
        with self.store.lock:
            if route.service == "drive":
                if route.desc.get("_upload"):
                    params = {**params, "_upload": True}
                return self.drive.handle(method_id, params, body, caller)
            if (
                self.service_account_mode
                and caller.service_account
                and method_id in ("sheets.spreadsheets.create", "docs.documents.create")
            ):
                # The new file would land in the service account's own My Drive, which has no storage.
                raise ApiError(403, "The caller does not have permission", reason="forbidden")
            handler, missing = (
                (self.sheets, self._sheets_missing) if route.service == "sheets" else (self.docs, self._docs_missing)
            )
            if handler is None:
                raise ApiError(501, f"{method_id}: {missing}", reason="notImplemented", status="UNIMPLEMENTED")
            return handler.handle(method_id, params, body, caller)

    def _token(self, raw: bytes) -> _Answer:
        self._count("oauth2.token")
        entry = LoggedRequest("oauth2.token", "POST", "/token", "", "", 0)
        try:
            form = urllib.parse.parse_qs(raw.decode(), keep_blank_values=True)
            answer = _json_answer(200, self.auth.token_endpoint(form))
        except TokenError as exc:
            answer = _json_answer(exc.code, {"error": exc.error, "error_description": exc.description})
        entry.status = answer.status
        self._log(entry)
        return answer

    def _batch(self, headers: dict[str, str], raw: bytes) -> _Answer:
        self._count("drive.batch")
        entry = LoggedRequest("drive.batch", "POST", BATCH_PATH, "", "", 0)
        try:
            kind = self.faults.decide("drive.batch")
            if kind == DROP:
                raise DropConnection()
            if kind is not None:
                raise fault_error(kind, "drive.batch", self.faults.retry_after_s)
            if self.latency_s:
                time.sleep(self.latency_s)
            answer = self._batch_parts(headers, raw)
        except ApiError as exc:
            answer = _json_answer(exc.code, exc.body(), exc.headers)
        entry.status = answer.status
        self._log(entry)
        return answer

    def _batch_parts(self, headers: dict[str, str], raw: bytes) -> _Answer:
        ctype = headers.get("content-type", "")
        if not ctype.startswith("multipart/mixed"):
            raise ApiError(400, "Batch requests must be multipart/mixed.", reason="badContent")
        msg = email.parser.BytesParser().parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
        parts = msg.get_payload() if msg.is_multipart() else []
        if not isinstance(parts, list) or not parts:
            raise ApiError(400, "The batch request has no parts.", reason="badContent")
        if len(parts) > MAX_BATCH_CALLS:
            raise ApiError(
                400,
                f"A batch request may contain at most {MAX_BATCH_CALLS} calls; this one has {len(parts)}.",
                reason="batchSizeTooLarge",
            )
        boundary = "batch_" + secrets.token_hex(12)
        out: list[bytes] = []
        for part in parts:
            if not isinstance(part, email.message.Message):
                raise ApiError(400, "A batch part is not an application/http message.", reason="badContent")
            content_id = str(part.get("Content-ID", ""))
            payload = part.get_payload(decode=False)
            sub = self._sub_request(str(payload), headers)
            status_text = _REASONS.get(sub.status, "Unknown")
            head = (
                f"HTTP/1.1 {sub.status} {status_text}\r\n"
                + "".join(f"{k}: {v}\r\n" for k, v in sub.headers.items())
                + f"Content-Length: {len(sub.body)}\r\n\r\n"
            )
            rid = content_id.strip()
            rid = f"<response-{rid[1:]}" if rid.startswith("<") else f"response-{rid}"
            out.append(
                f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: {rid}\r\n\r\n".encode()
                + head.encode()
                + sub.body
                + b"\r\n"
            )
        out.append(f"--{boundary}--\r\n".encode())
        return _Answer(200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, b"".join(out))

    def _sub_request(self, payload: str, outer: dict[str, str]) -> _Answer:
        cut = [i for i in (payload.find("\r\n\r\n"), payload.find("\n\n")) if i >= 0]
        if not cut:
            head, body = payload, ""
        else:
            at = min(cut)
            sep = 4 if payload.startswith("\r\n\r\n", at) else 2
            head, body = payload[:at], payload[at + sep :]
        lines = head.replace("\r\n", "\n").split("\n")
        try:
            method, target, _version = lines[0].split(" ", 2)
        except ValueError:
            return _json_answer(400, ApiError(400, f"Malformed batch part request line {lines[0]!r}.").body())
        sub_headers = {k.lower(): v for k, v in outer.items() if k.lower() == "authorization"}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                sub_headers[k.strip().lower()] = v.strip()
        split = urllib.parse.urlsplit(target)
        if not split.path.startswith("/drive/v3/"):
            return _json_answer(
                400, ApiError(400, f"A Drive batch may only contain Drive v3 calls, got {split.path}.").body()
            )
        try:
            return self.dispatch(method, split.path, split.query, sub_headers, body.encode(), in_batch=True)
        except DropConnection:
            return _json_answer(503, fault_error("503", "drive.batch").body())


_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive client connections must not block stop()
    allow_reuse_address = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: FakeGoogle
    timeout = 60
    wbufsize = 64 * 1024  # headers and body leave in one write (handle_one_request flushes)

    def setup(self) -> None:
        """Disable Nagle: small request/response exchanges otherwise stall on delayed ACKs (~40 ms each)."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return  # the fake keeps its own log in FakeGoogle.requests

    def _serve(self) -> None:
        split = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            answer = self.owner.dispatch(self.command, split.path, split.query, headers, raw)
        except DropConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


def main(argv: list[str] | None = None) -> None:
    """Run the fake standalone, empty, until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m tests.fakegoogle", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--key-file", help="also write a service-account key file for this server here")
    parser.add_argument("--seed", action="store_true", help="create the shared drive and folders of the tests")
    args = parser.parse_args(argv)
    fake = FakeGoogle()
    base = fake.start(args.port)
    print(base, flush=True)
    if args.key_file:
        fake.make_service_account_key(args.key_file)
        print(f"key file: {args.key_file}", flush=True)
    if args.seed:
        print(json.dumps(fake.seed_workspace()), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()

"""Shared state of the fake Google server: files (Drive), their Sheets/Docs content, shared drives.

Contract between the pieces of the fake (server/drive/auth own the HTTP side; sheets.py and docs.py own content):
- Every Drive file is a FileRecord in Store.files. Spreadsheets and documents keep their content in
  FileRecord.content (an object owned by sheets.py / docs.py; deep-copied by files.copy).
- The file's name is the spreadsheet title / document title: sheets.py and docs.py read and write FileRecord.name.
- Any content change calls Store.touch(file_id) so Drive's modifiedTime moves.
- Handlers raise ApiError for Google-shaped errors; the server renders it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

FOLDER = "application/vnd.google-apps.folder"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
DOCUMENT = "application/vnd.google-apps.document"
# Roles that may change a file (Drive: owner/organizer/fileOrganizer/writer; commenter and reader may not).
WRITE_ROLES = frozenset({"owner", "organizer", "fileOrganizer", "writer"})

STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    """An error answered in Google's JSON shape."""

    def __init__(self, code: int, message: str, reason: str = "", status: str | None = None,
                 domain: str = "global", headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason or {400: "badRequest", 403: "forbidden", 404: "notFound"}.get(code, "backendError")
        self.status = status or STATUS_BY_CODE.get(code, "UNKNOWN")
        self.domain = domain
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body Google sends for this error."""
        return {"error": {"code": self.code, "message": self.message, "status": self.status,
                          "errors": [{"message": self.message, "domain": self.domain, "reason": self.reason}]}}


@dataclass
class Caller:
    """Who is calling: the account a token was issued to (or the delegated user)."""

    email: str
    scopes: tuple[str, ...] = ()
    service_account: bool = False


@dataclass
class FileRecord:
    """A Drive file."""

    id: str
    name: str
    mimeType: str
    parents: list[str] = field(default_factory=list)
    appProperties: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    createdTime: str = ""
    modifiedTime: str = ""
    trashed: bool = False
    driveId: str | None = None
    owner: str = ""
    shared_with: set[str] = field(default_factory=set)  # emails with access besides the owner / drive members
    permissions: list[dict[str, Any]] = field(default_factory=list)
    version: int = 1
    content: Any = None  # sheets.py / docs.py objects; bytes for other files


@dataclass
class SharedDrive:
    """A shared drive and its members (email -> role)."""

    id: str
    name: str
    members: dict[str, str] = field(default_factory=dict)


def rfc3339(moment: datetime) -> str:
    """Google's timestamp format, millisecond precision, Z suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Store:
    """All state of one fake server; every handler runs under ``lock``."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.lock = threading.RLock()
        self.files: dict[str, FileRecord] = {}
        self.drives: dict[str, SharedDrive] = {}
        self._counter = itertools.count(1)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._last = ""
        # When True, a caller sees only files it holds a role on (see roles(): owner, shared with it directly
        # or through a parent folder, or in a shared drive it is a member of) and changes only those where
        # the role is a writing one. Off by default: every caller sees and changes all.
        self.enforce_sharing = False

    def new_id(self, prefix: str = "f") -> str:
        """A fresh opaque id, Drive-like (long, url-safe)."""
        return f"{prefix}{next(self._counter):06d}" + "x" * 20

    def now(self) -> str:
        """A strictly increasing RFC 3339 timestamp, so every change moves modifiedTime."""
        stamp = rfc3339(self._clock())
        if stamp <= self._last:
            base = datetime.strptime(self._last, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            from datetime import timedelta

            stamp = rfc3339(base + timedelta(milliseconds=1))
        self._last = stamp
        return stamp

    def touch(self, file_id: str) -> None:
        """Record a content change: modifiedTime and version move."""
        rec = self.files[file_id]
        rec.modifiedTime = self.now()
        rec.version += 1

    def get(self, file_id: str) -> FileRecord:
        """The file, or Google's 404."""
        rec = self.files.get(file_id)
        if rec is None:
            raise ApiError(404, f"File not found: {file_id}.", reason="notFound")
        return rec

    def roles(self, rec: FileRecord, email: str, *, links: bool = True, listing: bool = False) -> set[str]:
        """Every role ``email`` holds on ``rec``, directly or inherited from its folders and shared drive.

        Sources, as Drive combines them: ownership (My Drive files only), ``shared_with`` (a writer
        shortcut for seeding), ``permissions`` (user and group grants by email; with ``links``, also
        domain and anyone grants) and shared-drive membership. With ``listing``, a domain/anyone grant
        counts only when it allows file discovery: link-shared files do not show up in searches.
        """
        out: set[str] = set()
        domain = email.rpartition("@")[2].lower()
        seen: set[str] = set()
        todo = [rec]
        while todo:
            cur = todo.pop()
            if cur.id in seen:
                continue
            seen.add(cur.id)
            if cur.owner and cur.owner == email and not cur.driveId:
                out.add("owner")
            if email in cur.shared_with:
                out.add("writer")
            for perm in cur.permissions:
                kind = perm.get("type", "user")
                if kind in ("user", "group"):
                    granted = perm.get("emailAddress") == email
                elif not links or (listing and not perm.get("allowFileDiscovery")):
                    granted = False
                elif kind == "domain":
                    granted = str(perm.get("domain", "")).lower() == domain
                else:
                    granted = kind == "anyone"
                if granted and perm.get("role"):
                    out.add(str(perm["role"]))
            if cur.driveId and cur.driveId in self.drives:
                role = self.drives[cur.driveId].members.get(email)
                if role:
                    out.add(role)
            todo.extend(self.files[p] for p in cur.parents if p in self.files)
        return out

    def can_access(self, rec: FileRecord, caller: Caller, *, listing: bool = False) -> bool:
        """Whether ``caller`` may see ``rec`` (any role) under the current sharing mode."""
        if not self.enforce_sharing:
            return True
        return bool(self.roles(rec, caller.email, listing=listing))

    def can_write(self, rec: FileRecord, caller: Caller) -> bool:
        """Whether ``caller`` may change ``rec`` (owner, organizer, fileOrganizer or writer)."""
        if not self.enforce_sharing:
            return True
        return bool(self.roles(rec, caller.email) & WRITE_ROLES)

    def check(self, file_id: str, caller: Caller) -> FileRecord:
        """The file if ``caller`` may see it; else Google's 404 (Google hides files not shared with you)."""
        rec = self.get(file_id)
        if not self.can_access(rec, caller):
            raise ApiError(404, f"File not found: {file_id}.", reason="notFound")
        return rec

"""Review contents already read, keyed by file id and modifiedTime, kept in a JSON file between runs."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from gworkspace_reviews.domain.models import CellValue, ReviewContent, RubricRow

VERSION = 1
log = logging.getLogger(__name__)


def _rows_out(rows: tuple[RubricRow, ...]) -> list[list[Any]]:
    return [[r.criterion, r.answer, r.comment] for r in rows]


def _rows_in(rows: list[list[Any]]) -> tuple[RubricRow, ...]:
    return tuple(RubricRow(str(r[0]), _value(r[1]), str(r[2])) for r in rows)


def _value(value: Any) -> CellValue:
    return value if value is None or isinstance(value, str | bool | int | float) else str(value)


def dump_content(content: ReviewContent) -> dict[str, Any]:
    """JSON-ready form of a ReviewContent."""
    return {
        "header": dict(content.header),
        "rows": _rows_out(content.rows),
        "manager_rows": None if content.manager_rows is None else _rows_out(content.manager_rows),
    }


def load_content(data: dict[str, Any]) -> ReviewContent:
    """A ReviewContent from :func:`dump_content`'s form."""
    manager = data.get("manager_rows")
    return ReviewContent(
        header={str(k): _value(v) for k, v in (data.get("header") or {}).items()},
        rows=_rows_in(data.get("rows") or []),
        manager_rows=None if manager is None else _rows_in(manager),
    )


class ReadCache:
    """file id -> (modifiedTime, content); a changed modifiedTime is a miss; ``path`` None: in memory."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, Any]] = {}
        self._dirty = False
        if path is not None and path.exists():
            self._entries = self._load(path)

    @staticmethod
    def _load(path: Path) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("read cache %s is unreadable; starting a new one", path)
            return {}
        if (
            not isinstance(data, dict)
            or data.get("version") != VERSION
            or not isinstance(data.get("files"), dict)
        ):
            return {}
        return dict(data["files"])

    def get(self, file_id: str, modified: str) -> ReviewContent | None:
        """The cached content when the file has not changed since it was read."""
        with self._lock:
            entry = self._entries.get(file_id)
        if not entry or not modified or entry.get("modified") != modified:
            return None
        try:
            return load_content(entry["content"])
        except (KeyError, TypeError, IndexError, ValueError):
            return None

    def put(self, file_id: str, modified: str, content: ReviewContent) -> None:
        """Remember ``content`` for this version of the file."""
        if not modified:
            return
        with self._lock:
            self._entries[file_id] = {"modified": modified, "content": dump_content(content)}
            self._dirty = True

    def save(self) -> None:
        """Write the cache file atomically (temp file + rename) when anything changed."""
        with self._lock:
            if self.path is None or not self._dirty:
                return
            payload = json.dumps({"version": VERSION, "files": self._entries}, sort_keys=True)
            self._dirty = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
            os.replace(tmp, self.path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            raise

"""A cache of each review file's tags keyed by path, size and mtime, so listing stays fast."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from gworkspace_reviews.adapters.local.atomic import write_bytes_atomic
from gworkspace_reviews.adapters.local.tags import Tags

STATE_DIR = ".gworkspace-reviews"
MANIFEST_NAME = "manifest.json"
_VERSION = 1


@dataclass(frozen=True)
class Entry:
    """What the manifest knows of one file: the stat it was read at, and its tags."""

    mtime_ns: int
    size: int
    tags: Tags


class Manifest:
    """``root/.gworkspace-reviews/manifest.json``: relative path -> stat + tags. Only ever a cache."""

    def __init__(self, root: Path) -> None:
        self.path = root / STATE_DIR / MANIFEST_NAME
        self._saved: dict[str, Entry] | None = None

    def load(self) -> dict[str, Entry]:
        """The entries on disk; empty when the manifest is missing or unreadable (it is rebuilt by a scan)."""
        if self._saved is not None:
            return dict(self._saved)
        entries: dict[str, Entry] = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            files = raw.get("files", {}) if isinstance(raw, dict) else {}
        except (OSError, ValueError):
            files = {}
        for rel, item in files.items():
            try:
                tags = Tags.from_props({str(k): str(v) for k, v in item["tags"].items()})
                if tags is not None:
                    entries[str(rel)] = Entry(int(item["mtime_ns"]), int(item["size"]), tags)
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # a hand-edited or older entry: the scan reads the file instead
        self._saved = entries
        return dict(entries)

    def save(self, entries: dict[str, Entry]) -> None:
        """Write ``entries`` when they differ from what is on disk."""
        if self._saved is not None and entries == self._saved:
            return
        files = {
            rel: {"mtime_ns": e.mtime_ns, "size": e.size, "tags": e.tags.to_props()}
            for rel, e in sorted(entries.items())
        }
        data = json.dumps({"version": _VERSION, "files": files}, indent=1, sort_keys=True)
        write_bytes_atomic(self.path, data.encode("utf-8"))
        self._saved = dict(entries)

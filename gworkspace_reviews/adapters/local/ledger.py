"""The local ledger: an append-only JSON-lines file, synced on every write."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from gworkspace_reviews.adapters.local.manifest import STATE_DIR
from gworkspace_reviews.errors import WorkspaceError

LEDGER_NAME = "ledger.jsonl"


class LocalLedger:
    """``root/.gworkspace-reviews/ledger.jsonl``: one ``{"key", "value"}`` object per line, latest wins."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / STATE_DIR / LEDGER_NAME

    def entries(self) -> dict[str, str]:
        """Every key with its latest value; a line cut short by a crash mid-write is ignored."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise WorkspaceError(f"{self.path}: cannot read the ledger ({exc}); check its permissions") from exc
        latest: dict[str, str] = {}
        for line in data.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                # Only a crash mid-append produces a partial line; that put never returned, so it never
                # happened.
                continue
            if isinstance(item, dict) and isinstance(item.get("key"), str) and isinstance(item.get("value"), str):
                latest[item["key"]] = item["value"]
        return latest

    def put(self, key: str, value: str) -> None:
        """Append ``value`` under ``key`` and sync it to disk before returning."""
        self.put_many([(key, value)])

    def put_many(self, items: Sequence[tuple[str, str]]) -> None:
        """Append several entries in one write, synced to disk before returning."""
        if not items:
            return
        line = b"".join(
            json.dumps({"key": k, "value": v}, ensure_ascii=False).encode("utf-8") + b"\n" for k, v in items
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "ab+") as handle:
                handle.seek(0, os.SEEK_END)
                if handle.tell() > 0:
                    handle.seek(-1, os.SEEK_END)
                    if handle.read(1) != b"\n":
                        # Close off a line a crash cut short so this entry starts on a line of its own.
                        line = b"\n" + line
                handle.seek(0, os.SEEK_END)
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise WorkspaceError(f"{self.path}: cannot append to the ledger ({exc}); check disk space") from exc

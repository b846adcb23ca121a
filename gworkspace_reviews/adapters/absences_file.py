"""The tool-owned absences file beside reviews.toml (``reviews.away.toml``); reviews.toml itself is never edited."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gworkspace_reviews.config import read_toml

HEADER = "# Written by `gworkspace-reviews away`; merged into the members of reviews.toml."


def toml_string(text: str) -> str:
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class AbsencesFile:
    """A TOML list of ``[[away]]`` tables, rewritten atomically."""

    path: Path

    def add(self, email: str, start: date, end: date, reason: str) -> str:
        """Append an absence unless the same one is already there; returns the file's path."""
        existing = read_toml(self.path).get("away", []) if self.path.exists() else []
        entry = {"email": email.lower(), "from": start, "to": end, "reason": reason}
        if entry not in existing:
            existing.append(entry)
        lines = [HEADER, ""]
        for e in existing:
            lines += ["[[away]]", f"email = {toml_string(str(e['email']))}", f"from = {e['from']}",
                      f"to = {e['to']}", f"reason = {toml_string(str(e.get('reason', 'away')))}", ""]
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".away-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines))
        os.replace(tmp, self.path)
        return str(self.path)

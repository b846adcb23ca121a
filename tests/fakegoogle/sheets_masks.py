"""Field masks as Sheets batchUpdate requests use them (``fields``: "a/b,c(d,e)", or "*")."""

from __future__ import annotations

import copy
import re
from typing import Any

from tests.fakegoogle.sheets_grid import bad

Json = dict[str, Any]


def split_mask(mask: str) -> list[list[str]]:
    """``a/b,c(d,e)`` -> [[a, b], [c, d], [c, e]] (Google accepts / or . as separator)."""
    paths: list[list[str]] = []

    def parse(text: str, prefix: list[str]) -> None:
        depth, start = 0, 0
        for i, ch in enumerate(text + ","):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "," and depth == 0:
                part = text[start:i].strip()
                start = i + 1
                if not part:
                    continue
                if "(" in part:
                    head, inner = part.split("(", 1)
                    parse(inner[:-1], prefix + re.split(r"[./]", head))
                else:
                    paths.append(prefix + re.split(r"[./]", part))

    parse(mask, [])
    return paths


def apply_mask(target: Json, source: Json, mask: str, where: str) -> None:
    """Copy the masked fields from ``source`` into ``target`` (absent in source -> cleared in target)."""
    if mask.strip() == "*":
        for key in list(target):
            if key not in ("sheetId",):
                target.pop(key)
        target.update({k: copy.deepcopy(v) for k, v in source.items()})
        return
    if not mask.strip():
        raise bad(f"Invalid {where}: At least one field must be updated, but none were specified.")
    for path in split_mask(mask):
        src: Any = source
        dst = target
        for key in path[:-1]:
            src = src.get(key) if isinstance(src, dict) else None
            dst = dst.setdefault(key, {})
        leaf = path[-1]
        value = src.get(leaf) if isinstance(src, dict) else None
        if value is None:
            dst.pop(leaf, None)
        else:
            dst[leaf] = copy.deepcopy(value)

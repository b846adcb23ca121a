"""A1 notation for the fake Sheets API: parse ranges as Google accepts them, print them as it answers.

Accepted: ``Sheet1!A1:B2``, ``'My Sheet'!A1`` (``''`` escapes a quote), unquoted names with spaces (``My
Sheet!A:A``, Google takes everything before the last ``!``), open ranges (``A2:C``, ``A:A``, ``2:2``,
``A2:2``), reversed corners (``D4:A1``), a bare sheet name, and named ranges (``Name`` or ``Sheet1!Name``).
Resolution against a spreadsheet lives in sheets.py; this module is pure text.

"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^([A-Za-z]{0,3})(\d{0,7})$")
_SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class A1Error(ValueError):
    """The text is not A1 notation."""


@dataclass(frozen=True)
class Ref:
    """Zero-based half-open bounds; None means open on that side (to the grid's edge)."""

    start_row: int | None
    end_row: int | None
    start_col: int | None
    end_col: int | None


def col_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    value = 0
    for ch in letters.upper():
        value = value * 26 + (ord(ch) - 64)
    return value - 1


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split ``'Sheet'!A1`` into (sheet name or None, reference or None)."""
    if text.startswith("'"):
        i = 1
        name: list[str] = []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    name.append("'")
                    i += 2
                    continue
                break
            name.append(ch)
            i += 1
        else:
            raise A1Error(text)
        rest = text[i + 1 :]
        if rest == "":
            return "".join(name), None
        if not rest.startswith("!") or rest == "!":
            raise A1Error(text)
        return "".join(name), rest[1:]
    if "!" in text:
        sheet, ref = text.rsplit("!", 1)
        if not sheet or not ref:
            raise A1Error(text)
        return sheet, ref
    return None, text


def _cell(part: str) -> tuple[int | None, int | None]:
    m = _CELL.match(part)
    if not m or (not m.group(1) and not m.group(2)):
        raise A1Error(part)
    col = col_index(m.group(1)) if m.group(1) else None
    if m.group(2):
        row = int(m.group(2))
        if row < 1:
            raise A1Error(part)
        return row - 1, col
    return None, col


def parse_ref(ref: str) -> Ref:
    """Parse the part after ``!``: ``A1``, ``A1:B2``, ``A:A``, ``2:2``, ``A2:C``, ``A2:5``."""
    parts = ref.split(":")
    if len(parts) == 1:
        row, col = _cell(parts[0])
        if row is None or col is None:
            raise A1Error(ref)
        return Ref(row, row + 1, col, col + 1)
    if len(parts) != 2:
        raise A1Error(ref)
    r1, c1 = _cell(parts[0])
    r2, c2 = _cell(parts[1])

    def span(a: int | None, b: int | None) -> tuple[int | None, int | None]:
        if a is None or b is None:
            return a, None
        lo, hi = sorted((a, b))
        return lo, hi + 1

    if r1 is not None and c1 is not None:  # A1:B2, A2:C (open rows), A2:5 (open columns)
        rows = span(r1, r2) if r2 is not None else (r1, None)
        cols = span(c1, c2) if c2 is not None else (c1, None)
        return Ref(rows[0], rows[1], cols[0], cols[1])
    if r1 is None and r2 is None and c1 is not None and c2 is not None:  # A:B
        cols = span(c1, c2)
        return Ref(None, None, cols[0], cols[1])
    if c1 is None and c2 is None and r1 is not None and r2 is not None:  # 2:3
        rows = span(r1, r2)
        return Ref(rows[0], rows[1], None, None)
    raise A1Error(ref)


def looks_like_ref(text: str) -> bool:
    """Whether ``text`` parses as a cell reference (so it is not taken as a sheet or named range)."""
    try:
        parse_ref(text)
    except A1Error:
        return False
    return True


def quote_sheet(name: str) -> str:
    """A sheet name as Google prints it in ranges: bare when simple, else quoted with '' escaping."""
    if _SIMPLE_NAME.match(name) and not looks_like_ref(name):
        return name
    return "'" + name.replace("'", "''") + "'"


def format_cells(start_row: int, end_row: int, start_col: int, end_col: int) -> str:
    """Bounded zero-based half-open bounds as ``A1`` or ``A1:B2``."""
    first = f"{col_letters(start_col)}{start_row + 1}"
    if end_row - start_row == 1 and end_col - start_col == 1:
        return first
    return f"{first}:{col_letters(end_col - 1)}{end_row}"


def format_range(sheet: str, start_row: int, end_row: int, start_col: int, end_col: int) -> str:
    """``Sheet1!A1:B2`` as Google prints it in responses."""
    return f"{quote_sheet(sheet)}!{format_cells(start_row, end_row, start_col, end_col)}"

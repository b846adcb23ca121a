"""The grid model of a fake spreadsheet: content layout, sheets, A1 resolution, ranges and grid data.

A spreadsheet's FileRecord.content is a plain dict (deep-copied by Drive's files.copy):
``{"properties": {...}, "sheets": [sheet, ...], "namedRanges": [...], "seq": n}``; a sheet is
``{"properties", "cells": {(row, col): cell}, "merges", "protectedRanges", "charts", "columnGroups",
"rowGroups", "colMeta", "rowMeta", "basicFilter"}`` with cells as sheets_cells.py describes. A box is
(r0, r1, c0, c1), zero-based, end-exclusive.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from typing import Any

from tests.fakegoogle import a1
from tests.fakegoogle.sheets_cells import cell_data, nonzero_color
from tests.fakegoogle.store import ApiError, FileRecord

Json = dict[str, Any]
# A batchUpdate request handler: (content, request body, where, state) -> reply (see sheets_batch.py).
Request = Callable[[Json, Json, str, Json], Json]

def bad(message: str) -> ApiError:
    """Google's 400 badRequest with ``message``."""
    return ApiError(400, message, reason="badRequest")


DEFAULT_ROWS = 1000
DEFAULT_COLS = 26
ROW_PIXELS = 21
COL_PIXELS = 100


_THEME: list[tuple[str, dict[str, float]]] = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]


def default_properties() -> Json:
    """Spreadsheet properties Google gives a new spreadsheet (title excluded: it is the Drive file's name)."""
    return {
        "locale": "en_US",
        "autoRecalc": "ON_CHANGE",
        "timeZone": "Etc/GMT",
        "defaultFormat": {
            "backgroundColor": {"red": 1, "green": 1, "blue": 1},
            "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
            "verticalAlignment": "BOTTOM",
            "wrapStrategy": "OVERFLOW_CELL",
            "textFormat": {
                "foregroundColor": {},
                "fontFamily": "arial,sans,sans-serif",
                "fontSize": 10,
                "bold": False,
                "italic": False,
                "strikethrough": False,
                "underline": False,
                "foregroundColorStyle": {"rgbColor": {}},
            },
            "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
        },
        "spreadsheetTheme": {
            "primaryFontFamily": "Arial",
            "themeColors": [{"colorType": t, "color": {"rgbColor": dict(c)}} for t, c in _THEME],
        },
    }


def rand_id(content: Json) -> int:
    """A fresh sheetId/chartId-like id, deterministic per spreadsheet (so runs repeat)."""
    content["seq"] += 1
    return random.Random(f"fake-sheets-{content['seq']}").randint(1, 2**31 - 1)


def new_sheet(content: Json, props: Json) -> Json:
    """A new sheet (grid) from AddSheetRequest-like properties, with Google's defaults."""
    grid = dict(props.get("gridProperties") or {})
    grid.setdefault("rowCount", DEFAULT_ROWS)
    grid.setdefault("columnCount", DEFAULT_COLS)
    taken = {s["properties"]["sheetId"] for s in content["sheets"]}
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = rand_id(content)
        while sheet_id in taken:
            sheet_id = rand_id(content)
    index = props.get("index", len(content["sheets"]))
    properties: Json = {
        "sheetId": sheet_id,
        "title": props["title"],
        "index": index,
        "sheetType": props.get("sheetType", "GRID"),
        "gridProperties": grid,
    }
    for key in ("hidden", "tabColorStyle", "rightToLeft"):
        if props.get(key):
            properties[key] = copy.deepcopy(props[key])
    if props.get("tabColor"):
        properties["tabColorStyle"] = {"rgbColor": nonzero_color(props["tabColor"])}
    return {
        "properties": properties,
        "cells": {},
        "merges": [],
        "protectedRanges": [],
        "charts": [],
        "columnGroups": [],
        "rowGroups": [],
        "colMeta": {},
        "rowMeta": {},
        "basicFilter": None,
    }


def resource(rec: FileRecord, ranges: list[str] | None, grid: bool) -> Json:
    """The Spreadsheet resource of ``rec`` (grid data of ``ranges`` or every sheet when ``grid``)."""
    content = rec.content
    props = {"title": rec.name, **copy.deepcopy(content["properties"])}
    out: Json = {"spreadsheetId": rec.id, "properties": props}
    wanted: dict[int, list[tuple[int, int, int, int]]] = {}
    for text in ranges or []:
        sheet, box = resolve(content, text)
        wanted.setdefault(sheet["properties"]["sheetId"], []).append(box)
    sheets = []
    for sheet in sorted(content["sheets"], key=lambda s: s["properties"]["index"]):
        sid = sheet["properties"]["sheetId"]
        if ranges and sid not in wanted:
            continue
        entry: Json = {"properties": copy.deepcopy(sheet["properties"])}
        if grid:
            g = sheet["properties"]["gridProperties"]
            boxes = wanted.get(sid) or [(0, g["rowCount"], 0, g["columnCount"])]
            entry["data"] = [grid_data(sheet, box) for box in boxes]
        if sheet["merges"]:
            entry["merges"] = [range_out(m) for m in sheet["merges"]]
        if sheet["basicFilter"]:
            entry["basicFilter"] = copy.deepcopy(sheet["basicFilter"])
        if sheet["protectedRanges"]:
            entry["protectedRanges"] = copy.deepcopy(sheet["protectedRanges"])
        if sheet["charts"]:
            entry["charts"] = copy.deepcopy(sheet["charts"])
        if sheet["rowGroups"]:
            entry["rowGroups"] = copy.deepcopy(sheet["rowGroups"])
        if sheet["columnGroups"]:
            entry["columnGroups"] = copy.deepcopy(sheet["columnGroups"])
        sheets.append(entry)
    out["sheets"] = sheets
    if content["namedRanges"]:
        out["namedRanges"] = [{**nr, "range": range_out(nr["range"])} for nr in content["namedRanges"]]
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{rec.id}/edit"
    return out


def grid_data(sheet: Json, box: tuple[int, int, int, int]) -> Json:
    """GridData of ``box`` on ``sheet``: rowData trimmed of trailing empties, row/column metadata."""
    r0, r1, c0, c1 = box
    data: Json = {}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    rows: list[Json] = []
    last_row = -1
    for r in range(r0, r1):
        values: list[Json] = []
        last = -1
        for c in range(c0, c1):
            cell = sheet["cells"].get((r, c))
            out = cell_data(sheet, r, c, cell) if cell else {}
            values.append(out)
            if out:
                last = c - c0
        rows.append({"values": values[: last + 1]} if last >= 0 else {})
        if last >= 0:
            last_row = r - r0
    if last_row >= 0:
        data["rowData"] = rows[: last_row + 1]
    data["rowMetadata"] = [_dim_meta(sheet["rowMeta"].get(r), ROW_PIXELS) for r in range(r0, r1)]
    data["columnMetadata"] = [_dim_meta(sheet["colMeta"].get(c), COL_PIXELS) for c in range(c0, c1)]
    return data


def _dim_meta(meta: Json | None, default: int) -> Json:
    out = {"pixelSize": default}
    out.update(meta or {})
    if not out.get("hiddenByUser"):
        out.pop("hiddenByUser", None)
    return out


def sheet_by_title(content: Json, title: str) -> Json | None:
    """The sheet titled ``title`` (exact), or None."""
    for sheet in content["sheets"]:
        if sheet["properties"]["title"] == title:
            return sheet  # type: ignore[no-any-return]
    return None


def sheet_by_id(content: Json, sheet_id: int, where: str) -> Json:
    """The sheet with ``sheet_id``, or Google's 400 naming ``where``."""
    for sheet in content["sheets"]:
        if sheet["properties"]["sheetId"] == sheet_id:
            return sheet  # type: ignore[no-any-return]
    raise bad(f"Invalid {where}: No grid with id: {sheet_id}")


def first_sheet(content: Json) -> Json:
    """The sheet at index 0 (what an A1 range without a sheet name means)."""
    return sorted(content["sheets"], key=lambda s: s["properties"]["index"])[0]  # type: ignore[no-any-return]


def named(content: Json, name: str) -> Json | None:
    """The named range called ``name`` (case-insensitive), or None."""
    for nr in content["namedRanges"]:
        if nr["name"].lower() == name.lower():
            return nr  # type: ignore[no-any-return]
    return None


def resolve(content: Json, text: str, *, check_grid: bool = True) -> tuple[Json, tuple[int, int, int, int]]:
    """A1 text -> (sheet, bounded (r0, r1, c0, c1)); Google's 400 when it does not parse or fit."""
    try:
        name, ref = a1.split_sheet(text)
    except a1.A1Error:
        raise bad(f"Unable to parse range: {text}") from None
    sheet: Json | None
    if name is None:
        assert ref is not None
        if a1.looks_like_ref(ref):
            sheet = first_sheet(content)
        else:
            sheet = sheet_by_title(content, ref)
            if sheet is not None:
                ref = None
            else:
                nr = named(content, ref)
                if nr is None:
                    raise bad(f"Unable to parse range: {text}")
                return named_box(content, nr)
    else:
        sheet = sheet_by_title(content, name)
        if sheet is None:
            raise bad(f"Unable to parse range: {text}")
    g = sheet["properties"]["gridProperties"]
    rows, cols = g["rowCount"], g["columnCount"]
    if ref is None:
        return sheet, (0, rows, 0, cols)
    try:
        parsed = a1.parse_ref(ref)
    except a1.A1Error:
        nr = named(content, ref)
        if nr is not None and nr["range"].get("sheetId", 0) == sheet["properties"]["sheetId"]:
            return named_box(content, nr)
        raise bad(f"Unable to parse range: {text}") from None
    r0 = parsed.start_row or 0
    c0 = parsed.start_col or 0
    r1 = parsed.end_row if parsed.end_row is not None else rows
    c1 = parsed.end_col if parsed.end_col is not None else cols
    if check_grid and (r1 > rows or c1 > cols or r0 >= rows or c0 >= cols):
        shown = a1.format_range(sheet["properties"]["title"], r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))
        shown = shown.replace(
            a1.quote_sheet(sheet["properties"]["title"]) + "!",
            "'" + sheet["properties"]["title"].replace("'", "''") + "'!",
        )
        raise bad(f"Range ({shown}) exceeds grid limits. Max rows: {rows}, max columns: {cols}")
    return sheet, (r0, r1, c0, c1)


def named_box(content: Json, nr: Json) -> tuple[Json, tuple[int, int, int, int]]:
    """(sheet, box) of a named range."""
    rng = nr["range"]
    sheet = sheet_by_id(content, rng.get("sheetId", 0), "range")
    return sheet, bounds(rng, sheet)


def grid_box(content: Json, rng: Json, where: str) -> tuple[Json, tuple[int, int, int, int]]:
    """(sheet, box) of a GridRange in a batchUpdate request; Google's 400 when it exceeds the grid."""
    sheet = sheet_by_id(content, rng.get("sheetId", 0), where)
    box = bounds(rng, sheet)
    g = sheet["properties"]["gridProperties"]
    if box[1] > g["rowCount"] or box[3] > g["columnCount"] or box[0] > box[1] or box[2] > box[3]:
        raise bad(
            f"Invalid {where}: Range ({a1.quote_sheet(sheet['properties']['title'])}!"
            f"{a1.format_cells(box[0], max(box[1], box[0] + 1), box[2], max(box[3], box[2] + 1))})"
            f" exceeds grid limits. Max rows: {g['rowCount']}, max columns: {g['columnCount']}"
        )
    return sheet, box


def cells_in(sheet: Json, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """Every (row, column) key of ``box``."""
    r0, r1, c0, c1 = box
    return [(r, c) for r in range(r0, r1) for c in range(c0, c1)]


def insert_dimension(sheet: Json, dim: str, start: int, end: int, content: Json) -> None:
    """Insert rows/columns [start, end): cells, metadata and ranges below/right move."""
    n = end - start
    g = sheet["properties"]["gridProperties"]
    axis = 0 if dim == "ROWS" else 1
    g["rowCount" if axis == 0 else "columnCount"] += n
    sheet["cells"] = {shift(k, axis, start, n): v for k, v in sheet["cells"].items()}
    meta = sheet["rowMeta" if axis == 0 else "colMeta"]
    sheet["rowMeta" if axis == 0 else "colMeta"] = {(i + n if i >= start else i): v for i, v in meta.items()}
    shift_ranges(content, sheet, axis, start, n)


def shift_ranges(content: Json, sheet: Json, axis: int, start: int, n: int) -> None:
    """Move merges, named ranges, filters and protected ranges when rows/columns are inserted (n>0)
    or deleted (n<0) at ``start``."""
    lo, hi = ("startRowIndex", "endRowIndex") if axis == 0 else ("startColumnIndex", "endColumnIndex")
    sid = sheet["properties"]["sheetId"]

    def move(rng: Json) -> bool:
        if lo not in rng:
            return True
        s = rng[lo]
        e = rng.get(hi, s + 1)
        if n > 0:
            s2 = s + n if s >= start else s
            e2 = e + n if e > start else e
        else:
            cut_end = start - n
            s2 = s if s < start else max(start, s + n if s >= cut_end else start)
            e2 = e if e <= start else max(start, e + n if e >= cut_end else start)
        rng[lo] = s2
        if hi in rng:
            rng[hi] = e2
        return bool(e2 > s2)

    sheet["merges"] = [m for m in sheet["merges"] if move(m)]
    for pr in sheet["protectedRanges"]:
        move(pr.get("range") or {})
    if sheet["basicFilter"]:
        move(sheet["basicFilter"]["range"])
    for nr in content["namedRanges"]:
        if nr["range"].get("sheetId", 0) == sid:
            move(nr["range"])


def bounds(rng: Json, sheet: Json) -> tuple[int, int, int, int]:
    """A GridRange as (r0, r1, c0, c1), open ends filled from the sheet's size."""
    g = sheet["properties"]["gridProperties"]
    return (
        rng.get("startRowIndex", 0),
        rng.get("endRowIndex", g["rowCount"]),
        rng.get("startColumnIndex", 0),
        rng.get("endColumnIndex", g["columnCount"]),
    )


def range_out(rng: Json) -> Json:
    """A GridRange as Google prints it: sheetId 0 is a proto default and is omitted."""
    out = {k: v for k, v in rng.items() if not (k == "sheetId" and not v)}
    order = ["sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"]
    return {k: out[k] for k in order if k in out} | {k: v for k, v in out.items() if k not in order}


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether two boxes share a cell."""
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def shift(key: tuple[int, int], axis: int, start: int, n: int) -> tuple[int, int]:
    """A cell key moved by ``n`` along ``axis`` when at or past ``start``."""
    if key[axis] < start:
        return key
    return (key[0] + n, key[1]) if axis == 0 else (key[0], key[1] + n)

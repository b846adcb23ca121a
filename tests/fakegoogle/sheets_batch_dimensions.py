"""Row and column requests of spreadsheets.batchUpdate: insert/append/deleteDimension,
updateDimensionProperties, autoResizeDimensions and dimension groups (handler shape: see sheets_batch.py)."""

from __future__ import annotations

import copy
from typing import Any

from tests.fakegoogle.sheets_cells import render
from tests.fakegoogle.sheets_grid import (
    COL_PIXELS,
    ROW_PIXELS,
    Request,
    bad,
    insert_dimension,
    sheet_by_id,
    shift,
    shift_ranges,
)
from tests.fakegoogle.sheets_masks import apply_mask

Json = dict[str, Any]


def dimension_span(content: Json, rng: Json, where: str) -> tuple[Json, str, int, int]:
    """(sheet, "ROWS"/"COLUMNS", start, end) of a DimensionRange; Google's 400 when it is malformed."""
    sheet = sheet_by_id(content, rng.get("sheetId", 0), where)
    dim = rng.get("dimension")
    if dim not in ("ROWS", "COLUMNS"):
        raise bad(f"Invalid {where}: dimension must be ROWS or COLUMNS.")
    g = sheet["properties"]["gridProperties"]
    size = g["rowCount"] if dim == "ROWS" else g["columnCount"]
    start = rng.get("startIndex", 0)
    end = rng.get("endIndex", size)
    if start < 0 or end < start:
        raise bad(f"Invalid {where}: startIndex must be less than or equal to endIndex.")
    return sheet, dim, start, end


def _insert_dimension(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, dim, start, end = dimension_span(content, rq.get("range") or {}, where)
    g = sheet["properties"]["gridProperties"]
    size = g["rowCount"] if dim == "ROWS" else g["columnCount"]
    if start > size:
        raise bad(f"Invalid {where}: range.startIndex must be less than or equal to the grid size {size}")
    if start == 0 and rq.get("inheritFromBefore"):
        raise bad(f"Invalid {where}: Cannot inherit from before when inserting at index 0.")
    insert_dimension(sheet, dim, start, end, content)
    return {}


def _append_dimension(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet = sheet_by_id(content, rq.get("sheetId", 0), where)
    key = "rowCount" if rq.get("dimension") == "ROWS" else "columnCount"
    if rq.get("dimension") not in ("ROWS", "COLUMNS") or (rq.get("length") or 0) < 1:
        raise bad(f"Invalid {where}: length must be positive and dimension ROWS or COLUMNS.")
    sheet["properties"]["gridProperties"][key] += rq["length"]
    return {}


def _delete_dimension(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, dim, start, end = dimension_span(content, rq.get("range") or {}, where)
    g = sheet["properties"]["gridProperties"]
    key = "rowCount" if dim == "ROWS" else "columnCount"
    if end > g[key]:
        raise bad(f"Invalid {where}: range.endIndex must be less than or equal to the grid size {g[key]}")
    if end - start >= g[key]:
        raise bad(
            f"Invalid {where}: You can't delete all the rows on the sheet."
            if dim == "ROWS"
            else f"Invalid {where}: You can't delete all the columns on the sheet."
        )
    n = end - start
    axis = 0 if dim == "ROWS" else 1
    cells = {}
    for k, v in sheet["cells"].items():
        if start <= k[axis] < end:
            continue
        cells[shift(k, axis, end, -n)] = v
    sheet["cells"] = cells
    meta_key = "rowMeta" if axis == 0 else "colMeta"
    sheet[meta_key] = {(i - n if i >= end else i): v for i, v in sheet[meta_key].items() if not start <= i < end}
    g[key] -= n
    shift_ranges(content, sheet, axis, start, -n)
    return {}


def _update_dimension_properties(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, dim, start, end = dimension_span(content, rq.get("range") or {}, where)
    meta = sheet["rowMeta" if dim == "ROWS" else "colMeta"]
    for i in range(start, end):
        current = meta.setdefault(i, {})
        apply_mask(current, rq.get("properties") or {}, rq.get("fields") or "", where)
        if not current:
            del meta[i]
    return {}


def _auto_resize_dimensions(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, dim, start, end = dimension_span(content, rq.get("dimensions") or {}, where)
    meta = sheet["rowMeta" if dim == "ROWS" else "colMeta"]
    for i in range(start, end):
        if dim == "COLUMNS":
            texts = [
                render(sheet, k[0], k[1], v, "FORMATTED_VALUE", "SERIAL_NUMBER")
                for k, v in sheet["cells"].items()
                if k[1] == i
            ]
            width = max((_text_pixels(str(t)) for t in texts if t != ""), default=COL_PIXELS)
            meta.setdefault(i, {})["pixelSize"] = width
        else:
            meta.setdefault(i, {})["pixelSize"] = ROW_PIXELS
    return {}


_ARIAL = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ",
        [
            667,
            667,
            722,
            722,
            667,
            611,
            778,
            722,
            278,
            500,
            667,
            556,
            833,
            722,
            778,
            667,
            778,
            722,
            667,
            611,
            722,
            667,
            944,
            667,
            667,
            611,
            556,
            556,
            500,
            556,
            556,
            278,
            556,
            556,
            222,
            222,
            500,
            222,
            833,
            556,
            556,
            556,
            556,
            333,
            500,
            278,
            556,
            500,
            722,
            500,
            500,
            500,
            *([556] * 10),
            278,
        ],
        strict=True,
    )
)


def _text_pixels(text: str) -> int:
    """Arial advance widths (1/1000 em) scaled to Sheets' default 10pt, plus padding; calibrated on the one
    recorded autoResizeDimensions answer (1024 x "A" -> 8691 px)."""
    return round(sum(_ARIAL.get(ch, 556) for ch in text) * 0.0127202 + 3)


def _dimension_groups(sheet: Json, dim: str) -> list[Json]:
    return sheet["rowGroups" if dim == "ROWS" else "columnGroups"]  # type: ignore[no-any-return]


def _add_dimension_group(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, dim, start, end = dimension_span(content, rq.get("range") or {}, where)
    groups = _dimension_groups(sheet, dim)
    depth = 1 + max(
        (g["depth"] for g in groups if g["range"]["startIndex"] <= start and end <= g["range"]["endIndex"]),
        default=0,
    )
    rng: Json = {"dimension": dim, "startIndex": start, "endIndex": end}
    if sheet["properties"]["sheetId"]:
        rng = {"sheetId": sheet["properties"]["sheetId"], **rng}
    groups.append({"range": rng, "depth": depth})
    groups.sort(key=lambda g: (g["depth"], g["range"]["startIndex"]))
    grid = sheet["properties"]["gridProperties"]
    grid["rowGroupControlAfter" if dim == "ROWS" else "columnGroupControlAfter"] = True
    return {"addDimensionGroup": {"dimensionGroups": copy.deepcopy(groups)}}


def _delete_dimension_group(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, dim, start, end = dimension_span(content, rq.get("range") or {}, where)
    groups = _dimension_groups(sheet, dim)
    matching = [g for g in groups if g["range"]["startIndex"] == start and g["range"]["endIndex"] == end]
    if not matching:
        raise bad(f"Invalid {where}: No dimension group exists for the range.")
    deepest = max(matching, key=lambda g: g["depth"])
    groups.remove(deepest)
    reply: Json = {}
    if groups:
        reply["dimensionGroups"] = copy.deepcopy(groups)
    return {"deleteDimensionGroup": reply}


REQUESTS: dict[str, Request] = {
    "insertDimension": _insert_dimension,
    "appendDimension": _append_dimension,
    "deleteDimension": _delete_dimension,
    "updateDimensionProperties": _update_dimension_properties,
    "autoResizeDimensions": _auto_resize_dimensions,
    "addDimensionGroup": _add_dimension_group,
    "deleteDimensionGroup": _delete_dimension_group,
}

"""Cell requests of spreadsheets.batchUpdate: data validation, repeatCell/updateCells (field masks over
CellData), merges, sortRange, copyPaste and cutPaste (handler shape: see sheets_batch.py)."""

from __future__ import annotations

import copy
from typing import Any

from tests.fakegoogle.sheets_cells import cell_as_data, cell_from_data, effective, sort_key
from tests.fakegoogle.sheets_grid import Request, bad, bounds, cells_in, grid_box, overlaps, sheet_by_id
from tests.fakegoogle.sheets_masks import apply_mask

Json = dict[str, Any]


def _set_data_validation(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, box = grid_box(content, rq.get("range") or {}, where)
    rule = rq.get("rule")
    if rule is not None and not (rule.get("condition") or {}).get("type"):
        raise bad(f"Invalid {where}: A data validation rule requires a condition type.")
    for key in cells_in(sheet, box):
        cell = sheet["cells"].setdefault(key, {})
        if rule:
            cell["dv"] = {k: copy.deepcopy(v) for k, v in rule.items() if v not in (None, False)}
        else:
            cell.pop("dv", None)
            if not cell:
                del sheet["cells"][key]
    return {}


def _set_cell(sheet: Json, key: tuple[int, int], data: Json, fields: str, where: str) -> None:
    cell = sheet["cells"].setdefault(key, {})
    current = cell_as_data(cell)
    apply_mask(current, data, fields, where)
    sheet["cells"][key] = cell_from_data(current, where)
    if not sheet["cells"][key]:
        del sheet["cells"][key]


def _repeat_cell(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, box = grid_box(content, rq.get("range") or {}, where)
    fields = rq.get("fields") or ""
    if not fields:
        raise bad(f"Invalid {where}: At least one field must be updated, but none were specified.")
    for key in cells_in(sheet, box):
        _set_cell(sheet, key, rq.get("cell") or {}, fields, where)
    return {}


def _update_cells(content: Json, rq: Json, where: str, state: Json) -> Json:
    fields = rq.get("fields") or ""
    if not fields:
        raise bad(f"Invalid {where}: At least one field must be updated, but none were specified.")
    rows = rq.get("rows") or []
    if "range" in rq:
        sheet, box = grid_box(content, rq["range"], where)
    else:
        start = rq.get("start") or {}
        sheet = sheet_by_id(content, start.get("sheetId", 0), where)
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        box = (r0, r0 + len(rows), c0, c0 + max((len(r.get("values") or []) for r in rows), default=0))
        g = sheet["properties"]["gridProperties"]
        if box[1] > g["rowCount"] or box[3] > g["columnCount"]:
            raise bad(
                f"Invalid {where}: Attempting to write row: {box[1] - 1}, beyond the last requested "
                f"row of: {g['rowCount'] - 1}"
            )
    r0, r1, c0, c1 = box
    for r in range(r0, r1):
        row = rows[r - r0] if r - r0 < len(rows) else {}
        values = row.get("values") or []
        for c in range(c0, c1):
            data = values[c - c0] if c - c0 < len(values) else {}
            if "range" not in rq and c - c0 >= len(values):
                continue
            _set_cell(sheet, (r, c), data, fields, where)
    return {}


def _merge_cells(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, (r0, r1, c0, c1) = grid_box(content, rq.get("range") or {}, where)
    kind = rq.get("mergeType") or "MERGE_ALL"
    if kind == "MERGE_ALL":
        pieces = [(r0, r1, c0, c1)]
    elif kind == "MERGE_COLUMNS":
        pieces = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    elif kind == "MERGE_ROWS":
        pieces = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    else:
        raise bad(f"Invalid {where}: unknown mergeType {kind}")
    # A new merge replaces the merges it overlaps, as the Sheets UI does.
    sheet["merges"] = [m for m in sheet["merges"] if not overlaps(bounds(m, sheet), (r0, r1, c0, c1))]
    sid = sheet["properties"]["sheetId"]
    for p in pieces:
        if (p[1] - p[0]) * (p[3] - p[2]) < 2:
            continue
        for key in cells_in(sheet, p)[1:]:
            cell = sheet["cells"].get(key)
            if cell:
                cell.pop("v", None)
                cell.pop("f", None)
                if not cell:
                    del sheet["cells"][key]
        sheet["merges"].append(
            {
                "sheetId": sid,
                "startRowIndex": p[0],
                "endRowIndex": p[1],
                "startColumnIndex": p[2],
                "endColumnIndex": p[3],
            }
        )
    return {}


def _unmerge_cells(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, box = grid_box(content, rq.get("range") or {}, where)
    sheet["merges"] = [m for m in sheet["merges"] if not overlaps(bounds(m, sheet), box)]
    return {}


def _sort_range(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, (r0, r1, c0, c1) = grid_box(content, rq.get("range") or {}, where)
    specs = rq.get("sortSpecs") or []
    rows = [{c: sheet["cells"].get((r, c)) for c in range(c0, c1)} for r in range(r0, r1)]
    rendered = [{c: effective(sheet, r0 + i, c, row[c], set()) for c in row} for i, row in enumerate(rows)]
    order = list(range(len(rows)))
    for spec in reversed(specs):
        col = spec.get("dimensionIndex", 0)
        desc = spec.get("sortOrder") == "DESCENDING"
        filled = [i for i in order if rendered[i].get(col) not in (None, "")]
        empty = [i for i in order if rendered[i].get(col) in (None, "")]

        def by_value(i: int, col: int = col) -> tuple[int, Any]:
            return sort_key(rendered[i].get(col))

        filled.sort(key=by_value, reverse=desc)
        order = filled + empty  # blanks always sort last, in either direction
    for key in [k for k in sheet["cells"] if r0 <= k[0] < r1 and c0 <= k[1] < c1]:
        del sheet["cells"][key]
    for new_r, old in enumerate(order):
        for c, cell in rows[old].items():
            if cell:
                sheet["cells"][(r0 + new_r, c)] = cell
    return {}


def _paste(
    sheet: Json,
    src: tuple[int, int, int, int],
    dest_sheet: Json,
    dr: int,
    dc: int,
    paste_type: str,
    cut: bool,
) -> None:
    r0, r1, c0, c1 = src
    block = {
        (r - r0, c - c0): copy.deepcopy(sheet["cells"].get((r, c))) for r in range(r0, r1) for c in range(c0, c1)
    }
    if cut:
        for key in list(block):
            sheet["cells"].pop((key[0] + r0, key[1] + c0), None)
    g = dest_sheet["properties"]["gridProperties"]
    for (i, j), cell in block.items():
        key = (dr + i, dc + j)
        if key[0] >= g["rowCount"] or key[1] >= g["columnCount"]:
            continue
        target = dest_sheet["cells"].get(key, {})
        if paste_type in ("PASTE_NORMAL", "PASTE_VALUES", "PASTE_FORMULA"):
            for k in ("v", "f"):
                target.pop(k, None)
            for k in ("v", "f"):
                if cell and k in cell:
                    target[k] = cell[k]
        if paste_type in ("PASTE_NORMAL", "PASTE_FORMAT"):
            for k in ("fmt", "nf"):
                target.pop(k, None)
                if cell and k in cell:
                    target[k] = cell[k]
        if paste_type == "PASTE_NORMAL":
            for k in ("note", "dv"):
                target.pop(k, None)
                if cell and k in cell:
                    target[k] = cell[k]
        if target:
            dest_sheet["cells"][key] = target
        else:
            dest_sheet["cells"].pop(key, None)


def _copy_paste(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, src = grid_box(content, rq.get("source") or {}, where)
    dest_sheet, dest = grid_box(content, rq.get("destination") or {}, where)
    h, w = src[1] - src[0], src[3] - src[2]
    paste = rq.get("pasteType") or "PASTE_NORMAL"
    # The source tiles over the destination when the destination is a multiple of it.
    for dr in range(dest[0], max(dest[1], dest[0] + 1), h or 1):
        for dc in range(dest[2], max(dest[3], dest[2] + 1), w or 1):
            _paste(sheet, src, dest_sheet, dr, dc, paste, cut=False)
    return {}


def _cut_paste(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet, src = grid_box(content, rq.get("source") or {}, where)
    dest = rq.get("destination") or {}
    dest_sheet = sheet_by_id(content, dest.get("sheetId", 0), where)
    _paste(
        sheet,
        src,
        dest_sheet,
        dest.get("rowIndex", 0),
        dest.get("columnIndex", 0),
        rq.get("pasteType") or "PASTE_NORMAL",
        cut=True,
    )
    return {}


REQUESTS: dict[str, Request] = {
    "setDataValidation": _set_data_validation,
    "repeatCell": _repeat_cell,
    "updateCells": _update_cells,
    "mergeCells": _merge_cells,
    "unmergeCells": _unmerge_cells,
    "sortRange": _sort_range,
    "copyPaste": _copy_paste,
    "cutPaste": _cut_paste,
}

"""spreadsheets.values.* of the fake Sheets: A1 ranges in, ValueRanges and Google's update counters out.

Each handler takes the spreadsheet's FileRecord (looked up and access-checked by sheets.Sheets, which also
moves modifiedTime after a write) and the request's parameters and body.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.fakegoogle import a1
from tests.fakegoogle.sheets_cells import check_cell_size, parse_user_entered, render
from tests.fakegoogle.sheets_grid import bad, insert_dimension, resolve
from tests.fakegoogle.store import ApiError, FileRecord

Json = dict[str, Any]


def value_range(sheet: Json, box: tuple[int, int, int, int], params: dict[str, Any]) -> Json:
    """The ValueRange of ``box`` under the request's majorDimension and render options."""
    r0, r1, c0, c1 = box
    major = params.get("majorDimension") or "ROWS"
    option = params.get("valueRenderOption") or "FORMATTED_VALUE"
    dt_option = params.get("dateTimeRenderOption") or "SERIAL_NUMBER"
    out: Json = {
        "range": a1.format_range(sheet["properties"]["title"], r0, r1, c0, c1),
        "majorDimension": major,
    }
    outer = range(r0, r1) if major == "ROWS" else range(c0, c1)
    inner = range(c0, c1) if major == "ROWS" else range(r0, r1)
    cells = sheet["cells"]
    occupied = [k for k, v in cells.items() if r0 <= k[0] < r1 and c0 <= k[1] < c1 and ("v" in v or "f" in v)]
    if not occupied:
        return out
    # Only walk the occupied part: trailing empty rows and cells are trimmed anyway.
    if major == "ROWS":
        outer = range(r0, max(k[0] for k in occupied) + 1)
        inner = range(c0, max(k[1] for k in occupied) + 1)
    else:
        outer = range(c0, max(k[1] for k in occupied) + 1)
        inner = range(r0, max(k[0] for k in occupied) + 1)
    values: list[list[Any]] = []
    for i in outer:
        line = []
        for j in inner:
            r, c = (i, j) if major == "ROWS" else (j, i)
            line.append(render(sheet, r, c, cells.get((r, c)), option, dt_option))
        while line and line[-1] == "":
            line.pop()
        values.append(line)
    while values and not values[-1]:
        values.pop()
    if values:
        out["values"] = values
    return out


def get(rec: FileRecord, params: dict[str, Any], body: Any) -> Any:
    """values.get."""
    sheet, box = resolve(rec.content, params["range"])
    return value_range(sheet, box, params)


def batch_get(rec: FileRecord, params: dict[str, Any], body: Any) -> Any:
    """values.batchGet."""
    ranges = params.get("ranges") or []
    if isinstance(ranges, str):
        ranges = [ranges]
    out = [value_range(*resolve(rec.content, text), params) for text in ranges]
    return {"spreadsheetId": rec.id, "valueRanges": out}


def _write(
    sheet: Json,
    r0: int,
    c0: int,
    values: Any,
    major: str,
    input_option: str,
    limit: tuple[int, int] | None,
    field: str,
    range_text: str,
) -> tuple[int, int, Json]:
    """Write a 2-D array at (r0, c0); returns (rows, cols) of the written box and the counters."""
    if not isinstance(values, list) or any(not isinstance(v, list) for v in values):
        wrong = values if not isinstance(values, list) else next(v for v in values if not isinstance(v, list))
        raise bad(f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.ListValue), {_json_repr(wrong)}")
    grid = sheet["properties"]["gridProperties"]
    height = len(values)
    width = max((len(v) for v in values), default=0)
    rows, cols = (height, width) if major == "ROWS" else (width, height)
    if limit is not None:
        lim_r, lim_c = limit
        if rows > lim_r:
            raise bad(f"Requested writing within range [{range_text}], but tried writing to row [{r0 + rows}]")
        if cols > lim_c:
            raise bad(
                f"Requested writing within range [{range_text}], but tried writing to column "
                f"[{a1.col_letters(c0 + cols - 1)}]"
            )
    if r0 + rows > grid["rowCount"] or c0 + cols > grid["columnCount"]:
        shown = (
            "'"
            + sheet["properties"]["title"].replace("'", "''")
            + "'!"
            + a1.format_cells(r0, r0 + max(rows, 1), c0, c0 + max(cols, 1))
        )
        raise bad(
            f"Range ({shown}) exceeds grid limits. Max rows: {grid['rowCount']}, max columns: {grid['columnCount']}"
        )
    for line in values:  # validated whole before anything is written: Google refuses the request as one
        for raw in line:
            check_cell_size(raw)
    touched_rows: set[int] = set()
    touched_cols: set[int] = set()
    count = 0
    for i, line in enumerate(values):
        for j, raw in enumerate(line):
            r, c = (r0 + i, c0 + j) if major == "ROWS" else (r0 + j, c0 + i)
            if raw is None:
                continue
            if isinstance(raw, dict | list):
                raise bad(f"Invalid values[{i}][{j}]: {_struct_kind(raw)}")
            cell = sheet["cells"].setdefault((r, c), {})
            cell.pop("v", None)
            cell.pop("f", None)
            if cell.get("nf") and cell["nf"].get("type") in ("DATE", "PERCENT"):
                cell.pop("nf")
            if isinstance(raw, str) and input_option == "USER_ENTERED":
                cell.update(parse_user_entered(raw))
            elif isinstance(raw, str):
                if raw != "":
                    cell["v"] = raw
            elif isinstance(raw, bool):
                cell["v"] = raw
            else:
                cell["v"] = float(raw)
            if cell.get("v") == "" and "f" not in cell:
                cell.pop("v")
            if not cell:
                sheet["cells"].pop((r, c))
            touched_rows.add(r)
            touched_cols.add(c)
            count += 1
    return (
        rows,
        cols,
        {"updatedRows": len(touched_rows), "updatedColumns": len(touched_cols), "updatedCells": count},
    )


def _update_one(
    rec: FileRecord,
    range_text: str,
    data: Json,
    input_option: str,
    field: str,
    params: dict[str, Any],
) -> Json:
    if input_option not in ("RAW", "USER_ENTERED"):
        raise bad("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    content = rec.content
    sheet, (r0, r1, c0, c1) = resolve(content, range_text, check_grid=False)
    single = _is_single_cell(content, range_text)
    major = data.get("majorDimension") or "ROWS"
    limit = None if single else (r1 - r0, c1 - c0)
    rows, cols, counts = _write(
        sheet, r0, c0, data.get("values") or [], major, input_option, limit, field, range_text
    )
    out: Json = {"spreadsheetId": rec.id}
    if rows and cols:
        out["updatedRange"] = a1.format_range(sheet["properties"]["title"], r0, r0 + rows, c0, c0 + cols)
    else:
        out["updatedRange"] = a1.format_range(sheet["properties"]["title"], r0, r0 + 1, c0, c0 + 1)
    out.update({k: v for k, v in counts.items() if v})
    if params.get("includeValuesInResponse"):
        out["updatedData"] = value_range(
            sheet,
            (r0, r0 + max(rows, 1), c0, c0 + max(cols, 1)),
            {
                "valueRenderOption": params.get("responseValueRenderOption"),
                "dateTimeRenderOption": params.get("responseDateTimeRenderOption"),
                "majorDimension": major,
            },
        )
    return out


def _is_single_cell(content: Json, text: str) -> bool:
    try:
        _, ref = a1.split_sheet(text)
    except a1.A1Error:
        return False
    return ref is not None and ":" not in ref and a1.looks_like_ref(ref)


def update(rec: FileRecord, params: dict[str, Any], body: Any) -> Any:
    """values.update."""
    body = body or {}
    if body.get("range") and body["range"] != params["range"]:
        raise bad(f"Requested range [{body['range']}] must match the range [{params['range']}] in the URL.")
    out = _update_one(rec, params["range"], body, params.get("valueInputOption") or "", "data.values", params)
    return out


def batch_update(rec: FileRecord, params: dict[str, Any], body: Any) -> Any:
    """values.batchUpdate: every range or none (the content is restored on an error)."""
    body = body or {}
    backup = copy.deepcopy(rec.content)
    responses = []
    try:
        for i, data in enumerate(body.get("data") or []):
            responses.append(
                _update_one(
                    rec,
                    data.get("range", ""),
                    data,
                    body.get("valueInputOption") or "",
                    f"data[{i}].values",
                    {
                        "includeValuesInResponse": body.get("includeValuesInResponse"),
                        "responseValueRenderOption": body.get("responseValueRenderOption"),
                        "responseDateTimeRenderOption": body.get("responseDateTimeRenderOption"),
                    },
                )
            )
    except ApiError:
        rec.content = backup
        raise
    totals: Json = {"spreadsheetId": rec.id}
    sheets_touched = {r["updatedRange"].rsplit("!", 1)[0] for r in responses if r.get("updatedCells")}
    for key, total in (
        ("updatedRows", "totalUpdatedRows"),
        ("updatedColumns", "totalUpdatedColumns"),
        ("updatedCells", "totalUpdatedCells"),
    ):
        value = sum(r.get(key, 0) for r in responses)
        if value:
            totals[total] = value
    if sheets_touched:
        totals["totalUpdatedSheets"] = len(sheets_touched)
    if responses:
        totals["responses"] = responses
    return totals


def append(rec: FileRecord, params: dict[str, Any], body: Any) -> Any:
    """values.append: after the table found around the range, growing the grid as Google does."""
    body = body or {}
    input_option = params.get("valueInputOption") or ""
    if input_option not in ("RAW", "USER_ENTERED"):
        raise bad("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    sheet, box = resolve(rec.content, params["range"])
    table = _find_table(sheet, box)
    major = body.get("majorDimension") or "ROWS"
    values = body.get("values") or []
    out: Json = {"spreadsheetId": rec.id}
    title = sheet["properties"]["title"]
    if table is None:
        r0, c0 = box[0], box[2]
    else:
        out["tableRange"] = a1.format_range(title, *table)
        r0, c0 = table[1], table[2]
    if isinstance(values, list) and values and all(isinstance(v, list) for v in values):
        height = len(values)
        width = max(len(v) for v in values)
        rows, cols = (height, width) if major == "ROWS" else (width, height)
        grid = sheet["properties"]["gridProperties"]
        if params.get("insertDataOption") == "INSERT_ROWS":
            insert_dimension(sheet, "ROWS", r0, r0 + rows, rec.content)
        if r0 + rows > grid["rowCount"]:
            grid["rowCount"] = r0 + rows
        if c0 + cols > grid["columnCount"]:
            grid["columnCount"] = c0 + cols
    rows, cols, counts = _write(
        sheet, r0, c0, values, major, input_option, None, "data.values", params["range"]
    )
    updates: Json = {
        "spreadsheetId": rec.id,
        "updatedRange": a1.format_range(title, r0, r0 + max(rows, 1), c0, c0 + max(cols, 1)),
    }
    updates.update({k: v for k, v in counts.items() if v})
    if params.get("includeValuesInResponse"):
        updates["updatedData"] = value_range(
            sheet,
            (r0, r0 + max(rows, 1), c0, c0 + max(cols, 1)),
            {
                "valueRenderOption": params.get("responseValueRenderOption"),
                "dateTimeRenderOption": params.get("responseDateTimeRenderOption"),
                "majorDimension": major,
            },
        )
    out["updates"] = updates
    return out


def _find_table(sheet: Json, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """Google's "table" for append: the data region around the range (the last one on a larger range)."""
    r0, r1, c0, c1 = box
    filled = {k for k, v in sheet["cells"].items() if ("v" in v or "f" in v)}
    if (r1 - r0, c1 - c0) == (1, 1):
        starts = [(r0, c0)] if (r0, c0) in filled else []
    else:
        starts = sorted(k for k in filled if r0 <= k[0] < r1 and c0 <= k[1] < c1)
    seen: set[tuple[int, int]] = set()
    found = None
    for start in starts:
        if start in seen:
            continue
        todo = [start]
        region = []
        while todo:
            cur = todo.pop()
            if cur in seen or cur not in filled:
                continue
            seen.add(cur)
            region.append(cur)
            r, c = cur
            todo.extend([(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)])
        found = (
            min(k[0] for k in region),
            max(k[0] for k in region) + 1,
            min(k[1] for k in region),
            max(k[1] for k in region) + 1,
        )
    return found


def _clear_box(sheet: Json, box: tuple[int, int, int, int]) -> None:
    r0, r1, c0, c1 = box
    for key in [k for k in sheet["cells"] if r0 <= k[0] < r1 and c0 <= k[1] < c1]:
        cell = sheet["cells"][key]
        cell.pop("v", None)
        cell.pop("f", None)
        if not cell:
            del sheet["cells"][key]


def clear(rec: FileRecord, params: dict[str, Any], body: Any) -> Any:
    """values.clear: values go, formats stay."""
    sheet, box = resolve(rec.content, params["range"])
    _clear_box(sheet, box)
    return {"spreadsheetId": rec.id, "clearedRange": a1.format_range(sheet["properties"]["title"], *box)}


def batch_clear(rec: FileRecord, params: dict[str, Any], body: Any) -> Any:
    """values.batchClear."""
    resolved = [resolve(rec.content, text) for text in (body or {}).get("ranges") or []]
    for sheet, box in resolved:
        _clear_box(sheet, box)
    return {
        "spreadsheetId": rec.id,
        "clearedRanges": [a1.format_range(s["properties"]["title"], *b) for s, b in resolved],
    }


def _json_repr(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _struct_kind(value: Any) -> str:
    return "a list is not a valid cell value" if isinstance(value, list) else "a struct is not a valid cell value"

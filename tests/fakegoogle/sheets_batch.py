"""spreadsheets.batchUpdate of the fake Sheets: the dispatcher, and the sheet, spreadsheet-property,
named-range, chart, filter and protection requests.

Cell requests live in sheets_batch_cells.py, row/column requests in sheets_batch_dimensions.py. Every
request handler has the same shape: ``(content, request, where, state) -> reply``, where ``content`` is the
working copy, ``where`` names the request for error messages ("requests[2].addSheet") and ``state`` holds
the spreadsheet title (a Drive field) and the caller.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from tests.fakegoogle import a1, sheets_batch_cells, sheets_batch_dimensions
from tests.fakegoogle.sheets_cells import strip_colors
from tests.fakegoogle.sheets_grid import (
    DEFAULT_COLS,
    DEFAULT_ROWS,
    Request,
    bad,
    grid_box,
    named,
    new_sheet,
    rand_id,
    range_out,
    resource,
    sheet_by_id,
    sheet_by_title,
)
from tests.fakegoogle.sheets_masks import apply_mask
from tests.fakegoogle.store import Caller, FileRecord

Json = dict[str, Any]


def batch_update(rec: FileRecord, body: Any, caller: Caller) -> Json:
    """spreadsheets.batchUpdate: the requests apply in order to a copy, which replaces the content only if
    all succeed (Google's all-or-nothing); replies are per request."""
    body = body or {}
    requests = body.get("requests") or []
    if not requests:
        raise bad("Must specify at least one request.")
    work = copy.deepcopy(rec.content)
    state = {"title": rec.name, "caller": caller}
    replies = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1:
            raise bad(f"Invalid requests[{i}]: exactly one kind of request must be set.")
        kind, payload = next(iter(request.items()))
        handler = REQUESTS.get(kind)
        if handler is None:
            raise bad(f"Invalid requests[{i}].{kind}: this request kind is not modelled by the fake server.")
        replies.append(handler(work, payload or {}, f"requests[{i}].{kind}", state))
    rec.content = work
    rec.name = str(state["title"])
    out: Json = {"spreadsheetId": rec.id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        out["updatedSpreadsheet"] = resource(rec, body.get("responseRanges"), bool(body.get("responseIncludeGridData")))
    return out


def _reindex(content: Json) -> None:
    for i, sheet in enumerate(sorted(content["sheets"], key=lambda s: s["properties"]["index"])):
        sheet["properties"]["index"] = i


def _add_sheet(content: Json, rq: Json, where: str, state: Json) -> Json:
    props = dict(rq.get("properties") or {})
    count = len(content["sheets"])
    if not props.get("title"):
        n = count + 1
        while sheet_by_title(content, f"Sheet{n}"):
            n += 1
        props["title"] = f"Sheet{n}"
    if sheet_by_title(content, props["title"]):
        raise bad(
            f'Invalid {where}: A sheet with the name "{props["title"]}" already exists. Please enter another name.'
        )
    if props.get("sheetId") is not None and any(
        s["properties"]["sheetId"] == props["sheetId"] for s in content["sheets"]
    ):
        raise bad(f"Invalid {where}: Sheet with id {props['sheetId']} already exists.")
    index = props.get("index")
    if index is None or index > count:
        index = count
    for sheet in content["sheets"]:
        if sheet["properties"]["index"] >= index:
            sheet["properties"]["index"] += 1
    props["index"] = index
    sheet = new_sheet(content, props)
    content["sheets"].append(sheet)
    return {"addSheet": {"properties": copy.deepcopy(sheet["properties"])}}


def _delete_sheet(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet = sheet_by_id(content, rq.get("sheetId", 0), where)
    if len(content["sheets"]) == 1:
        raise bad(f"Invalid {where}: You can't remove all the sheets in a document.")
    content["sheets"].remove(sheet)
    sid = sheet["properties"]["sheetId"]
    content["namedRanges"] = [nr for nr in content["namedRanges"] if nr["range"].get("sheetId", 0) != sid]
    _reindex(content)
    return {}


def _update_sheet_properties(content: Json, rq: Json, where: str, state: Json) -> Json:
    props = rq.get("properties") or {}
    sheet = sheet_by_id(content, props.get("sheetId", 0), where)
    target = sheet["properties"]
    fields = rq.get("fields") or ""
    old_index = target["index"]
    old_title = target["title"]
    if props.get("tabColor") and "tabColorStyle" not in props:
        props = {**props, "tabColorStyle": {"rgbColor": props["tabColor"]}}
    clean = strip_colors(props)
    apply_mask(target, clean, fields, where)
    target["sheetId"] = sheet["properties"]["sheetId"]
    target.setdefault("title", old_title)
    target.setdefault("sheetType", "GRID")
    grid = target.setdefault("gridProperties", {})
    grid.setdefault("rowCount", DEFAULT_ROWS)
    grid.setdefault("columnCount", DEFAULT_COLS)
    for key in ("hidden", "hideGridlines"):
        if not target.get(key):
            target.pop(key, None)
        if not grid.get(key):
            grid.pop(key, None)
    for key in ("frozenRowCount", "frozenColumnCount"):
        if not grid.get(key):
            grid.pop(key, None)
    if target.get("tabColorStyle") in ({}, {"rgbColor": {}}) or (
        isinstance(target.get("tabColorStyle"), dict) and not any(target["tabColorStyle"].values())
    ):
        target.pop("tabColorStyle", None)
    if target["title"] != old_title and any(
        s is not sheet and s["properties"]["title"] == target["title"] for s in content["sheets"]
    ):
        raise bad(
            f'Invalid {where}: A sheet with the name "{target["title"]}" already exists. Please enter another name.'
        )
    if grid["rowCount"] < 1 or grid["columnCount"] < 1:
        raise bad(f"Invalid {where}: A sheet must have at least one row and one column.")
    sheet["cells"] = {
        k: v for k, v in sheet["cells"].items() if k[0] < grid["rowCount"] and k[1] < grid["columnCount"]
    }
    if "index" in target and target["index"] != old_index:
        new_index = min(target["index"], len(content["sheets"]) - 1)
        order = sorted((s for s in content["sheets"] if s is not sheet), key=lambda s: s["properties"]["index"])
        order.insert(new_index, sheet)
        for i, s in enumerate(order):
            s["properties"]["index"] = i
    target["index"] = target.get("index", old_index)
    _order_props(target)
    return {}


def _update_spreadsheet_properties(content: Json, rq: Json, where: str, state: Json) -> Json:
    props = rq.get("properties") or {}
    target = {"title": state["title"], **content["properties"]}
    apply_mask(target, props, rq.get("fields") or "", where)
    if not target.get("title"):
        raise bad(f"Invalid {where}: The spreadsheet title must not be empty.")
    state["title"] = target.pop("title")
    content["properties"] = target
    return {}


def add_named_range(content: Json, nr: Json, where: str) -> Json:
    """Add a named range (addNamedRange, or spreadsheets.create's namedRanges); Google's 400s."""
    name = nr.get("name") or ""
    if (
        not re.match(r"^[A-Za-z_\\][A-Za-z0-9_.]*$", name)
        or a1.looks_like_ref(name)
        or name.upper() in ("TRUE", "FALSE")
    ):
        raise bad(
            f'Invalid {where}: The name "{name}" is not valid. Named ranges must start with a letter '
            "or underscore, contain only letters, numbers, underscores and periods, and must not "
            "look like a cell reference."
        )
    if named(content, name):
        raise bad(f'Invalid {where}: A named range with the name "{name}" already exists.')
    rng = dict(nr.get("range") or {})
    grid_box(content, rng, where)
    nr_id = nr.get("namedRangeId") or str(rand_id(content))
    record = {"namedRangeId": nr_id, "name": name, "range": rng}
    content["namedRanges"].append(record)
    return record


def _add_named_range_request(content: Json, rq: Json, where: str, state: Json) -> Json:
    record = add_named_range(content, rq.get("namedRange") or {}, where)
    return {"addNamedRange": {"namedRange": {**record, "range": range_out(record["range"])}}}


def _named_by_id(content: Json, nr_id: str, where: str) -> Json:
    for nr in content["namedRanges"]:
        if nr["namedRangeId"] == nr_id:
            return nr  # type: ignore[no-any-return]
    raise bad(f"Invalid {where}: No named range with id {nr_id}")


def _update_named_range(content: Json, rq: Json, where: str, state: Json) -> Json:
    given = rq.get("namedRange") or {}
    nr = _named_by_id(content, given.get("namedRangeId", ""), where)
    updated = copy.deepcopy(nr)
    apply_mask(updated, given, rq.get("fields") or "", where)
    if updated.get("name", "").lower() != nr["name"].lower() and named(content, updated.get("name", "")):
        raise bad(f'Invalid {where}: A named range with the name "{updated["name"]}" already exists.')
    updated["namedRangeId"] = nr["namedRangeId"]
    updated.setdefault("range", {})
    grid_box(content, updated["range"], where)
    nr.clear()
    nr.update({"namedRangeId": updated["namedRangeId"], "name": updated["name"], "range": updated["range"]})
    return {}


def _delete_named_range(content: Json, rq: Json, where: str, state: Json) -> Json:
    nr = _named_by_id(content, rq.get("namedRangeId", ""), where)
    content["namedRanges"].remove(nr)
    return {}


def _add_chart(content: Json, rq: Json, where: str, state: Json) -> Json:
    chart = copy.deepcopy(rq.get("chart") or {})
    if not chart.get("spec"):
        raise bad(f"Invalid {where}: A chart requires a spec.")
    position = chart.get("position") or {}
    anchor = (position.get("overlayPosition") or {}).get("anchorCell") or {}
    if position.get("newSheet"):
        sheet = _add_sheet(content, {"properties": {"sheetType": "OBJECT"}}, where, state)
        owner = sheet_by_id(content, sheet["addSheet"]["properties"]["sheetId"], where)
        position = {"sheetId": owner["properties"]["sheetId"]}
    elif position.get("sheetId") is not None:
        owner = sheet_by_id(content, position["sheetId"], where)
    else:
        owner = sheet_by_id(content, anchor.get("sheetId", 0), where)
    chart["position"] = position or {"overlayPosition": {"anchorCell": {"sheetId": owner["properties"]["sheetId"]}}}
    chart.setdefault("chartId", rand_id(content))
    owner["charts"].append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}


def _set_basic_filter(content: Json, rq: Json, where: str, state: Json) -> Json:
    flt = copy.deepcopy(rq.get("filter") or {})
    sheet, box = grid_box(content, flt.get("range") or {}, where)
    flt["range"] = range_out(
        {
            "sheetId": sheet["properties"]["sheetId"],
            "startRowIndex": box[0],
            "endRowIndex": box[1],
            "startColumnIndex": box[2],
            "endColumnIndex": box[3],
        }
    )
    sheet["basicFilter"] = flt
    return {}


def _clear_basic_filter(content: Json, rq: Json, where: str, state: Json) -> Json:
    sheet = sheet_by_id(content, rq.get("sheetId", 0), where)
    sheet["basicFilter"] = None
    return {}


def _add_protected_range(content: Json, rq: Json, where: str, state: Json) -> Json:
    given = rq.get("protectedRange") or {}
    sheet, _ = grid_box(content, given.get("range") or {}, where)
    pr: Json = {
        "protectedRangeId": given.get("protectedRangeId") or rand_id(content),
        "range": range_out({**given.get("range", {})}),
    }
    if given.get("description"):
        pr["description"] = given["description"]
    if given.get("warningOnly"):
        pr["warningOnly"] = True
    pr["requestingUserCanEdit"] = True
    caller: Caller = state["caller"]
    editors = given.get("editors") or {}
    users = (
        sorted({caller.email, *(editors.get("users") or [])}) if not given.get("warningOnly") else [caller.email]
    )
    stored = {**pr, "editors": {"users": users}}
    if editors.get("groups"):
        stored["editors"]["groups"] = list(editors["groups"])
    sheet["protectedRanges"].append(stored)
    return {"addProtectedRange": {"protectedRange": {**pr, "editors": {}}}}


def _delete_protected_range(content: Json, rq: Json, where: str, state: Json) -> Json:
    pid = rq.get("protectedRangeId")
    for sheet in content["sheets"]:
        for pr in sheet["protectedRanges"]:
            if pr["protectedRangeId"] == pid:
                sheet["protectedRanges"].remove(pr)
                return {}
    raise bad(f"Invalid {where}: No protected range with id: {pid}")


def _order_props(props: Json) -> None:
    order = ["sheetId", "title", "index", "sheetType", "gridProperties", "hidden", "tabColorStyle"]
    items = dict(props)
    props.clear()
    for key in order:
        if key in items:
            props[key] = items.pop(key)
    props.update(items)


REQUESTS: dict[str, Request] = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "addNamedRange": _add_named_range_request,
    "updateNamedRange": _update_named_range,
    "deleteNamedRange": _delete_named_range,
    "addChart": _add_chart,
    "setBasicFilter": _set_basic_filter,
    "clearBasicFilter": _clear_basic_filter,
    "addProtectedRange": _add_protected_range,
    "deleteProtectedRange": _delete_protected_range,
    **sheets_batch_cells.REQUESTS,
    **sheets_batch_dimensions.REQUESTS,
}

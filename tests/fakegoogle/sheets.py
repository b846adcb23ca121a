"""The Sheets v4 engine of the fake Google server: spreadsheets, values and batchUpdate as Google documents.

Modelled (checked against gspread's recordings of the real API, see replay.py):
- spreadsheets.create / get (``includeGridData``, ``ranges``; the server applies ``fields``), default
  spreadsheet properties and theme as Google answers them, sheet properties, merges, basic filters, protected
  ranges, column/row groups, charts, named ranges; grid data (values, userEnteredFormat, notes, data
  validation, row/column metadata).
- values.get / batchGet / update / batchUpdate / append / clear / batchClear with A1 notation (a1.py), named
  ranges, ROWS/COLUMNS, trailing-empty trimming, Google's range normalisation and update counters, append's
  table detection (the data region around the range; on a whole sheet, the last region found).
- valueInputOption RAW (stored as given) vs USER_ENTERED (``=`` formulas, numbers, percentages, TRUE/FALSE,
  ISO and US dates as date serials, a leading ``'`` forces text); valueRenderOption FORMATTED_VALUE /
  UNFORMATTED_VALUE / FORMULA and dateTimeRenderOption SERIAL_NUMBER / FORMATTED_STRING.
- spreadsheets.batchUpdate, all-or-nothing in order, with per-request replies: addSheet, deleteSheet,
  updateSheetProperties, updateSpreadsheetProperties, add/update/deleteNamedRange, setDataValidation,
  repeatCell, updateCells, addChart, appendDimension, insertDimension, deleteDimension,
  updateDimensionProperties, autoResizeDimensions (a rough text width), merge/unmergeCells, sortRange,
  copyPaste, cutPaste, set/clearBasicFilter, add/deleteProtectedRange, add/deleteDimensionGroup.

Layout: sheets_grid.py (content, sheets, A1 resolution, grid data), sheets_cells.py (typed input, formulas,
rendering, CellData), sheets_values.py (values.*), sheets_batch.py with sheets_batch_cells.py and
sheets_batch_dimensions.py (batchUpdate requests), sheets_masks.py (field masks).

Access (with store.enforce_sharing): a caller without any role on the file gets 403 "The caller does not
have permission"; a reader or commenter gets the same 403 for every write (values writes, batchUpdate).

Not modelled: formulas are stored and evaluated only when they are plain arithmetic over numbers and single
cell references of the same sheet (anything else renders ``#NAME?``, its value unknown to the fake);
references are not rewritten when rows/columns move; number formats beyond General, dates and percentages;
effectiveFormat; conditional formats, filter views, developer metadata, pivot tables, data source sheets.

"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.fakegoogle import sheets_batch, sheets_values
from tests.fakegoogle.sheets_grid import Json, bad, default_properties, new_sheet, resource
from tests.fakegoogle.store import SPREADSHEET, ApiError, Caller, FileRecord, Store

# values.* handlers by method id, and whether they change the spreadsheet.
_VALUES: dict[str, tuple[Callable[[FileRecord, dict[str, Any], Any], Any], bool]] = {
    "sheets.spreadsheets.values.get": (sheets_values.get, False),
    "sheets.spreadsheets.values.batchGet": (sheets_values.batch_get, False),
    "sheets.spreadsheets.values.update": (sheets_values.update, True),
    "sheets.spreadsheets.values.batchUpdate": (sheets_values.batch_update, True),
    "sheets.spreadsheets.values.append": (sheets_values.append, True),
    "sheets.spreadsheets.values.clear": (sheets_values.clear, True),
    "sheets.spreadsheets.values.batchClear": (sheets_values.batch_clear, True),
}


class Sheets:
    """Sheets v4 methods over a Store; a spreadsheet's content is a plain dict (deep-copied by Drive copy)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def new_content(self, title: str) -> Any:
        """Content of a new empty spreadsheet: one "Sheet1" of 1000x26, sheetId 0."""
        content: Json = {"properties": default_properties(), "sheets": [], "namedRanges": [], "seq": 0}
        content["sheets"].append(new_sheet(content, {"title": "Sheet1", "sheetId": 0}))
        return content

    def handle(self, method: str, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        """Answer one Sheets method (discovery id) or raise ApiError."""
        with self.store.lock:
            if method == "sheets.spreadsheets.create":
                return self._create(body, caller)
            if method == "sheets.spreadsheets.get":
                return self._get(params, caller)
            if method == "sheets.spreadsheets.batchUpdate":
                rec = self._file(params, caller, write=True)
                out = sheets_batch.batch_update(rec, body, caller)
                self.store.touch(rec.id)
                return out
            if method in _VALUES:
                handler, writes = _VALUES[method]
                rec = self._file(params, caller, write=writes)
                out = handler(rec, params, body)
                if writes:
                    self.store.touch(rec.id)
                return out
        raise ApiError(
            501,
            f"Method not implemented by the fake: {method}",
            reason="notImplemented",
            status="UNIMPLEMENTED",
        )

    def _file(self, params: dict[str, Any], caller: Caller, *, write: bool = False) -> FileRecord:
        file_id = params.get("spreadsheetId", "")
        rec = self.store.files.get(file_id)
        if rec is None:
            raise ApiError(404, "Requested entity was not found.", reason="notFound")
        # Sheets, unlike Drive, says 403 both for a file not shared with the caller and for a read-only one.
        if not self.store.can_access(rec, caller) or (write and not self.store.can_write(rec, caller)):
            raise ApiError(403, "The caller does not have permission", reason="forbidden")
        if rec.mimeType != SPREADSHEET or not isinstance(rec.content, dict):
            raise bad("This operation is not supported for this document")
        return rec

    def _create(self, body: Any, caller: Caller) -> Any:
        body = body or {}
        title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
        content: Json = {"properties": default_properties(), "sheets": [], "namedRanges": [], "seq": 0}
        for key in ("locale", "timeZone", "autoRecalc"):
            if (body.get("properties") or {}).get(key):
                content["properties"][key] = body["properties"][key]
        for i, sheet in enumerate(body.get("sheets") or [{"properties": {"title": "Sheet1", "sheetId": 0}}]):
            props = dict(sheet.get("properties") or {})
            props.setdefault("title", f"Sheet{i + 1}")
            props.setdefault("index", i)
            if i == 0:
                props.setdefault("sheetId", 0)
            content["sheets"].append(new_sheet(content, props))
        file_id = self.store.new_id("s")
        stamp = self.store.now()
        self.store.files[file_id] = FileRecord(
            id=file_id,
            name=title,
            mimeType=SPREADSHEET,
            owner=caller.email,
            createdTime=stamp,
            modifiedTime=stamp,
            content=content,
        )
        for nr in body.get("namedRanges") or []:
            sheets_batch.add_named_range(content, nr, "namedRanges")
        return resource(self.store.files[file_id], None, False)

    def _get(self, params: dict[str, Any], caller: Caller) -> Any:
        rec = self._file(params, caller)
        ranges = params.get("ranges") or []
        if isinstance(ranges, str):
            ranges = [ranges]
        fields = str(params.get("fields") or "")
        # Google ignores includeGridData when a field mask names grid data.
        grid = bool(params.get("includeGridData")) or bool(re.search(r"(^|[,(./])data([,)(./]|$)", fields))
        return resource(rec, ranges, grid)

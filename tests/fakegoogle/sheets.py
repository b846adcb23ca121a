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

Not modelled: formulas are stored and evaluated only when they are plain arithmetic over numbers and single
cell references of the same sheet (anything else renders ``#NAME?``, its value unknown to the fake);
references are not rewritten when rows/columns move; number formats beyond General, dates and percentages;
effectiveFormat; conditional formats, filter views, developer metadata, pivot tables, data source sheets.

"""

from __future__ import annotations

import copy
import math
import random
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from tests.fakegoogle import a1
from tests.fakegoogle.store import SPREADSHEET, ApiError, Caller, FileRecord, Store

Cell = dict[str, Any]
Json = dict[str, Any]

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26
ROW_PIXELS = 21
COL_PIXELS = 100
EPOCH = date(1899, 12, 30)

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


def _bad(message: str) -> ApiError:
    return ApiError(400, message, reason="badRequest")


# ---------------------------------------------------------------- field masks


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
        raise _bad(f"Invalid {where}: At least one field must be updated, but none were specified.")
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


# ---------------------------------------------------------------- values


def _num_out(value: float) -> int | float:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def format_general(value: float) -> str:
    """A number under the General format: 1 -> "1", 1.5 -> "1.5", 1e20 -> "1E+20"."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return "#NUM!"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{float(value):.10g}" if abs(value) >= 1e-4 or value == 0 else f"{float(value):.5E}"
    if "e" in text or "E" in text:
        mant, exp = re.split(r"[eE]", text)
        mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
        sign = "-" if int(exp) < 0 else "+"
        return f"{mant}E{sign}{abs(int(exp)):02d}"
    return text


def _format_date(serial: float, pattern: str) -> str:
    day = EPOCH + timedelta(days=math.floor(serial))
    if pattern == "M/d/yyyy":
        return f"{day.month}/{day.day}/{day.year}"
    return day.isoformat()


def format_value(value: Any, number_format: Json | None) -> str:
    """The FORMATTED_VALUE of an effective value."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        kind = (number_format or {}).get("type")
        if kind in ("DATE", "DATE_TIME"):
            return _format_date(value, (number_format or {}).get("pattern", "yyyy-mm-dd"))
        if kind == "PERCENT":
            return format_general(round(value * 100, 10)) + "%"
        return format_general(value)
    return str(value)


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _serial(year: int, month: int, day: int) -> int | None:
    try:
        return (date(year, month, day) - EPOCH).days
    except ValueError:
        return None


def parse_user_entered(text: str) -> Cell:
    """How the Sheets UI parses typed text: formula, number, percent, boolean, date or string."""
    if text.startswith("="):
        return {"f": text}
    if text.startswith("'"):
        return {"v": text[1:]}
    stripped = text.strip()
    if _NUMBER.match(stripped.replace(",", "")) and (
        "," not in stripped or re.match(r"^[+-]?\d{1,3}(,\d{3})+", stripped)
    ):
        number = float(stripped.replace(",", ""))
        return {"v": number}
    if stripped.endswith("%") and _NUMBER.match(stripped[:-1]):
        return {"v": float(stripped[:-1]) / 100, "nf": {"type": "PERCENT", "pattern": "0%"}}
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"v": stripped.upper() == "TRUE"}
    for pattern, order, fmt in ((_ISO_DATE, (1, 2, 3), "yyyy-mm-dd"), (_US_DATE, (3, 1, 2), "M/d/yyyy")):
        m = pattern.match(stripped)
        if m:
            serial = _serial(int(m.group(order[0])), int(m.group(order[1])), int(m.group(order[2])))
            if serial is not None:
                return {"v": serial, "nf": {"type": "DATE", "pattern": fmt}}
    return {"v": text}


class _Formula:
    """Plain arithmetic over numbers and same-sheet cell references; anything else is unknown."""

    _TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)|(\$?[A-Za-z]{1,3}\$?\d+)|(.))")

    def __init__(self, text: str, lookup: Callable[[int, int], Any]) -> None:
        self.tokens: list[tuple[str, str]] = []
        for m in self._TOKEN.finditer(text):
            if m.group(1):
                self.tokens.append(("num", m.group(1)))
            elif m.group(2):
                self.tokens.append(("ref", m.group(2).replace("$", "")))
            elif m.group(3) and not m.group(3).isspace():
                self.tokens.append(("op", m.group(3)))
        self.pos = 0
        self.lookup = lookup

    def value(self) -> float:
        result = self._sum()
        if self.pos != len(self.tokens):
            raise ValueError("trailing")
        return result

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _sum(self) -> float:
        left = self._product()
        while (tok := self._peek()) and tok[1] in "+-" and tok[0] == "op":
            self.pos += 1
            right = self._product()
            left = left + right if tok[1] == "+" else left - right
        return left

    def _product(self) -> float:
        left = self._power()
        while (tok := self._peek()) and tok[1] in "*/" and tok[0] == "op":
            self.pos += 1
            right = self._power()
            if tok[1] == "/":
                if right == 0:
                    raise ZeroDivisionError
                left = left / right
            else:
                left = left * right
        return left

    def _power(self) -> float:
        base = self._unary()
        if (tok := self._peek()) and tok == ("op", "^"):
            self.pos += 1
            return float(base ** self._power())
        return base

    def _unary(self) -> float:
        tok = self._peek()
        if tok is None:
            raise ValueError("end")
        self.pos += 1
        if tok == ("op", "-"):
            return -self._unary()
        if tok == ("op", "+"):
            return self._unary()
        if tok == ("op", "("):
            inner = self._sum()
            if self._peek() != ("op", ")"):
                raise ValueError("paren")
            self.pos += 1
            return inner
        if tok[0] == "num":
            return float(tok[1])
        if tok[0] == "ref":
            ref = a1.parse_ref(tok[1])
            assert ref.start_row is not None and ref.start_col is not None
            value = self.lookup(ref.start_row, ref.start_col)
            if value in (None, ""):
                return 0.0
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError("not a number")
            return float(value)
        raise ValueError(tok[1])


# ---------------------------------------------------------------- the engine


class Sheets:
    """Sheets v4 methods over a Store; a spreadsheet's content is a plain dict (deep-copied by Drive copy)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- content ----------------------------------------------------------

    def new_content(self, title: str) -> Any:
        """Content of a new empty spreadsheet: one "Sheet1" of 1000x26, sheetId 0."""
        content: Json = {"properties": default_properties(), "sheets": [], "namedRanges": [], "seq": 0}
        content["sheets"].append(self._new_sheet(content, {"title": "Sheet1", "sheetId": 0}))
        return content

    @staticmethod
    def _rand_id(content: Json) -> int:
        content["seq"] += 1
        return random.Random(f"fake-sheets-{content['seq']}").randint(1, 2**31 - 1)

    def _new_sheet(self, content: Json, props: Json) -> Json:
        grid = dict(props.get("gridProperties") or {})
        grid.setdefault("rowCount", DEFAULT_ROWS)
        grid.setdefault("columnCount", DEFAULT_COLS)
        taken = {s["properties"]["sheetId"] for s in content["sheets"]}
        sheet_id = props.get("sheetId")
        if sheet_id is None:
            sheet_id = self._rand_id(content)
            while sheet_id in taken:
                sheet_id = self._rand_id(content)
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
            properties["tabColorStyle"] = {"rgbColor": _color(props["tabColor"])}
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

    # -- dispatch ---------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        """Answer one Sheets method (discovery id) or raise ApiError."""
        handlers: dict[str, Callable[[dict[str, Any], Any, Caller], Any]] = {
            "sheets.spreadsheets.create": self._create,
            "sheets.spreadsheets.get": self._get,
            "sheets.spreadsheets.batchUpdate": self._batch_update,
            "sheets.spreadsheets.values.get": self._values_get,
            "sheets.spreadsheets.values.batchGet": self._values_batch_get,
            "sheets.spreadsheets.values.update": self._values_update,
            "sheets.spreadsheets.values.batchUpdate": self._values_batch_update,
            "sheets.spreadsheets.values.append": self._values_append,
            "sheets.spreadsheets.values.clear": self._values_clear,
            "sheets.spreadsheets.values.batchClear": self._values_batch_clear,
        }
        handler = handlers.get(method)
        if handler is None:
            raise ApiError(
                501,
                f"Method not implemented by the fake: {method}",
                reason="notImplemented",
                status="UNIMPLEMENTED",
            )
        with self.store.lock:
            return handler(params, body, caller)

    def _file(self, params: dict[str, Any], caller: Caller) -> FileRecord:
        file_id = params.get("spreadsheetId", "")
        rec = self.store.files.get(file_id)
        if rec is None:
            raise ApiError(404, "Requested entity was not found.", reason="notFound")
        if not self.store.can_access(rec, caller):
            raise ApiError(403, "The caller does not have permission", reason="forbidden")
        if rec.mimeType != SPREADSHEET or not isinstance(rec.content, dict):
            raise _bad("This operation is not supported for this document")
        return rec

    # -- spreadsheets -----------------------------------------------------

    def _create(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
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
            content["sheets"].append(self._new_sheet(content, props))
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
            self._add_named_range(content, nr, "namedRanges")
        return self._resource(self.store.files[file_id], None, False)

    def _get(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        ranges = params.get("ranges") or []
        if isinstance(ranges, str):
            ranges = [ranges]
        fields = str(params.get("fields") or "")
        # Google ignores includeGridData when a field mask names grid data.
        grid = bool(params.get("includeGridData")) or bool(re.search(r"(^|[,(./])data([,)(./]|$)", fields))
        return self._resource(rec, ranges, grid)

    def _resource(self, rec: FileRecord, ranges: list[str] | None, grid: bool) -> Json:
        content = rec.content
        props = {"title": rec.name, **copy.deepcopy(content["properties"])}
        out: Json = {"spreadsheetId": rec.id, "properties": props}
        wanted: dict[int, list[tuple[int, int, int, int]]] = {}
        for text in ranges or []:
            sheet, box = self._resolve(content, text)
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
                entry["data"] = [self._grid_data(sheet, box) for box in boxes]
            if sheet["merges"]:
                entry["merges"] = [_range_out(m) for m in sheet["merges"]]
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
            out["namedRanges"] = [{**nr, "range": _range_out(nr["range"])} for nr in content["namedRanges"]]
        out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{rec.id}/edit"
        return out

    def _grid_data(self, sheet: Json, box: tuple[int, int, int, int]) -> Json:
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
                out = self._cell_data(sheet, r, c, cell) if cell else {}
                values.append(out)
                if out:
                    last = c - c0
            rows.append({"values": values[: last + 1]} if last >= 0 else {})
            if last >= 0:
                last_row = r - r0
        if last_row >= 0:
            data["rowData"] = rows[: last_row + 1]
        data["rowMetadata"] = [self._dim_meta(sheet["rowMeta"].get(r), ROW_PIXELS) for r in range(r0, r1)]
        data["columnMetadata"] = [self._dim_meta(sheet["colMeta"].get(c), COL_PIXELS) for c in range(c0, c1)]
        return data

    @staticmethod
    def _dim_meta(meta: Json | None, default: int) -> Json:
        out = {"pixelSize": default}
        out.update(meta or {})
        if not out.get("hiddenByUser"):
            out.pop("hiddenByUser", None)
        return out

    def _cell_data(self, sheet: Json, r: int, c: int, cell: Cell) -> Json:
        out: Json = {}
        if "f" in cell or "v" in cell:
            out["userEnteredValue"] = _extended(cell["f"]) if "f" in cell else _extended(cell["v"])
            value = self._effective(sheet, r, c, cell, set())
            out["effectiveValue"] = (
                _extended(value)
                if not isinstance(value, _Err)
                else {"errorValue": {"type": value.kind, "message": value.message}}
            )
            out["formattedValue"] = self._render(sheet, r, c, cell, "FORMATTED_VALUE", "SERIAL_NUMBER")
        fmt = copy.deepcopy(cell.get("fmt") or {})
        if cell.get("nf"):
            fmt["numberFormat"] = dict(cell["nf"])
        if fmt:
            out["userEnteredFormat"] = fmt
        if cell.get("note"):
            out["note"] = cell["note"]
        if cell.get("dv"):
            out["dataValidation"] = copy.deepcopy(cell["dv"])
        return out

    # -- cell values --------------------------------------------------------

    def _effective(self, sheet: Json, r: int, c: int, cell: Cell | None, seen: set[tuple[int, int]]) -> Any:
        if not cell:
            return None
        if "f" not in cell:
            return cell.get("v")
        if (r, c) in seen:
            return _Err("REF", "Circular dependency detected.", "#REF!")

        def lookup(rr: int, cc: int) -> Any:
            value = self._effective(sheet, rr, cc, sheet["cells"].get((rr, cc)), seen | {(r, c)})
            if isinstance(value, _Err):
                raise _Bubble(value)
            return value

        try:
            return _Formula(cell["f"][1:], lookup).value()
        except _Bubble as bubble:
            return bubble.err
        except ZeroDivisionError:
            return _Err("DIVIDE_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero.", "#DIV/0!")
        except TypeError:
            return _Err("VALUE", "A value is not a number.", "#VALUE!")
        except (ValueError, AssertionError, a1.A1Error):
            return _Err("NAME", "The fake server does not evaluate this formula.", "#NAME?")

    def _render(self, sheet: Json, r: int, c: int, cell: Cell | None, option: str, dt_option: str) -> Any:
        if not cell or ("v" not in cell and "f" not in cell):
            return ""
        if option == "FORMULA" and "f" in cell:
            return cell["f"]
        value = self._effective(sheet, r, c, cell, set())
        if isinstance(value, _Err):
            return value.shown
        if value is None:
            return ""
        nf = cell.get("nf")
        if option == "FORMATTED_VALUE":
            return format_value(value, nf)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if dt_option == "FORMATTED_STRING" and nf and nf.get("type") in ("DATE", "DATE_TIME", "TIME"):
                return format_value(value, nf)
            return _num_out(value)
        return value

    # -- range resolution ----------------------------------------------------

    def _sheet_by_title(self, content: Json, title: str) -> Json | None:
        for sheet in content["sheets"]:
            if sheet["properties"]["title"] == title:
                return sheet  # type: ignore[no-any-return]
        return None

    def _sheet_by_id(self, content: Json, sheet_id: int, where: str) -> Json:
        for sheet in content["sheets"]:
            if sheet["properties"]["sheetId"] == sheet_id:
                return sheet  # type: ignore[no-any-return]
        raise _bad(f"Invalid {where}: No grid with id: {sheet_id}")

    def _first_sheet(self, content: Json) -> Json:
        return sorted(content["sheets"], key=lambda s: s["properties"]["index"])[0]  # type: ignore[no-any-return]

    def _named(self, content: Json, name: str) -> Json | None:
        for nr in content["namedRanges"]:
            if nr["name"].lower() == name.lower():
                return nr  # type: ignore[no-any-return]
        return None

    def _resolve(self, content: Json, text: str, *, check_grid: bool = True) -> tuple[Json, tuple[int, int, int, int]]:
        """A1 text -> (sheet, bounded (r0, r1, c0, c1)); Google's 400 when it does not parse or fit."""
        try:
            name, ref = a1.split_sheet(text)
        except a1.A1Error:
            raise _bad(f"Unable to parse range: {text}") from None
        sheet: Json | None
        if name is None:
            assert ref is not None
            if a1.looks_like_ref(ref):
                sheet = self._first_sheet(content)
            else:
                sheet = self._sheet_by_title(content, ref)
                if sheet is not None:
                    ref = None
                else:
                    nr = self._named(content, ref)
                    if nr is None:
                        raise _bad(f"Unable to parse range: {text}")
                    return self._named_box(content, nr)
        else:
            sheet = self._sheet_by_title(content, name)
            if sheet is None:
                raise _bad(f"Unable to parse range: {text}")
        g = sheet["properties"]["gridProperties"]
        rows, cols = g["rowCount"], g["columnCount"]
        if ref is None:
            return sheet, (0, rows, 0, cols)
        try:
            parsed = a1.parse_ref(ref)
        except a1.A1Error:
            nr = self._named(content, ref)
            if nr is not None and nr["range"].get("sheetId", 0) == sheet["properties"]["sheetId"]:
                return self._named_box(content, nr)
            raise _bad(f"Unable to parse range: {text}") from None
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
            raise _bad(f"Range ({shown}) exceeds grid limits. Max rows: {rows}, max columns: {cols}")
        return sheet, (r0, r1, c0, c1)

    def _named_box(self, content: Json, nr: Json) -> tuple[Json, tuple[int, int, int, int]]:
        rng = nr["range"]
        sheet = self._sheet_by_id(content, rng.get("sheetId", 0), "range")
        return sheet, _bounds(rng, sheet)

    # -- values methods ---------------------------------------------------------

    def _value_range(self, sheet: Json, box: tuple[int, int, int, int], params: dict[str, Any]) -> Json:
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
                line.append(self._render(sheet, r, c, cells.get((r, c)), option, dt_option))
            while line and line[-1] == "":
                line.pop()
            values.append(line)
        while values and not values[-1]:
            values.pop()
        if values:
            out["values"] = values
        return out

    def _values_get(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        sheet, box = self._resolve(rec.content, params["range"])
        return self._value_range(sheet, box, params)

    def _values_batch_get(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        ranges = params.get("ranges") or []
        if isinstance(ranges, str):
            ranges = [ranges]
        out = [self._value_range(*self._resolve(rec.content, text), params) for text in ranges]
        return {"spreadsheetId": rec.id, "valueRanges": out}

    def _write(
        self,
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
            bad = values if not isinstance(values, list) else next(v for v in values if not isinstance(v, list))
            raise _bad(f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.ListValue), {_json_repr(bad)}")
        grid = sheet["properties"]["gridProperties"]
        height = len(values)
        width = max((len(v) for v in values), default=0)
        rows, cols = (height, width) if major == "ROWS" else (width, height)
        if limit is not None:
            lim_r, lim_c = limit
            if rows > lim_r:
                raise _bad(f"Requested writing within range [{range_text}], but tried writing to row [{r0 + rows}]")
            if cols > lim_c:
                raise _bad(
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
            raise _bad(
                f"Range ({shown}) exceeds grid limits. Max rows: {grid['rowCount']}, max columns: {grid['columnCount']}"
            )
        touched_rows: set[int] = set()
        touched_cols: set[int] = set()
        count = 0
        for i, line in enumerate(values):
            for j, raw in enumerate(line):
                r, c = (r0 + i, c0 + j) if major == "ROWS" else (r0 + j, c0 + i)
                if raw is None:
                    continue
                if isinstance(raw, dict | list):
                    raise _bad(f"Invalid values[{i}][{j}]: {_struct_kind(raw)}")
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
        self,
        rec: FileRecord,
        range_text: str,
        data: Json,
        input_option: str,
        field: str,
        params: dict[str, Any],
    ) -> Json:
        if input_option not in ("RAW", "USER_ENTERED"):
            raise _bad("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
        content = rec.content
        sheet, (r0, r1, c0, c1) = self._resolve(content, range_text, check_grid=False)
        single = self._is_single_cell(content, range_text)
        major = data.get("majorDimension") or "ROWS"
        limit = None if single else (r1 - r0, c1 - c0)
        rows, cols, counts = self._write(
            sheet, r0, c0, data.get("values") or [], major, input_option, limit, field, range_text
        )
        out: Json = {"spreadsheetId": rec.id}
        if rows and cols:
            out["updatedRange"] = a1.format_range(sheet["properties"]["title"], r0, r0 + rows, c0, c0 + cols)
        else:
            out["updatedRange"] = a1.format_range(sheet["properties"]["title"], r0, r0 + 1, c0, c0 + 1)
        out.update({k: v for k, v in counts.items() if v})
        if params.get("includeValuesInResponse"):
            out["updatedData"] = self._value_range(
                sheet,
                (r0, r0 + max(rows, 1), c0, c0 + max(cols, 1)),
                {
                    "valueRenderOption": params.get("responseValueRenderOption"),
                    "dateTimeRenderOption": params.get("responseDateTimeRenderOption"),
                    "majorDimension": major,
                },
            )
        return out

    def _is_single_cell(self, content: Json, text: str) -> bool:
        try:
            _, ref = a1.split_sheet(text)
        except a1.A1Error:
            return False
        return ref is not None and ":" not in ref and a1.looks_like_ref(ref)

    def _values_update(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        body = body or {}
        if body.get("range") and body["range"] != params["range"]:
            raise _bad(f"Requested range [{body['range']}] must match the range [{params['range']}] in the URL.")
        out = self._update_one(rec, params["range"], body, params.get("valueInputOption") or "", "data.values", params)
        self.store.touch(rec.id)
        return out

    def _values_batch_update(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        body = body or {}
        backup = copy.deepcopy(rec.content)
        responses = []
        try:
            for i, data in enumerate(body.get("data") or []):
                responses.append(
                    self._update_one(
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
        self.store.touch(rec.id)
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

    def _values_append(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        body = body or {}
        input_option = params.get("valueInputOption") or ""
        if input_option not in ("RAW", "USER_ENTERED"):
            raise _bad("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
        sheet, box = self._resolve(rec.content, params["range"])
        table = self._find_table(sheet, box)
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
                self._insert(sheet, "ROWS", r0, r0 + rows, rec.content)
            if r0 + rows > grid["rowCount"]:
                grid["rowCount"] = r0 + rows
            if c0 + cols > grid["columnCount"]:
                grid["columnCount"] = c0 + cols
        rows, cols, counts = self._write(
            sheet, r0, c0, values, major, input_option, None, "data.values", params["range"]
        )
        updates: Json = {
            "spreadsheetId": rec.id,
            "updatedRange": a1.format_range(title, r0, r0 + max(rows, 1), c0, c0 + max(cols, 1)),
        }
        updates.update({k: v for k, v in counts.items() if v})
        if params.get("includeValuesInResponse"):
            updates["updatedData"] = self._value_range(
                sheet,
                (r0, r0 + max(rows, 1), c0, c0 + max(cols, 1)),
                {
                    "valueRenderOption": params.get("responseValueRenderOption"),
                    "dateTimeRenderOption": params.get("responseDateTimeRenderOption"),
                    "majorDimension": major,
                },
            )
        out["updates"] = updates
        self.store.touch(rec.id)
        return out

    @staticmethod
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

    def _clear_box(self, sheet: Json, box: tuple[int, int, int, int]) -> None:
        r0, r1, c0, c1 = box
        for key in [k for k in sheet["cells"] if r0 <= k[0] < r1 and c0 <= k[1] < c1]:
            cell = sheet["cells"][key]
            cell.pop("v", None)
            cell.pop("f", None)
            if not cell:
                del sheet["cells"][key]

    def _values_clear(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        sheet, box = self._resolve(rec.content, params["range"])
        self._clear_box(sheet, box)
        self.store.touch(rec.id)
        return {"spreadsheetId": rec.id, "clearedRange": a1.format_range(sheet["properties"]["title"], *box)}

    def _values_batch_clear(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        resolved = [self._resolve(rec.content, text) for text in (body or {}).get("ranges") or []]
        for sheet, box in resolved:
            self._clear_box(sheet, box)
        self.store.touch(rec.id)
        return {
            "spreadsheetId": rec.id,
            "clearedRanges": [a1.format_range(s["properties"]["title"], *b) for s, b in resolved],
        }

    # -- batchUpdate ----------------------------------------------------------------

    def _batch_update(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        body = body or {}
        requests = body.get("requests") or []
        if not requests:
            raise _bad("Must specify at least one request.")
        work = copy.deepcopy(rec.content)
        state = {"title": rec.name, "caller": caller}
        replies = []
        for i, request in enumerate(requests):
            if not isinstance(request, dict) or len(request) != 1:
                raise _bad(f"Invalid requests[{i}]: exactly one kind of request must be set.")
            kind, payload = next(iter(request.items()))
            handler = getattr(self, "_rq_" + kind, None)
            if handler is None:
                raise _bad(f"Invalid requests[{i}].{kind}: this request kind is not modelled by the fake server.")
            replies.append(handler(work, payload or {}, f"requests[{i}].{kind}", state))
        rec.content = work
        rec.name = str(state["title"])
        self.store.touch(rec.id)
        out: Json = {"spreadsheetId": rec.id, "replies": replies}
        if body.get("includeSpreadsheetInResponse"):
            out["updatedSpreadsheet"] = self._resource(
                rec, body.get("responseRanges"), bool(body.get("responseIncludeGridData"))
            )
        return out

    def _grid(self, content: Json, rng: Json, where: str) -> tuple[Json, tuple[int, int, int, int]]:
        sheet = self._sheet_by_id(content, rng.get("sheetId", 0), where)
        box = _bounds(rng, sheet)
        g = sheet["properties"]["gridProperties"]
        if box[1] > g["rowCount"] or box[3] > g["columnCount"] or box[0] > box[1] or box[2] > box[3]:
            raise _bad(
                f"Invalid {where}: Range ({a1.quote_sheet(sheet['properties']['title'])}!"
                f"{a1.format_cells(box[0], max(box[1], box[0] + 1), box[2], max(box[3], box[2] + 1))})"
                f" exceeds grid limits. Max rows: {g['rowCount']}, max columns: {g['columnCount']}"
            )
        return sheet, box

    def _reindex(self, content: Json) -> None:
        for i, sheet in enumerate(sorted(content["sheets"], key=lambda s: s["properties"]["index"])):
            sheet["properties"]["index"] = i

    def _rq_addSheet(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        props = dict(rq.get("properties") or {})
        count = len(content["sheets"])
        if not props.get("title"):
            n = count + 1
            while self._sheet_by_title(content, f"Sheet{n}"):
                n += 1
            props["title"] = f"Sheet{n}"
        if self._sheet_by_title(content, props["title"]):
            raise _bad(
                f'Invalid {where}: A sheet with the name "{props["title"]}" already exists. Please enter another name.'
            )
        if props.get("sheetId") is not None and any(
            s["properties"]["sheetId"] == props["sheetId"] for s in content["sheets"]
        ):
            raise _bad(f"Invalid {where}: Sheet with id {props['sheetId']} already exists.")
        index = props.get("index")
        if index is None or index > count:
            index = count
        for sheet in content["sheets"]:
            if sheet["properties"]["index"] >= index:
                sheet["properties"]["index"] += 1
        props["index"] = index
        sheet = self._new_sheet(content, props)
        content["sheets"].append(sheet)
        return {"addSheet": {"properties": copy.deepcopy(sheet["properties"])}}

    def _rq_deleteSheet(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet = self._sheet_by_id(content, rq.get("sheetId", 0), where)
        if len(content["sheets"]) == 1:
            raise _bad(f"Invalid {where}: You can't remove all the sheets in a document.")
        content["sheets"].remove(sheet)
        sid = sheet["properties"]["sheetId"]
        content["namedRanges"] = [nr for nr in content["namedRanges"] if nr["range"].get("sheetId", 0) != sid]
        self._reindex(content)
        return {}

    def _rq_updateSheetProperties(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        props = rq.get("properties") or {}
        sheet = self._sheet_by_id(content, props.get("sheetId", 0), where)
        target = sheet["properties"]
        fields = rq.get("fields") or ""
        old_index = target["index"]
        old_title = target["title"]
        if props.get("tabColor") and "tabColorStyle" not in props:
            props = {**props, "tabColorStyle": {"rgbColor": props["tabColor"]}}
        clean = _strip_colors(props)
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
            raise _bad(
                f'Invalid {where}: A sheet with the name "{target["title"]}" already exists. Please enter another name.'
            )
        if grid["rowCount"] < 1 or grid["columnCount"] < 1:
            raise _bad(f"Invalid {where}: A sheet must have at least one row and one column.")
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

    def _rq_updateSpreadsheetProperties(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        props = rq.get("properties") or {}
        target = {"title": state["title"], **content["properties"]}
        apply_mask(target, props, rq.get("fields") or "", where)
        if not target.get("title"):
            raise _bad(f"Invalid {where}: The spreadsheet title must not be empty.")
        state["title"] = target.pop("title")
        content["properties"] = target
        return {}

    def _add_named_range(self, content: Json, nr: Json, where: str) -> Json:
        name = nr.get("name") or ""
        if (
            not re.match(r"^[A-Za-z_\\][A-Za-z0-9_.]*$", name)
            or a1.looks_like_ref(name)
            or name.upper() in ("TRUE", "FALSE")
        ):
            raise _bad(
                f'Invalid {where}: The name "{name}" is not valid. Named ranges must start with a letter '
                "or underscore, contain only letters, numbers, underscores and periods, and must not "
                "look like a cell reference."
            )
        if self._named(content, name):
            raise _bad(f'Invalid {where}: A named range with the name "{name}" already exists.')
        rng = dict(nr.get("range") or {})
        self._grid(content, rng, where)
        nr_id = nr.get("namedRangeId") or str(self._rand_id(content))
        record = {"namedRangeId": nr_id, "name": name, "range": rng}
        content["namedRanges"].append(record)
        return record

    def _rq_addNamedRange(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        record = self._add_named_range(content, rq.get("namedRange") or {}, where)
        return {"addNamedRange": {"namedRange": {**record, "range": _range_out(record["range"])}}}

    def _named_by_id(self, content: Json, nr_id: str, where: str) -> Json:
        for nr in content["namedRanges"]:
            if nr["namedRangeId"] == nr_id:
                return nr  # type: ignore[no-any-return]
        raise _bad(f"Invalid {where}: No named range with id {nr_id}")

    def _rq_updateNamedRange(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        given = rq.get("namedRange") or {}
        nr = self._named_by_id(content, given.get("namedRangeId", ""), where)
        updated = copy.deepcopy(nr)
        apply_mask(updated, given, rq.get("fields") or "", where)
        if updated.get("name", "").lower() != nr["name"].lower() and self._named(content, updated.get("name", "")):
            raise _bad(f'Invalid {where}: A named range with the name "{updated["name"]}" already exists.')
        updated["namedRangeId"] = nr["namedRangeId"]
        updated.setdefault("range", {})
        self._grid(content, updated["range"], where)
        nr.clear()
        nr.update({"namedRangeId": updated["namedRangeId"], "name": updated["name"], "range": updated["range"]})
        return {}

    def _rq_deleteNamedRange(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        nr = self._named_by_id(content, rq.get("namedRangeId", ""), where)
        content["namedRanges"].remove(nr)
        return {}

    def _cells_in(self, sheet: Json, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
        r0, r1, c0, c1 = box
        return [(r, c) for r in range(r0, r1) for c in range(c0, c1)]

    def _rq_setDataValidation(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, box = self._grid(content, rq.get("range") or {}, where)
        rule = rq.get("rule")
        if rule is not None and not (rule.get("condition") or {}).get("type"):
            raise _bad(f"Invalid {where}: A data validation rule requires a condition type.")
        for key in self._cells_in(sheet, box):
            cell = sheet["cells"].setdefault(key, {})
            if rule:
                cell["dv"] = {k: copy.deepcopy(v) for k, v in rule.items() if v not in (None, False)}
            else:
                cell.pop("dv", None)
                if not cell:
                    del sheet["cells"][key]
        return {}

    def _set_cell(self, sheet: Json, key: tuple[int, int], data: Json, fields: str, where: str) -> None:
        cell = sheet["cells"].setdefault(key, {})
        current = self._cell_as_data(cell)
        apply_mask(current, data, fields, where)
        sheet["cells"][key] = self._cell_from_data(current, where)
        if not sheet["cells"][key]:
            del sheet["cells"][key]

    @staticmethod
    def _cell_as_data(cell: Cell) -> Json:
        out: Json = {}
        if "f" in cell or "v" in cell:
            out["userEnteredValue"] = _extended(cell["f"]) if "f" in cell else _extended(cell["v"])
        fmt = copy.deepcopy(cell.get("fmt") or {})
        if cell.get("nf"):
            fmt["numberFormat"] = dict(cell["nf"])
        if fmt:
            out["userEnteredFormat"] = fmt
        if cell.get("note"):
            out["note"] = cell["note"]
        if cell.get("dv"):
            out["dataValidation"] = copy.deepcopy(cell["dv"])
        return out

    @staticmethod
    def _cell_from_data(data: Json, where: str) -> Cell:
        cell: Cell = {}
        uev = data.get("userEnteredValue") or {}
        if "formulaValue" in uev:
            cell["f"] = uev["formulaValue"]
        elif "stringValue" in uev:
            if uev["stringValue"] != "":
                cell["v"] = uev["stringValue"]
        elif "numberValue" in uev:
            cell["v"] = float(uev["numberValue"])
        elif "boolValue" in uev:
            cell["v"] = bool(uev["boolValue"])
        fmt = copy.deepcopy(data.get("userEnteredFormat") or {})
        if fmt.get("numberFormat"):
            cell["nf"] = fmt.pop("numberFormat")
        fmt.pop("numberFormat", None)
        fmt = _format_styles(fmt)
        if fmt:
            cell["fmt"] = fmt
        if data.get("note"):
            cell["note"] = data["note"]
        if data.get("dataValidation"):
            cell["dv"] = copy.deepcopy(data["dataValidation"])
        return cell

    def _rq_repeatCell(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, box = self._grid(content, rq.get("range") or {}, where)
        fields = rq.get("fields") or ""
        if not fields:
            raise _bad(f"Invalid {where}: At least one field must be updated, but none were specified.")
        for key in self._cells_in(sheet, box):
            self._set_cell(sheet, key, rq.get("cell") or {}, fields, where)
        return {}

    def _rq_updateCells(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        fields = rq.get("fields") or ""
        if not fields:
            raise _bad(f"Invalid {where}: At least one field must be updated, but none were specified.")
        rows = rq.get("rows") or []
        if "range" in rq:
            sheet, box = self._grid(content, rq["range"], where)
        else:
            start = rq.get("start") or {}
            sheet = self._sheet_by_id(content, start.get("sheetId", 0), where)
            r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
            box = (r0, r0 + len(rows), c0, c0 + max((len(r.get("values") or []) for r in rows), default=0))
            g = sheet["properties"]["gridProperties"]
            if box[1] > g["rowCount"] or box[3] > g["columnCount"]:
                raise _bad(
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
                self._set_cell(sheet, (r, c), data, fields, where)
        return {}

    def _rq_addChart(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        chart = copy.deepcopy(rq.get("chart") or {})
        if not chart.get("spec"):
            raise _bad(f"Invalid {where}: A chart requires a spec.")
        position = chart.get("position") or {}
        anchor = (position.get("overlayPosition") or {}).get("anchorCell") or {}
        if position.get("newSheet"):
            sheet = self._rq_addSheet(content, {"properties": {"sheetType": "OBJECT"}}, where, state)
            owner = self._sheet_by_id(content, sheet["addSheet"]["properties"]["sheetId"], where)
            position = {"sheetId": owner["properties"]["sheetId"]}
        elif position.get("sheetId") is not None:
            owner = self._sheet_by_id(content, position["sheetId"], where)
        else:
            owner = self._sheet_by_id(content, anchor.get("sheetId", 0), where)
        chart["position"] = position or {"overlayPosition": {"anchorCell": {"sheetId": owner["properties"]["sheetId"]}}}
        chart.setdefault("chartId", self._rand_id(content))
        owner["charts"].append(chart)
        return {"addChart": {"chart": copy.deepcopy(chart)}}

    # dimensions

    def _dimension(self, content: Json, rng: Json, where: str) -> tuple[Json, str, int, int]:
        sheet = self._sheet_by_id(content, rng.get("sheetId", 0), where)
        dim = rng.get("dimension")
        if dim not in ("ROWS", "COLUMNS"):
            raise _bad(f"Invalid {where}: dimension must be ROWS or COLUMNS.")
        g = sheet["properties"]["gridProperties"]
        size = g["rowCount"] if dim == "ROWS" else g["columnCount"]
        start = rng.get("startIndex", 0)
        end = rng.get("endIndex", size)
        if start < 0 or end < start:
            raise _bad(f"Invalid {where}: startIndex must be less than or equal to endIndex.")
        return sheet, dim, start, end

    def _insert(self, sheet: Json, dim: str, start: int, end: int, content: Json) -> None:
        n = end - start
        g = sheet["properties"]["gridProperties"]
        axis = 0 if dim == "ROWS" else 1
        g["rowCount" if axis == 0 else "columnCount"] += n
        sheet["cells"] = {_shift(k, axis, start, n): v for k, v in sheet["cells"].items()}
        meta = sheet["rowMeta" if axis == 0 else "colMeta"]
        sheet["rowMeta" if axis == 0 else "colMeta"] = {(i + n if i >= start else i): v for i, v in meta.items()}
        self._shift_ranges(content, sheet, axis, start, n)

    def _shift_ranges(self, content: Json, sheet: Json, axis: int, start: int, n: int) -> None:
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

    def _rq_insertDimension(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, dim, start, end = self._dimension(content, rq.get("range") or {}, where)
        g = sheet["properties"]["gridProperties"]
        size = g["rowCount"] if dim == "ROWS" else g["columnCount"]
        if start > size:
            raise _bad(f"Invalid {where}: range.startIndex must be less than or equal to the grid size {size}")
        if start == 0 and rq.get("inheritFromBefore"):
            raise _bad(f"Invalid {where}: Cannot inherit from before when inserting at index 0.")
        self._insert(sheet, dim, start, end, content)
        return {}

    def _rq_appendDimension(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet = self._sheet_by_id(content, rq.get("sheetId", 0), where)
        key = "rowCount" if rq.get("dimension") == "ROWS" else "columnCount"
        if rq.get("dimension") not in ("ROWS", "COLUMNS") or (rq.get("length") or 0) < 1:
            raise _bad(f"Invalid {where}: length must be positive and dimension ROWS or COLUMNS.")
        sheet["properties"]["gridProperties"][key] += rq["length"]
        return {}

    def _rq_deleteDimension(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, dim, start, end = self._dimension(content, rq.get("range") or {}, where)
        g = sheet["properties"]["gridProperties"]
        key = "rowCount" if dim == "ROWS" else "columnCount"
        if end > g[key]:
            raise _bad(f"Invalid {where}: range.endIndex must be less than or equal to the grid size {g[key]}")
        if end - start >= g[key]:
            raise _bad(
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
            cells[_shift(k, axis, end, -n)] = v
        sheet["cells"] = cells
        meta_key = "rowMeta" if axis == 0 else "colMeta"
        sheet[meta_key] = {(i - n if i >= end else i): v for i, v in sheet[meta_key].items() if not start <= i < end}
        g[key] -= n
        self._shift_ranges(content, sheet, axis, start, -n)
        return {}

    def _rq_updateDimensionProperties(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, dim, start, end = self._dimension(content, rq.get("range") or {}, where)
        meta = sheet["rowMeta" if dim == "ROWS" else "colMeta"]
        for i in range(start, end):
            current = meta.setdefault(i, {})
            apply_mask(current, rq.get("properties") or {}, rq.get("fields") or "", where)
            if not current:
                del meta[i]
        return {}

    def _rq_autoResizeDimensions(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, dim, start, end = self._dimension(content, rq.get("dimensions") or {}, where)
        meta = sheet["rowMeta" if dim == "ROWS" else "colMeta"]
        for i in range(start, end):
            if dim == "COLUMNS":
                texts = [
                    self._render(sheet, k[0], k[1], v, "FORMATTED_VALUE", "SERIAL_NUMBER")
                    for k, v in sheet["cells"].items()
                    if k[1] == i
                ]
                width = max((_text_pixels(str(t)) for t in texts if t != ""), default=COL_PIXELS)
                meta.setdefault(i, {})["pixelSize"] = width
            else:
                meta.setdefault(i, {})["pixelSize"] = ROW_PIXELS
        return {}

    def _dimension_groups(self, sheet: Json, dim: str) -> list[Json]:
        return sheet["rowGroups" if dim == "ROWS" else "columnGroups"]  # type: ignore[no-any-return]

    def _rq_addDimensionGroup(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, dim, start, end = self._dimension(content, rq.get("range") or {}, where)
        groups = self._dimension_groups(sheet, dim)
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

    def _rq_deleteDimensionGroup(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, dim, start, end = self._dimension(content, rq.get("range") or {}, where)
        groups = self._dimension_groups(sheet, dim)
        matching = [g for g in groups if g["range"]["startIndex"] == start and g["range"]["endIndex"] == end]
        if not matching:
            raise _bad(f"Invalid {where}: No dimension group exists for the range.")
        deepest = max(matching, key=lambda g: g["depth"])
        groups.remove(deepest)
        reply: Json = {}
        if groups:
            reply["dimensionGroups"] = copy.deepcopy(groups)
        return {"deleteDimensionGroup": reply}

    # merges, sorting, copying

    def _rq_mergeCells(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, (r0, r1, c0, c1) = self._grid(content, rq.get("range") or {}, where)
        kind = rq.get("mergeType") or "MERGE_ALL"
        if kind == "MERGE_ALL":
            pieces = [(r0, r1, c0, c1)]
        elif kind == "MERGE_COLUMNS":
            pieces = [(r0, r1, c, c + 1) for c in range(c0, c1)]
        elif kind == "MERGE_ROWS":
            pieces = [(r, r + 1, c0, c1) for r in range(r0, r1)]
        else:
            raise _bad(f"Invalid {where}: unknown mergeType {kind}")
        # A new merge replaces the merges it overlaps, as the Sheets UI does.
        sheet["merges"] = [m for m in sheet["merges"] if not _overlaps(_bounds(m, sheet), (r0, r1, c0, c1))]
        sid = sheet["properties"]["sheetId"]
        for p in pieces:
            if (p[1] - p[0]) * (p[3] - p[2]) < 2:
                continue
            for key in self._cells_in(sheet, p)[1:]:
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

    def _rq_unmergeCells(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, box = self._grid(content, rq.get("range") or {}, where)
        sheet["merges"] = [m for m in sheet["merges"] if not _overlaps(_bounds(m, sheet), box)]
        return {}

    def _rq_sortRange(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, (r0, r1, c0, c1) = self._grid(content, rq.get("range") or {}, where)
        specs = rq.get("sortSpecs") or []
        rows = [{c: sheet["cells"].get((r, c)) for c in range(c0, c1)} for r in range(r0, r1)]
        rendered = [{c: self._effective(sheet, r0 + i, c, row[c], set()) for c in row} for i, row in enumerate(rows)]
        order = list(range(len(rows)))
        for spec in reversed(specs):
            col = spec.get("dimensionIndex", 0)
            desc = spec.get("sortOrder") == "DESCENDING"
            filled = [i for i in order if rendered[i].get(col) not in (None, "")]
            empty = [i for i in order if rendered[i].get(col) in (None, "")]

            def by_value(i: int, col: int = col) -> tuple[int, Any]:
                return _sort_key(rendered[i].get(col))

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
        self,
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

    def _rq_copyPaste(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, src = self._grid(content, rq.get("source") or {}, where)
        dest_sheet, dest = self._grid(content, rq.get("destination") or {}, where)
        h, w = src[1] - src[0], src[3] - src[2]
        paste = rq.get("pasteType") or "PASTE_NORMAL"
        # The source tiles over the destination when the destination is a multiple of it.
        for dr in range(dest[0], max(dest[1], dest[0] + 1), h or 1):
            for dc in range(dest[2], max(dest[3], dest[2] + 1), w or 1):
                self._paste(sheet, src, dest_sheet, dr, dc, paste, cut=False)
        return {}

    def _rq_cutPaste(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet, src = self._grid(content, rq.get("source") or {}, where)
        dest = rq.get("destination") or {}
        dest_sheet = self._sheet_by_id(content, dest.get("sheetId", 0), where)
        self._paste(
            sheet,
            src,
            dest_sheet,
            dest.get("rowIndex", 0),
            dest.get("columnIndex", 0),
            rq.get("pasteType") or "PASTE_NORMAL",
            cut=True,
        )
        return {}

    # filters and protection

    def _rq_setBasicFilter(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        flt = copy.deepcopy(rq.get("filter") or {})
        sheet, box = self._grid(content, flt.get("range") or {}, where)
        flt["range"] = _range_out(
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

    def _rq_clearBasicFilter(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        sheet = self._sheet_by_id(content, rq.get("sheetId", 0), where)
        sheet["basicFilter"] = None
        return {}

    def _rq_addProtectedRange(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        given = rq.get("protectedRange") or {}
        sheet, _ = self._grid(content, given.get("range") or {}, where)
        pr: Json = {
            "protectedRangeId": given.get("protectedRangeId") or self._rand_id(content),
            "range": _range_out({**given.get("range", {})}),
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

    def _rq_deleteProtectedRange(self, content: Json, rq: Json, where: str, state: Json) -> Json:
        pid = rq.get("protectedRangeId")
        for sheet in content["sheets"]:
            for pr in sheet["protectedRanges"]:
                if pr["protectedRangeId"] == pid:
                    sheet["protectedRanges"].remove(pr)
                    return {}
        raise _bad(f"Invalid {where}: No protected range with id: {pid}")


# ---------------------------------------------------------------- helpers


class _Err:
    def __init__(self, kind: str, message: str, shown: str) -> None:
        self.kind, self.message, self.shown = kind, message, shown


class _Bubble(Exception):
    def __init__(self, err: _Err) -> None:
        super().__init__(err.message)
        self.err = err


def _extended(value: Any) -> Json:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": _num_out(value)}
    if isinstance(value, str) and value.startswith("="):
        return {"formulaValue": value}
    return {"stringValue": value}


def _bounds(rng: Json, sheet: Json) -> tuple[int, int, int, int]:
    g = sheet["properties"]["gridProperties"]
    return (
        rng.get("startRowIndex", 0),
        rng.get("endRowIndex", g["rowCount"]),
        rng.get("startColumnIndex", 0),
        rng.get("endColumnIndex", g["columnCount"]),
    )


def _range_out(rng: Json) -> Json:
    """A GridRange as Google prints it: sheetId 0 is a proto default and is omitted."""
    out = {k: v for k, v in rng.items() if not (k == "sheetId" and not v)}
    order = ["sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"]
    return {k: out[k] for k in order if k in out} | {k: v for k, v in out.items() if k not in order}


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _shift(key: tuple[int, int], axis: int, start: int, n: int) -> tuple[int, int]:
    if key[axis] < start:
        return key
    return (key[0] + n, key[1]) if axis == 0 else (key[0], key[1] + n)


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


def _sort_key(value: Any) -> tuple[int, Any]:
    # Google sorts numbers before text, text case-insensitively, booleans last.
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).lower())


def _color(color: Json) -> Json:
    return {k: v for k, v in color.items() if v}


def _strip_colors(value: Any) -> Any:
    """Google drops zero colour channels (proto defaults) and unset colours."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("rgbColor", "color", "backgroundColor", "foregroundColor", "tabColor") and isinstance(v, dict):
                out[k] = _color(v)
            elif v is not None:
                out[k] = _strip_colors(v)
        return out
    return value


def _format_styles(fmt: Json) -> Json:
    """Google mirrors plain colours into their *Style twins in stored formats."""
    fmt = _strip_colors(fmt)
    if "backgroundColor" in fmt and "backgroundColorStyle" not in fmt:
        fmt["backgroundColorStyle"] = {"rgbColor": dict(fmt["backgroundColor"])}
    text = fmt.get("textFormat")
    if isinstance(text, dict) and "foregroundColor" in text and "foregroundColorStyle" not in text:
        text["foregroundColorStyle"] = {"rgbColor": dict(text["foregroundColor"])}
    return fmt


def _order_props(props: Json) -> None:
    order = ["sheetId", "title", "index", "sheetType", "gridProperties", "hidden", "tabColorStyle"]
    items = dict(props)
    props.clear()
    for key in order:
        if key in items:
            props[key] = items.pop(key)
    props.update(items)


def _json_repr(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _struct_kind(value: Any) -> str:
    return "a list is not a valid cell value" if isinstance(value, list) else "a struct is not a valid cell value"

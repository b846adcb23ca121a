"""What a Sheets cell holds and shows: typed input, formulas, effective and rendered values, CellData.

A stored cell is a small dict: "v" (a value as written: str, float or bool) or "f" (formula text with its
"="), and optionally "nf" (numberFormat), "fmt" (the rest of userEnteredFormat), "note", "dv" (data
validation). A string written RAW is stored as "v" even when it starts with "=": it is text, not a formula.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from tests.fakegoogle import a1
from tests.fakegoogle.store import ApiError

Cell = dict[str, Any]
Json = dict[str, Any]

EPOCH = date(1899, 12, 30)


def num_out(value: float) -> int | float:
    """A number as Google prints it in JSON: integral floats as ints."""
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


class Formula:
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


class CellError:
    """A formula error: its errorValue type and message, and the text a cell shows (``#DIV/0!``)."""

    def __init__(self, kind: str, message: str, shown: str) -> None:
        self.kind, self.message, self.shown = kind, message, shown


class _Bubble(Exception):
    def __init__(self, err: CellError) -> None:
        super().__init__(err.message)
        self.err = err


def effective(sheet: Json, r: int, c: int, cell: Cell | None, seen: set[tuple[int, int]]) -> Any:
    """The effective value of a cell: its value, or its formula evaluated (a CellError when that fails)."""
    if not cell:
        return None
    if "f" not in cell:
        return cell.get("v")
    if (r, c) in seen:
        return CellError("REF", "Circular dependency detected.", "#REF!")

    def lookup(rr: int, cc: int) -> Any:
        value = effective(sheet, rr, cc, sheet["cells"].get((rr, cc)), seen | {(r, c)})
        if isinstance(value, CellError):
            raise _Bubble(value)
        return value

    try:
        return Formula(cell["f"][1:], lookup).value()
    except _Bubble as bubble:
        return bubble.err
    except ZeroDivisionError:
        return CellError("DIVIDE_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero.", "#DIV/0!")
    except TypeError:
        return CellError("VALUE", "A value is not a number.", "#VALUE!")
    except (ValueError, AssertionError, a1.A1Error):
        return CellError("NAME", "The fake server does not evaluate this formula.", "#NAME?")


def render(sheet: Json, r: int, c: int, cell: Cell | None, option: str, dt_option: str) -> Any:
    """A cell as values.get shows it under valueRenderOption ``option`` and dateTimeRenderOption ``dt_option``."""
    if not cell or ("v" not in cell and "f" not in cell):
        return ""
    if option == "FORMULA" and "f" in cell:
        return cell["f"]
    value = effective(sheet, r, c, cell, set())
    if isinstance(value, CellError):
        return value.shown
    if value is None:
        return ""
    nf = cell.get("nf")
    if option == "FORMATTED_VALUE":
        return format_value(value, nf)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if dt_option == "FORMATTED_STRING" and nf and nf.get("type") in ("DATE", "DATE_TIME", "TIME"):
            return format_value(value, nf)
        return num_out(value)
    return value


def extended_value(value: Any) -> Json:
    """An ExtendedValue for a stored or effective value: bool, number or string (never a formula)."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": num_out(value)}
    return {"stringValue": value}


def user_entered_value(cell: Cell) -> Json:
    """The userEnteredValue of a cell holding a value or formula."""
    # Only a cell entered as a formula ("f": USER_ENTERED "=...", or a formulaValue) is one: a string written
    # RAW keeps its leading "=" and stays a stringValue, as Google answers.
    if "f" in cell:
        return {"formulaValue": cell["f"]}
    return extended_value(cell["v"])


def cell_as_data(cell: Cell) -> Json:
    """The writable part of a stored cell as CellData (what updateCells/repeatCell field masks apply to)."""
    out: Json = {}
    if "f" in cell or "v" in cell:
        out["userEnteredValue"] = user_entered_value(cell)
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


def cell_data(sheet: Json, r: int, c: int, cell: Cell) -> Json:
    """A stored cell as spreadsheets.get includeGridData answers it (CellData with effective and formatted)."""
    stored = cell_as_data(cell)
    out: Json = {}
    if "userEnteredValue" in stored:
        out["userEnteredValue"] = stored.pop("userEnteredValue")
        value = effective(sheet, r, c, cell, set())
        out["effectiveValue"] = (
            extended_value(value)
            if not isinstance(value, CellError)
            else {"errorValue": {"type": value.kind, "message": value.message}}
        )
        out["formattedValue"] = render(sheet, r, c, cell, "FORMATTED_VALUE", "SERIAL_NUMBER")
    out.update(stored)
    return out


MAX_CELL_CHARS = 50_000


def check_cell_size(value: Any) -> None:
    """Google refuses a cell value longer than 50,000 characters (the whole request fails)."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise ApiError(400, "Your input contains more than the maximum of 50000 characters in a single cell.",
                       reason="badRequest")


def cell_from_data(data: Json, where: str) -> Cell:
    """A stored cell from CellData (the inverse of cell_as_data)."""
    cell: Cell = {}
    uev = data.get("userEnteredValue") or {}
    for text in (uev.get("stringValue"), uev.get("formulaValue")):
        check_cell_size(text)
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
    fmt = format_styles(fmt)
    if fmt:
        cell["fmt"] = fmt
    if data.get("note"):
        cell["note"] = data["note"]
    if data.get("dataValidation"):
        cell["dv"] = copy.deepcopy(data["dataValidation"])
    return cell


def nonzero_color(color: Json) -> Json:
    """A colour without its zero channels (Google omits proto defaults)."""
    return {k: v for k, v in color.items() if v}


def strip_colors(value: Any) -> Any:
    """Google drops zero colour channels (proto defaults) and unset colours."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("rgbColor", "color", "backgroundColor", "foregroundColor", "tabColor") and isinstance(v, dict):
                out[k] = nonzero_color(v)
            elif v is not None:
                out[k] = strip_colors(v)
        return out
    return value


def format_styles(fmt: Json) -> Json:
    """Google mirrors plain colours into their *Style twins in stored formats."""
    fmt = strip_colors(fmt)
    if "backgroundColor" in fmt and "backgroundColorStyle" not in fmt:
        fmt["backgroundColorStyle"] = {"rgbColor": dict(fmt["backgroundColor"])}
    text = fmt.get("textFormat")
    if isinstance(text, dict) and "foregroundColor" in text and "foregroundColorStyle" not in text:
        text["foregroundColorStyle"] = {"rgbColor": dict(text["foregroundColor"])}
    return fmt


def sort_key(value: Any) -> tuple[int, Any]:
    """sortRange's order: numbers before text, text case-insensitively, booleans last (as Google sorts)."""
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).lower())

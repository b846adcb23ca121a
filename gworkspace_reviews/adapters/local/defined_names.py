"""Find the template contract's defined names in a workbook, however Excel or LibreOffice saved them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.cell import get_column_letter, range_boundaries

_SHEET_REF = re.compile(r"^(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!]+))!(?P<cells>[^!]+)$")


@dataclass(frozen=True)
class Area:
    """A rectangular range on one sheet (1-based, inclusive)."""

    sheet: str
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    @property
    def width(self) -> int:
        """Number of columns."""
        return self.max_col - self.min_col + 1

    @property
    def height(self) -> int:
        """Number of rows."""
        return self.max_row - self.min_row + 1

    def describe(self) -> str:
        """The range as people read it, e.g. ``Review!B4``."""
        first = f"{get_column_letter(self.min_col)}{self.min_row}"
        last = f"{get_column_letter(self.max_col)}{self.max_row}"
        return f"{self.sheet}!{first}" if first == last else f"{self.sheet}!{first}:{last}"


class NameProblem(ValueError):
    """A defined name is missing or does not point at a usable range."""


def _parse(text: str, default_sheet: str | None) -> Area:
    ref = text.strip().lstrip("=").strip()
    if "," in ref or ref.startswith("("):
        raise NameProblem(f"points at several areas ({ref}); make it one rectangular range")
    if "#REF" in ref.upper():
        raise NameProblem("points at deleted cells (#REF!); define it again on the right cells")
    match = _SHEET_REF.match(ref)
    if match:
        sheet = match.group("quoted")
        sheet = sheet.replace("''", "'") if sheet is not None else match.group("plain")
        cells = match.group("cells")
    elif default_sheet is not None:
        sheet, cells = default_sheet, ref
    else:
        raise NameProblem(f"does not point at cells ({ref or 'empty'}); define it as e.g. Review!$B$4")
    try:
        min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    except (ValueError, TypeError) as exc:
        raise NameProblem(f"does not point at cells ({ref}); define it as e.g. Review!$B$4") from exc
    if None in (min_col, min_row, max_col, max_row):
        raise NameProblem(f"points at whole rows or columns ({ref}); make it a bounded range")
    return Area(sheet, int(min_col), int(min_row), int(max_col), int(max_row))


def find_name(wb: Any, name: str) -> Area:
    """The area a defined name points at (workbook scope first, then any sheet's scope); case-insensitive."""
    wanted = name.lower()
    for key, defined in wb.defined_names.items():
        if key.lower() == wanted:
            sheet = None
            if defined.localSheetId is not None and int(defined.localSheetId) < len(wb.worksheets):
                sheet = wb.worksheets[int(defined.localSheetId)].title
            area = _parse(defined.attr_text or "", sheet)
            break
    else:
        for ws in wb.worksheets:
            found = next((d for k, d in ws.defined_names.items() if k.lower() == wanted), None)
            if found is not None:
                area = _parse(found.attr_text or "", ws.title)
                break
        else:
            raise NameProblem("is not defined")
    if area.sheet not in wb.sheetnames:
        raise NameProblem(f"points at sheet {area.sheet!r}, which the workbook does not have")
    return area

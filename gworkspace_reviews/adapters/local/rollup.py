"""The rollup spreadsheet on disk: one sheet per tab, values kept as typed, a line chart where asked."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import openpyxl
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gworkspace_reviews.adapters.local.xlsx import set_text
from gworkspace_reviews.domain.models import Chart, Tab

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_MAX_TITLE = 31


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet title for a tab name (31 chars, none of []:*?/\\)."""
    base = _BAD_TITLE.sub("-", name).strip("'") or "Sheet"
    title = base[:_MAX_TITLE]
    n = 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: _MAX_TITLE - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _add_chart(ws: Any, tab: Tab, chart: Chart) -> None:
    line = LineChart()
    line.title = chart.title
    line.height, line.width = 8, 18
    header = tab.rows[0] if tab.rows else ()
    first, last = chart.first_row + 1, chart.last_row  # 0-based [first, last) -> 1-based inclusive
    for col in chart.y_columns:
        values = Reference(ws, min_col=col + 1, min_row=first, max_row=last)
        title = str(header[col]) if col < len(header) and header[col] is not None else None
        line.series.append(Series(values, title=title))
    line.set_categories(Reference(ws, min_col=chart.x_column + 1, min_row=first, max_row=last))
    width = max((len(r) for r in tab.rows), default=1)
    ws.add_chart(line, f"{get_column_letter(width + 2)}2")


def rollup_bytes(tabs: Sequence[Tab]) -> bytes:
    """The .xlsx bytes of a rollup workbook holding ``tabs`` in order."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for tab in tabs:
        ws = wb.create_sheet(sheet_title(tab.name, taken))
        for r, row in enumerate(tab.rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, str):
                    set_text(cell, value)
                else:
                    cell.value = value
                if r <= tab.frozen_rows:
                    cell.font = Font(bold=True)
        if tab.frozen_rows:
            ws.freeze_panes = f"A{tab.frozen_rows + 1}"
        widest = max((len(r) for r in tab.rows), default=0)
        for c in range(1, widest + 1):
            longest = max((len(str(r[c - 1])) for r in tab.rows if c <= len(r) and r[c - 1] is not None), default=8)
            ws.column_dimensions[get_column_letter(c)].width = min(max(10, longest + 2), 60)
        if tab.chart is not None and chart_fits(tab, tab.chart):
            _add_chart(ws, tab, tab.chart)
    if not wb.worksheets:
        wb.create_sheet("Rollup")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def chart_fits(tab: Tab, chart: Chart) -> bool:
    """Whether the chart's rows and columns exist in the tab (an empty rollup has no chart to draw)."""
    width = max((len(r) for r in tab.rows), default=0)
    columns = (chart.x_column, *chart.y_columns)
    return 0 < chart.first_row < chart.last_row <= len(tab.rows) and all(0 <= c < width for c in columns)

"""Sheets v4: the review spreadsheet contract (named ranges), header writes (RAW) and answer reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gworkspace_reviews.adapters.google.gateway import Gateway, Json
from gworkspace_reviews.domain.models import CellValue, Header, Kind, ReviewContent, RubricRow
from gworkspace_reviews.domain.template_contract import ANSWERS, HEADER_FIELDS, MANAGER_ANSWERS


def required_ranges(kind: Kind) -> tuple[str, ...]:
    """The named ranges a spreadsheet template of ``kind`` must define."""
    return (*HEADER_FIELDS, ANSWERS) + ((MANAGER_ANSWERS,) if kind == "self" else ())


def header_values(header: Header) -> dict[str, str]:
    """The header as named range -> text."""
    return {
        "case_id": header.case_id,
        "reviewer": header.reviewer,
        "case_owner": header.case_owner,
        "cycle": header.cycle,
    }


def named_ranges(gw: Gateway, spreadsheet_id: str, *, what: str) -> set[str]:
    """The names of the spreadsheet's named ranges (one spreadsheets.get, fields=namedRanges)."""
    request = gw.sheets.spreadsheets().get(spreadsheetId=spreadsheet_id, fields="namedRanges(name)")
    reply = gw.execute(request, what=what, target=spreadsheet_id, quota="sheets.read")
    return {str(nr.get("name")) for nr in reply.get("namedRanges") or []}


def write_ranges(gw: Gateway, spreadsheet_id: str, values: dict[str, list[list[Any]]], *, what: str) -> int:
    """One values.batchUpdate with RAW input (text stays text, ``=...`` never becomes a formula)."""
    if not values:
        return 0
    body = {
        "valueInputOption": "RAW",
        "data": [{"range": rng, "values": rows} for rng, rows in values.items()],
    }
    request = gw.sheets.spreadsheets().values().batchUpdate(spreadsheetId=spreadsheet_id, body=body)
    reply = gw.execute(request, what=what, target=spreadsheet_id, quota="sheets.write")
    return int(reply.get("totalUpdatedCells") or 0)


def write_header(gw: Gateway, spreadsheet_id: str, cells: dict[str, str], *, what: str) -> int:
    """Write header cells by named range; empty values are skipped."""
    return write_ranges(gw, spreadsheet_id, {k: [[v]] for k, v in cells.items() if v}, what=what)


def read_ranges(
    gw: Gateway,
    spreadsheet_id: str,
    ranges: Sequence[str],
    *,
    what: str,
    render: str = "UNFORMATTED_VALUE",
) -> list[list[list[Any]]]:
    """One values.batchGet; the rows of each range, in the order asked."""
    request = (
        gw.sheets.spreadsheets()
        .values()
        .batchGet(
            spreadsheetId=spreadsheet_id,
            ranges=list(ranges),
            valueRenderOption=render,
            dateTimeRenderOption="FORMATTED_STRING",
            majorDimension="ROWS",
        )
    )
    reply = gw.execute(request, what=what, target=spreadsheet_id, quota="sheets.read")
    found = reply.get("valueRanges") or []
    return [list(found[i].get("values") or []) if i < len(found) else [] for i in range(len(ranges))]


def first_cell(rows: list[list[Any]]) -> CellValue:
    """The top-left value of a range, None when empty."""
    value = rows[0][0] if rows and rows[0] else None
    return None if value == "" else _cell(value)


def _cell(value: Any) -> CellValue:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return str(value)


def _at(row: list[Any], i: int) -> Any:
    return row[i] if i < len(row) else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_content(kind: Kind, ranges: list[list[list[Any]]]) -> ReviewContent:
    """ReviewContent from batchGet rows in ``required_ranges(kind)`` order."""
    header = {name: first_cell(ranges[i]) for i, name in enumerate(HEADER_FIELDS)}
    answers = ranges[len(HEADER_FIELDS)]
    rows: list[RubricRow] = []
    kept: list[int] = []
    for i, row in enumerate(answers):
        criterion, answer, comment = _at(row, 0), _at(row, 1), _at(row, 2)
        if _blank(criterion) and _blank(answer) and _blank(comment):
            continue
        kept.append(i)
        rows.append(
            RubricRow(
                criterion="" if criterion is None else str(criterion).strip(),
                answer=None if answer == "" else _cell(answer),
                comment="" if comment is None else str(comment),
            )
        )
    manager_rows: tuple[RubricRow, ...] | None = None
    if kind == "self" and len(ranges) > len(HEADER_FIELDS) + 1:
        manager = ranges[len(HEADER_FIELDS) + 1]
        out: list[RubricRow] = []
        for row_index, mine in zip(kept, rows, strict=True):
            theirs = manager[row_index] if row_index < len(manager) else []
            answer, comment = _at(theirs, 0), _at(theirs, 1)
            out.append(
                RubricRow(
                    criterion=mine.criterion,
                    answer=None if answer == "" else _cell(answer),
                    comment="" if comment is None else str(comment),
                )
            )
        manager_rows = tuple(out)
    return ReviewContent(header=header, rows=tuple(rows), manager_rows=manager_rows)


def batch_update(gw: Gateway, spreadsheet_id: str, requests: list[Json], *, what: str) -> Json:
    """One spreadsheets.batchUpdate (all-or-nothing on Google's side)."""
    request = gw.sheets.spreadsheets().batchUpdate(spreadsheetId=spreadsheet_id, body={"requests": requests})
    return gw.execute(request, what=what, target=spreadsheet_id, quota="sheets.write")

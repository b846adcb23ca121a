"""``templates create``: the default peer and self review templates as a Google spreadsheet and document.

Spreadsheet (tab "Review"): title and note, a header block whose value cells are the named ranges
``case_id``, ``reviewer``, ``case_owner``, ``cycle``, then the criteria table (Criterion | Answer | Comments,
self: + Manager answer | Manager comments) whose rows are the named range ``answers`` (and
``manager_answers``), answers through a Yes/No/N/A dropdown. Document: the same header as
``Label: {{placeholder}}`` lines and the rubric table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gworkspace_reviews.adapters.google import docs, drive, sheets
from gworkspace_reviews.adapters.google.gateway import Gateway, Json
from gworkspace_reviews.domain.models import FORMATS, KINDS, Format, Kind
from gworkspace_reviews.domain.principles import GUIDING_PRINCIPLES
from gworkspace_reviews.domain.template_contract import (
    ANSWER_CHOICES,
    ANSWERS,
    CONVERSATION_NOTE,
    HEADER_FIELDS,
    HEADER_LABELS,
    MANAGER_ANSWERS,
    TECHNICAL_HEADING,
    doc_table_header,
    placeholder,
)

TAB = "Review"
HEADER_ROW = 3  # 0-based row of "Case ID"; the header block is rows 3..6, column B holds the values
TABLE_ROW = 8  # 0-based row of the criteria table's header row
TITLES: dict[Kind, str] = {"peer": "Peer review", "self": "Self review"}
INSTRUCTIONS = "Answer each criterion Yes, No or N/A, and say why in the comments."


@dataclass(frozen=True)
class CreatedTemplate:
    """One template made by ``templates create``."""

    kind: Kind
    format: Format
    file_id: str
    name: str
    location: str

    @property
    def config_key(self) -> str:
        """The reviews.toml key under [templates] to put the id in, e.g. ``peer_sheet``."""
        return f"{self.kind}_{self.format}"


def _cell(text: str, *, bold: bool = False) -> Json:
    cell: Json = {"userEnteredValue": {"stringValue": text}}
    if bold:
        cell["userEnteredFormat"] = {"textFormat": {"bold": True}}
    return cell


def _grid(sheet_id: int, r0: int, r1: int, c0: int, c1: int) -> Json:
    return {
        "sheetId": sheet_id,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": c0,
        "endColumnIndex": c1,
    }


def _dropdown(grid: Json) -> Json:
    values = [{"userEnteredValue": v} for v in ANSWER_CHOICES]
    return {
        "setDataValidation": {
            "range": grid,
            "rule": {
                "condition": {"type": "ONE_OF_LIST", "values": values},
                "strict": True,
                "showCustomUi": True,
                "inputMessage": "Yes, No or N/A",
            },
        }
    }


def sheet_requests(kind: Kind, sheet_id: int, criteria: Sequence[str]) -> list[Json]:
    """The spreadsheets.batchUpdate requests that turn an empty sheet into the template of ``kind``."""
    columns = doc_table_header(kind)
    rows: list[list[Json]] = [[_cell(TITLES[kind], bold=True)], [_cell(CONVERSATION_NOTE)], []]
    rows += [[_cell(HEADER_LABELS[f], bold=True)] for f in HEADER_FIELDS]
    rows += [[_cell(INSTRUCTIONS)]]
    rows += [[_cell(c, bold=True) for c in columns]]
    rows += [[_cell(c)] for c in criteria]
    first, last = TABLE_ROW + 1, TABLE_ROW + 1 + len(criteria)
    requests: list[Json] = [
        {
            "updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "title": TAB, "gridProperties": {"frozenRowCount": 0}},
                "fields": "title",
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [{"values": r} for r in rows],
                "fields": "userEnteredValue,userEnteredFormat.textFormat.bold",
            }
        },
    ]
    for i, name in enumerate(HEADER_FIELDS):
        row = HEADER_ROW + i
        requests.append(
            {"addNamedRange": {"namedRange": {"name": name, "range": _grid(sheet_id, row, row + 1, 1, 2)}}}
        )
    requests.append(
        {"addNamedRange": {"namedRange": {"name": ANSWERS, "range": _grid(sheet_id, first, last, 0, 3)}}}
    )
    requests.append(_dropdown(_grid(sheet_id, first, last, 1, 2)))
    if kind == "self":
        requests.append(
            {
                "addNamedRange": {
                    "namedRange": {"name": MANAGER_ANSWERS, "range": _grid(sheet_id, first, last, 3, 5)}
                }
            }
        )
        requests.append(_dropdown(_grid(sheet_id, first, last, 3, 4)))
    widths = [420, 110, 360] + ([110, 360] if kind == "self" else [])
    for col, px in enumerate(widths):
        requests.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": col,
                        "endIndex": col + 1,
                    },
                    "properties": {"pixelSize": px},
                    "fields": "pixelSize",
                }
            }
        )
    return requests


def doc_text(kind: Kind) -> str:
    """The text before the rubric table: title, note, ``Label: {{placeholder}}`` lines, instructions."""
    lines = [
        TITLES[kind],
        CONVERSATION_NOTE,
        *(f"{HEADER_LABELS[f]}: {placeholder(f)}" for f in HEADER_FIELDS),
        INSTRUCTIONS,
    ]
    return "\n".join(lines) + "\n"


def _create_sheet(gw: Gateway, kind: Kind, name: str, folder: str | None, criteria: Sequence[str]) -> Json:
    what = f"creating the {kind} spreadsheet template"
    item = drive.create_file(gw, name=name, mime=drive.SHEET_MIME, parent=folder, what=what)
    file_id = str(item["id"])
    request = gw.sheets.spreadsheets().get(spreadsheetId=file_id, fields="sheets.properties.sheetId")
    meta = gw.execute(request, what=what, target=file_id, quota="sheets.read")
    sheet_id = int(meta["sheets"][0]["properties"]["sheetId"])
    sheets.batch_update(gw, file_id, sheet_requests(kind, sheet_id, criteria), what=what)
    return item


def _create_doc(gw: Gateway, kind: Kind, name: str, folder: str | None, criteria: Sequence[str]) -> Json:
    what = f"creating the {kind} document template"
    item = drive.create_file(gw, name=name, mime=drive.DOC_MIME, parent=folder, what=what)
    file_id = str(item["id"])
    columns = doc_table_header(kind)
    docs.batch_update(
        gw,
        file_id,
        [
            {"insertText": {"location": {"index": 1}, "text": doc_text(kind)}},
            {
                "insertTable": {
                    "endOfSegmentLocation": {"segmentId": ""},
                    "rows": len(criteria) + 1,
                    "columns": len(columns),
                }
            },
            {"insertText": {"endOfSegmentLocation": {"segmentId": ""}, "text": TECHNICAL_HEADING + "\n"}},
        ],
        what=what,
    )
    # Cell indexes depend on how Docs laid the table out: read them back rather than predicting them.
    doc = docs.get_document(gw, file_id, what=what)
    table = docs.tables(doc)[-1]
    texts = [list(columns), *([c, *([""] * (len(columns) - 1))] for c in criteria)]
    inserts: list[tuple[int, str]] = []
    for row, row_texts in zip(table["tableRows"], texts, strict=True):
        for cell, text in zip(row["tableCells"], row_texts, strict=True):
            if text:
                inserts.append((int(cell["content"][0]["startIndex"]), text))
    # From the end backwards, so earlier indexes stay valid as text goes in.
    requests: list[Json] = [
        {"insertText": {"location": {"index": i}, "text": t}} for i, t in sorted(inserts, reverse=True)
    ]
    docs.batch_update(gw, file_id, requests, what=what)
    return item


def create_templates(
    gw: Gateway,
    folder: str | None,
    *,
    kinds: Sequence[Kind] = KINDS,
    formats: Sequence[Format] = FORMATS,
    criteria: Sequence[str] = GUIDING_PRINCIPLES,
) -> list[CreatedTemplate]:
    """Create the default templates (peer and self, spreadsheet and document) in ``folder``; their ids.

    The folder must be in a shared drive where the service account is Content manager (or google.subject
    set): a service account cannot own files in My Drive.
    """
    made: list[CreatedTemplate] = []
    for kind in kinds:
        for fmt in formats:
            name = f"{TITLES[kind]} template"
            make: Any = _create_sheet if fmt == "sheet" else _create_doc
            item: Json = make(gw, kind, name, folder, criteria)
            made.append(CreatedTemplate(kind, fmt, str(item["id"]), name, drive.location(item)))
    return made

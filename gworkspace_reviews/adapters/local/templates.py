"""The default review templates as real .xlsx and .docx files, following the template contract."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import docx
import openpyxl
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from gworkspace_reviews.adapters.local.atomic import write_bytes_atomic
from gworkspace_reviews.domain.models import Kind
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

SHEET_NAME = "Review"
_TITLES: dict[Kind, str] = {"peer": "Peer case review", "self": "Self review + manager review"}
_INSTRUCTIONS: dict[Kind, str] = {
    "peer": "Answer each criterion Yes, No or N/A and say why in the comment, so the case owner can follow "
    "your thinking.",
    "self": "Answer each criterion Yes, No or N/A and say why in the comment; your manager then adds their "
    "answer and comments.",
}
_HEADER_FIRST_ROW = 4
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header_labels(kind: Kind) -> dict[str, str]:
    labels = dict(HEADER_LABELS)
    if kind == "self":
        labels["reviewer"] = "Engineer"
        labels["cycle"] = "Month"
    return labels


def sheet_template_bytes(*, kind: Kind, criteria: Sequence[str]) -> bytes:
    """The .xlsx bytes of a review template for ``kind`` with one rubric row per criterion."""
    if not criteria:
        raise ValueError("a review template needs at least one criterion")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws["A1"] = _TITLES[kind]
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = CONVERSATION_NOTE
    ws["A2"].font = Font(italic=True)

    labels = _header_labels(kind)
    for offset, name in enumerate(HEADER_FIELDS):
        row = _HEADER_FIRST_ROW + offset
        ws.cell(row=row, column=1, value=labels[name]).font = _BOLD
        wb.defined_names.add(DefinedName(name, attr_text=f"{SHEET_NAME}!$B${row}"))

    instructions_row = _HEADER_FIRST_ROW + len(HEADER_FIELDS) + 1
    ws.cell(row=instructions_row, column=1, value=_INSTRUCTIONS[kind])
    table_row = instructions_row + 1
    columns = ["Criterion", "Answer", "Comment"]
    if kind == "self":
        columns += ["Manager answer", "Manager comment"]
    for col, label in enumerate(columns, start=1):
        cell = ws.cell(row=table_row, column=col, value=label)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL

    first, last = table_row + 1, table_row + len(criteria)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, text in enumerate(criteria, start=first):
        ws.cell(row=row, column=1, value=text).alignment = wrap
        for col in range(2, len(columns) + 1):
            ws.cell(row=row, column=col).alignment = wrap
    wb.defined_names.add(DefinedName(ANSWERS, attr_text=f"{SHEET_NAME}!$A${first}:$C${last}"))
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(ANSWER_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=False,  # a warning-free dropdown: people may still type, the reader copes
    )
    choices.add(f"B{first}:B{last}")
    if kind == "self":
        wb.defined_names.add(DefinedName(MANAGER_ANSWERS, attr_text=f"{SHEET_NAME}!$D${first}:$E${last}"))
        choices.add(f"D{first}:D{last}")
    ws.add_data_validation(choices)

    technical_row = last + 2
    ws.cell(row=technical_row, column=1, value=TECHNICAL_HEADING).font = _BOLD
    ws.merge_cells(start_row=technical_row + 1, start_column=1, end_row=technical_row + 5, end_column=3)
    ws.cell(row=technical_row + 1, column=1).alignment = wrap

    widths = {"A": 62, "B": 14, "C": 60, "D": 16, "E": 50}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_sheet_template(path: Path, *, kind: Kind, criteria: Sequence[str]) -> None:
    """Write a review spreadsheet template (defined names, rubric, Yes/No/N/A dropdown) to ``path``."""
    write_bytes_atomic(path, sheet_template_bytes(kind=kind, criteria=criteria))


def doc_template_bytes(*, kind: Kind, criteria: Sequence[str]) -> bytes:
    """The .docx bytes of a review template for ``kind`` with one rubric table row per criterion."""
    if not criteria:
        raise ValueError("a review template needs at least one criterion")
    document = docx.Document()
    document.add_heading(_TITLES[kind], level=1)
    note = document.add_paragraph()
    note.add_run(CONVERSATION_NOTE).italic = True

    labels = _header_labels(kind)
    for name in HEADER_FIELDS:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{labels[name]}: ").bold = True
        # The placeholder sits in its own run so filling it keeps the label's formatting intact.
        paragraph.add_run(placeholder(name))

    document.add_paragraph(_INSTRUCTIONS[kind])
    header = doc_table_header(kind)
    table = document.add_table(rows=1 + len(criteria), cols=len(header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
    for row, text in zip(table.rows[1:], criteria, strict=True):
        row.cells[0].text = text
        for cell in row.cells[0:1]:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(10)

    document.add_heading(TECHNICAL_HEADING, level=2)
    technical = document.add_paragraph()
    technical.add_run().add_break(WD_BREAK.LINE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_doc_template(path: Path, *, kind: Kind, criteria: Sequence[str]) -> None:
    """Write a review document template ({{placeholders}}, rubric table) to ``path``."""
    write_bytes_atomic(path, doc_template_bytes(kind=kind, criteria=criteria))

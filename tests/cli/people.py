"""What people do with review files, done the way they would: open the real file, type values, save."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
import openpyxl
from click.testing import CliRunner, Result

from gworkspace_reviews.cli import cli


def run(config: Path, *args: str, input: str | None = None) -> Result:
    """Invoke the CLI on a config, as a person or cron would (``--today`` may lead ``args``)."""
    lead: list[str] = []
    if args and args[0] == "--today":
        lead, args = list(args[:2]), args[2:]
    return CliRunner().invoke(cli, ["--config", str(config), *lead, *args], input=input, catch_exceptions=False)


def run_json(config: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """Invoke with --json and parse stdout (which must be one JSON document)."""
    result = run(config, *args, "--json")
    return result.exit_code, json.loads(result.stdout)


def _named_cells(wb: Any, name: str) -> list[list[Any]]:
    defined = wb.defined_names[name]
    rows: list[list[Any]] = []
    for sheet, ref in defined.destinations:
        cells = wb[sheet][ref]
        if not isinstance(cells, tuple):
            cells = ((cells,),)
        rows.extend(list(r) for r in cells)
    return rows


def fill_sheet(path: Path, answers: Sequence[Any], comments: Sequence[str] = (), *, case_id: str | None = None,
               manager: Sequence[Any] | None = None) -> None:
    """Type answers (and comments) into a review spreadsheet's answer column, as a person would."""
    wb = openpyxl.load_workbook(path)
    rows = _named_cells(wb, "answers")
    for i, value in enumerate(answers):
        rows[i][1].value = value
        if i < len(comments):
            rows[i][2].value = comments[i]
    if manager is not None:
        mrows = _named_cells(wb, "manager_answers")
        for i, value in enumerate(manager):
            mrows[i][0].value = value
    if case_id is not None:
        _named_cells(wb, "case_id")[0][0].value = case_id
    wb.save(path)


def header_cells(path: Path) -> dict[str, Any]:
    """The header's named cells of a review spreadsheet."""
    wb = openpyxl.load_workbook(path)
    return {n: _named_cells(wb, n)[0][0].value for n in ("case_id", "reviewer", "case_owner", "cycle")}


def fill_doc(path: Path, answers: Sequence[str], comments: Sequence[str] = ()) -> None:
    """Type answers into a review document's rubric table."""
    document = docx.Document(str(path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text.strip() == "Criterion")
    for i, value in enumerate(answers):
        row = table.rows[i + 1]
        row.cells[1].text = value
        if i < len(comments):
            row.cells[2].text = comments[i]
    document.save(str(path))


def doc_text(path: Path) -> str:
    """All paragraph text of a document (header placeholders live there)."""
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def review_files(root: Path, name: str) -> list[Path]:
    """Every file called ``name`` (any extension) in the members' folders."""
    return sorted(p for p in root.glob(f"*/{name}.*") if p.suffix in (".xlsx", ".docx"))

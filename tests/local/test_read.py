"""Reading answers back from review files filled in as people fill them in."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from gworkspace_reviews.adapters.local import LocalWorkspace
from gworkspace_reviews.domain.models import ReviewFile
from gworkspace_reviews.domain.principles import GUIDING_PRINCIPLES

from .helpers import answer_cells, make_workspace, members, named_cell, peer_spec, self_spec

# What people type: stray spaces, abbreviations, capitals, blanks, an answer that is not one, a real bool.
MESSY = ["Yes ", "y", "NO", "n/a", None, "maybe", True, 1]


@pytest.fixture
def ws(tmp_path: Path) -> LocalWorkspace:
    return make_workspace(tmp_path)


def _provision(ws: LocalWorkspace, fmt: str, kind: str = "peer") -> ReviewFile:
    team = members()
    spec = (
        peer_spec(ws, team[0], team[1], fmt=fmt)  # type: ignore[arg-type]
        if kind == "peer"
        else self_spec(ws, team[0], slot="manager-pick", case_id="48300", fmt=fmt)  # type: ignore[arg-type]
    )
    [outcome] = ws.create_reviews([spec])
    assert outcome.file is not None
    return outcome.file


def test_sheet_answers_read_back_raw(ws: LocalWorkspace) -> None:
    file = _provision(ws, "sheet")
    path = Path(file.location)
    wb = openpyxl.load_workbook(path)
    named_cell(wb, "case_id").value = 48213  # typed as a number
    for (criterion, answer, comment), value in zip(answer_cells(wb), MESSY, strict=True):
        answer.value = value
        comment.value = f"because {criterion.row}" if value is not None else None
    wb.save(path)

    [result] = ws.read_reviews([file])

    assert result.error is None and result.content is not None
    content = result.content
    assert content.header == {
        "case_id": 48213,
        "reviewer": members()[0].name,
        "case_owner": members()[1].name,
        "cycle": "2021-12-13",
    }
    assert [r.answer for r in content.rows] == MESSY
    assert [r.criterion for r in content.rows] == list(GUIDING_PRINCIPLES)
    assert content.rows[0].comment.startswith("because ") and content.rows[4].comment == ""
    assert content.manager_rows is None


def test_a_formula_answer_reads_its_cached_value(ws: LocalWorkspace) -> None:
    file = _provision(ws, "sheet")
    path = Path(file.location)
    wb = openpyxl.load_workbook(path)
    rows = answer_cells(wb)
    rows[0][1].value = '=IF(1=1,"Yes","No")'
    rows[1][1].value = "=1/0"  # never calculated: no cached value
    wb.save(path)
    # Excel and LibreOffice store the last result beside the formula; openpyxl does not, so add it.
    coord = rows[0][1].coordinate
    with zipfile.ZipFile(path) as src:
        items = {i.filename: src.read(i.filename) for i in src.infolist()}
    sheet = items["xl/worksheets/sheet1.xml"].decode()
    # openpyxl writes <c r="B11"><f>...</f><v></v></c>; Excel writes t="str" and the result in <v>.
    sheet, count = re.subn(
        rf'<c r="{coord}"[^>]*><f>(.*?)</f><v\s*/?>(?:</v>)?',
        lambda m: f'<c r="{coord}" t="str"><f>{m.group(1)}</f><v>Yes</v>',
        sheet,
    )
    assert count == 1
    items["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in items.items():
            dst.writestr(name, data)

    [result] = ws.read_reviews([file])
    assert result.content is not None
    assert result.content.rows[0].answer == "Yes"
    assert result.content.rows[1].answer is None


def test_self_sheet_reads_manager_rows_aligned(ws: LocalWorkspace) -> None:
    file = _provision(ws, "sheet", kind="self")
    path = Path(file.location)
    wb = openpyxl.load_workbook(path)
    for (_, answer, _), (manager_answer, manager_comment), i in zip(
        answer_cells(wb), answer_cells(wb, "manager_answers"), range(8), strict=True
    ):
        answer.value = "Yes"
        manager_answer.value = "No" if i == 2 else "yes"
        manager_comment.value = "let's talk about this one" if i == 2 else None
    wb.save(path)
    [result] = ws.read_reviews([file])
    assert result.content is not None and result.content.manager_rows is not None
    manager = result.content.manager_rows
    assert [r.criterion for r in manager] == list(GUIDING_PRINCIPLES)
    assert manager[2].answer == "No" and manager[2].comment == "let's talk about this one"
    assert [r.answer for r in manager].count("yes") == 7
    assert result.content.header["case_id"] == "48300"


def test_doc_answers_read_back_raw(ws: LocalWorkspace) -> None:
    file = _provision(ws, "doc", kind="self")
    path = Path(file.location)
    document = docx.Document(str(path))
    table = document.tables[0]
    typed = ["Yes ", "y", "NO", "n/a", "", "maybe", "YES", "No"]
    for row, value in zip(table.rows[1:], typed, strict=True):
        row.cells[1].text = value
        row.cells[2].text = "see the second reply" if value else ""
        row.cells[3].text = "Yes"
        row.cells[4].text = "agreed"
    document.save(str(path))

    [result] = ws.read_reviews([file])

    assert result.error is None and result.content is not None
    assert [r.answer for r in result.content.rows] == [v if v else None for v in typed]
    assert result.content.rows[0].comment == "see the second reply"
    assert result.content.manager_rows is not None
    assert {(r.answer, r.comment) for r in result.content.manager_rows} == {("Yes", "agreed")}
    assert result.content.header["case_id"] == "48300"
    assert result.content.header["reviewer"] == members()[0].name


def test_doc_case_id_typed_by_the_reviewer_is_read(ws: LocalWorkspace) -> None:
    file = _provision(ws, "doc")
    path = Path(file.location)
    [before] = ws.read_reviews([file])
    assert before.content is not None and before.content.header["case_id"] is None  # placeholder still there
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if "{{case_id}}" in p.text)
    # A person selects the placeholder and types: Word leaves the text in a run of its own.
    for run in paragraph.runs:
        if "{{case_id}}" in run.text:
            run.text = " 50123 "
    document.save(str(path))
    [after] = ws.read_reviews([file])
    assert after.content is not None and after.content.header["case_id"] == "50123"


def test_reads_are_cached_by_path_and_mtime(ws: LocalWorkspace) -> None:
    file = _provision(ws, "sheet")
    ws.read_reviews([file])
    ws.read_reviews([file])
    assert ws.files_opened == 1
    path = Path(file.location)
    wb = openpyxl.load_workbook(path)
    answer_cells(wb)[0][1].value = "No"
    wb.save(path)
    [result] = ws.read_reviews([file])
    assert ws.files_opened == 2
    assert result.content is not None and result.content.rows[0].answer == "No"


def test_a_damaged_file_is_an_error_naming_it(ws: LocalWorkspace) -> None:
    sheet = _provision(ws, "sheet")
    wb = openpyxl.load_workbook(sheet.location)
    del wb.defined_names["answers"]
    wb.save(sheet.location)
    team = members()
    [doc_outcome] = ws.create_reviews([peer_spec(ws, team[2], team[3], fmt="doc")])
    assert doc_outcome.file is not None
    Path(doc_outcome.file.location).write_bytes(b"truncated by a sync client")
    bad_sheet, bad_doc = ws.read_reviews([sheet, doc_outcome.file])
    assert bad_sheet.content is None and bad_sheet.error is not None
    assert sheet.location in bad_sheet.error and "answers" in bad_sheet.error and "Name Manager" in bad_sheet.error
    assert bad_doc.error is not None and doc_outcome.file.location in bad_doc.error

"""The default templates meet the template contract, and check_templates names what a template lacks."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from gworkspace_reviews.adapters.local import LocalWorkspace, write_doc_template, write_sheet_template
from gworkspace_reviews.domain.principles import GUIDING_PRINCIPLES
from gworkspace_reviews.domain.template_contract import CONVERSATION_NOTE, TECHNICAL_HEADING

from .helpers import answer_cells, named_cell, templates_of


def test_guiding_principles_are_eight_yes_no_questions() -> None:
    assert len(GUIDING_PRINCIPLES) == 8
    assert all(q.startswith(("Did ", "Was ")) and q.endswith("?") for q in GUIDING_PRINCIPLES)
    assert "impact" in GUIDING_PRINCIPLES[0]


@pytest.mark.parametrize("kind", ["peer", "self"])
def test_sheet_template_has_names_rubric_dropdown_and_note(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    write_sheet_template(path, kind=kind, criteria=GUIDING_PRINCIPLES)  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(path)
    ws = wb["Review"]
    assert CONVERSATION_NOTE in [c.value for row in ws.iter_rows(max_row=3) for c in row]
    for name in ("case_id", "reviewer", "case_owner", "cycle"):
        cell = named_cell(wb, name)
        assert cell.value is None, name
        assert ws.cell(row=cell.row, column=cell.column - 1).value  # a label beside the value cell
    rows = answer_cells(wb)
    assert [len(r) for r in rows] == [3] * 8
    assert [r[0].value for r in rows] == list(GUIDING_PRINCIPLES)
    assert [c.value for c in ws[rows[0][0].row - 1][:3]] == ["Criterion", "Answer", "Comment"]
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].formula1 == '"Yes,No,N/A"'
    answer_range = f"B{rows[0][0].row}:B{rows[-1][0].row}"
    assert answer_range in str(validations[0].sqref)
    # The technical comments area sits below the rubric, outside the answers range.
    technical = [c for row in ws.iter_rows() for c in row if c.value == TECHNICAL_HEADING]
    assert len(technical) == 1 and technical[0].row > rows[-1][0].row
    if kind == "self":
        manager = answer_cells(wb, "manager_answers")
        assert [len(r) for r in manager] == [2] * 8
        assert [r[0].row for r in manager] == [r[0].row for r in rows]
        assert f"D{rows[0][0].row}:D{rows[-1][0].row}" in str(validations[0].sqref)
    else:
        assert "manager_answers" not in wb.defined_names


@pytest.mark.parametrize("kind", ["peer", "self"])
def test_doc_template_has_placeholders_and_rubric_table(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.docx"
    write_doc_template(path, kind=kind, criteria=GUIDING_PRINCIPLES)  # type: ignore[arg-type]
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    for field in ("case_id", "reviewer", "case_owner", "cycle"):
        assert "{{" + field + "}}" in text
    assert CONVERSATION_NOTE in text and TECHNICAL_HEADING in text
    assert len(document.tables) == 1
    header = [c.text for c in document.tables[0].rows[0].cells]
    expected = ["Criterion", "Answer", "Comments"] + (["Manager answer", "Manager comments"] if kind == "self" else [])
    assert header == expected
    assert [r.cells[0].text for r in document.tables[0].rows[1:]] == list(GUIDING_PRINCIPLES)


def test_default_templates_pass_the_check(tmp_path: Path) -> None:
    templates = templates_of(tmp_path)
    for (kind, fmt), path in templates.items():
        (write_sheet_template if fmt == "sheet" else write_doc_template)(path, kind=kind, criteria=GUIDING_PRINCIPLES)
    ws = LocalWorkspace(tmp_path / "root", templates)
    assert ws.check_templates(list(templates)) == []


def test_check_templates_names_each_missing_piece(tmp_path: Path) -> None:
    templates = templates_of(tmp_path)
    write_sheet_template(templates[("self", "sheet")], kind="self", criteria=GUIDING_PRINCIPLES)
    wb = openpyxl.load_workbook(templates[("self", "sheet")])
    del wb.defined_names["cycle"]
    del wb.defined_names["manager_answers"]
    wb.defined_names["case_id"].attr_text = "Review!$B$4:$C$4"
    wb.save(templates[("self", "sheet")])

    write_doc_template(templates[("peer", "doc")], kind="peer", criteria=GUIDING_PRINCIPLES)
    document = docx.Document(str(templates[("peer", "doc")]))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace("{{reviewer}}", "")
    document.tables[0].rows[0].cells[2].text = "Notes"
    document.save(str(templates[("peer", "doc")]))

    ws = LocalWorkspace(tmp_path / "root", {k: v for k, v in templates.items() if k != ("self", "doc")})
    problems = ws.check_templates([("self", "sheet"), ("peer", "doc"), ("peer", "sheet"), ("self", "doc")])
    text = "\n".join(problems)
    sheet, doc = str(templates[("self", "sheet")]), str(templates[("peer", "doc")])
    assert any(sheet in p and "'cycle' is not defined" in p for p in problems), text
    assert any(sheet in p and "'manager_answers' is not defined" in p for p in problems), text
    assert any(sheet in p and "'case_id' must be one cell" in p for p in problems), text
    assert any(doc in p and "{{reviewer}} is missing" in p for p in problems), text
    assert any(doc in p and "Criterion | Answer | Comments" in p for p in problems), text
    assert any(str(templates[("peer", "sheet")]) in p and "not found" in p for p in problems), text
    assert any("templates.self_doc" in p and "no template set" in p for p in problems), text
    assert len(problems) == 7, text


def test_check_templates_names_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "peer.xlsx"
    path.write_text("not a workbook")
    ws = LocalWorkspace(tmp_path, {("peer", "sheet"): path})
    [problem] = ws.check_templates([("peer", "sheet")])
    assert str(path) in problem and "not a readable .xlsx" in problem

"""Provisioned files are real Office files: LibreOffice opens, converts and re-saves them, and we read them back.

Without LibreOffice on PATH the test does not skip: it runs a named fallback (a re-save through openpyxl and
python-docx, the libraries people's scripts use) and prints why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl

from gworkspace_reviews.adapters.local import LocalWorkspace
from gworkspace_reviews.domain.models import ReviewFile

from .helpers import answer_cells, make_workspace, members, peer_spec, self_spec

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SHEET_ANSWERS = ["Yes ", "y", "NO", "n/a", None, "maybe", '=IF(1=1,"Yes","No")', "No"]
DOC_ANSWERS = ["Yes ", "y", "NO", "n/a", "", "maybe", "yes", "No"]


def _fill(files: list[ReviewFile]) -> None:
    for file in files:
        if file.format == "sheet":
            wb = openpyxl.load_workbook(file.location)
            for (_, answer, comment), value in zip(answer_cells(wb), SHEET_ANSWERS, strict=True):
                answer.value = value
                comment.value = "why: see reply 2" if value else None
            if file.key.kind == "self":
                for manager_answer, _ in answer_cells(wb, "manager_answers"):
                    manager_answer.value = "Yes"
            wb.save(file.location)
        else:
            document = docx.Document(file.location)
            for row, value in zip(document.tables[0].rows[1:], DOC_ANSWERS, strict=True):
                row.cells[1].text = value
                row.cells[2].text = "why: see reply 2" if value else ""
            document.save(file.location)


def _soffice(profile: Path, *args: str) -> None:
    assert SOFFICE is not None
    # A private profile so parallel runs (and a desktop session) never share LibreOffice's lock.
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", *args],
        check=True,
        capture_output=True,
        timeout=180,
    )


def _resave_with_libreoffice(files: list[ReviewFile], work: Path) -> None:
    sources = [Path(f.location) for f in files]
    pdf_dir, out_dir = work / "pdf", work / "resaved"
    _soffice(work / "profile", "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, sources))
    for source in sources:
        assert (pdf_dir / f"{source.stem}.pdf").read_bytes().startswith(b"%PDF"), source
    sheets = [str(s) for s in sources if s.suffix == ".xlsx"]
    docs = [str(s) for s in sources if s.suffix == ".docx"]
    _soffice(work / "profile", "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(out_dir), *sheets)
    _soffice(work / "profile", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), *docs)
    for source in sources:
        # The person saves over the file in place, as LibreOffice's Save does.
        shutil.copyfile(out_dir / source.name, source)


def _resave_with_libraries(files: list[ReviewFile]) -> None:
    for file in files:
        if file.format == "sheet":
            openpyxl.load_workbook(file.location).save(file.location)
        else:
            docx.Document(file.location).save(file.location)


def test_files_survive_a_resave_by_an_office_suite(tmp_path: Path) -> None:
    ws: LocalWorkspace = make_workspace(tmp_path / "sample")
    team = members()
    specs = [
        peer_spec(ws, team[0], team[1], case_id="48213"),
        peer_spec(ws, team[1], team[2], fmt="doc", case_id="48214"),
        self_spec(ws, team[3], slot="own-pick", case_id="48300"),
    ]
    files = [o.file for o in ws.create_reviews(specs) if o.file is not None]
    assert len(files) == 3
    _fill(files)

    if SOFFICE:
        _resave_with_libreoffice(files, tmp_path / "lo")
        formula_answer = "Yes"  # LibreOffice calculated it and stored the result
    else:
        print("LibreOffice (soffice) is not on PATH: fallback re-save through openpyxl and python-docx instead")
        _resave_with_libraries(files)
        formula_answer = None  # nothing calculated the formula, so it has no cached value

    fresh = LocalWorkspace(ws.root, ws.templates)  # no caches from before the re-save
    listed = {f.key: f for f in fresh.list_reviews()}
    assert set(listed) == {s.key for s in specs}  # tags survived the re-save
    assert {f.case_id for f in listed.values()} == {"48213", "48214", "48300"}
    results = {r.file.key: r for r in fresh.read_reviews(list(listed.values()))}

    sheet = results[specs[0].key].content
    assert sheet is not None
    assert [r.answer for r in sheet.rows] == [*SHEET_ANSWERS[:6], formula_answer, "No"]
    assert sheet.rows[0].comment == "why: see reply 2"
    assert sheet.header == {
        "case_id": "48213",
        "reviewer": team[0].name,
        "case_owner": team[1].name,
        "cycle": "2021-12-13",
    }
    doc = results[specs[1].key].content
    assert doc is not None
    answers = [r.answer for r in doc.rows]
    if SOFFICE:
        # Writer drops trailing spaces at the end of a paragraph; the rubric strips them anyway.
        answers = [a.strip() if isinstance(a, str) else a for a in answers]
        assert answers == [v.strip() or None for v in DOC_ANSWERS]
    else:
        assert answers == [v or None for v in DOC_ANSWERS]
    assert doc.header == {
        "case_id": "48214",
        "reviewer": team[1].name,
        "case_owner": team[2].name,
        "cycle": "2021-12-13",
    }
    self_review = results[specs[2].key].content
    assert self_review is not None and self_review.manager_rows is not None
    assert [r.answer for r in self_review.manager_rows] == ["Yes"] * 8
    # A rerun after the re-save creates nothing new.
    assert [o.created for o in fresh.create_reviews(specs)] == [False, False, False]

"""Manager commands on provisioned files: set-case and swap's reassign."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from gworkspace_reviews.adapters.local import LocalWorkspace

from .helpers import custom_props, make_workspace, members, named_cell, peer_spec


@pytest.fixture
def ws(tmp_path: Path) -> LocalWorkspace:
    return make_workspace(tmp_path)


@pytest.mark.parametrize("fmt", ["sheet", "doc"])
def test_set_case_replaces_the_case_in_header_and_tags(ws: LocalWorkspace, fmt: str) -> None:
    team = members()
    [outcome] = ws.create_reviews([peer_spec(ws, team[0], team[1], fmt=fmt, case_id="48213")])  # type: ignore[arg-type]
    assert outcome.file is not None
    updated = ws.set_case(outcome.file, '=HYPERLINK("x")')
    again = ws.set_case(updated, "49001")

    assert again.case_id == "49001" and again.location == outcome.file.location
    assert custom_props(Path(again.location))["gwr_case"] == "49001"
    [listed] = ws.list_reviews()
    assert listed.case_id == "49001"
    [result] = ws.read_reviews([again])
    assert result.content is not None and result.content.header["case_id"] == "49001"
    assert custom_props(Path(again.location))["gwr_created"] == "2021-12-13T09:00:00+00:00"
    if fmt == "doc":
        text = "\n".join(p.text for p in docx.Document(again.location).paragraphs)
        assert "Case ID: 49001" in text and "48213" not in text and "HYPERLINK" not in text


def test_set_case_on_a_sheet_writes_text_not_a_formula(ws: LocalWorkspace) -> None:
    team = members()
    [outcome] = ws.create_reviews([peer_spec(ws, team[0], team[1])])
    assert outcome.file is not None
    ws.set_case(outcome.file, "=1+1")
    cell = named_cell(openpyxl.load_workbook(outcome.file.location), "case_id")
    assert cell.value == "=1+1" and cell.data_type == "s"


@pytest.mark.parametrize("fmt", ["sheet", "doc"])
def test_reassign_moves_renames_retags_and_reheads(ws: LocalWorkspace, fmt: str) -> None:
    team = members()
    old_spec = peer_spec(ws, team[0], team[1], fmt=fmt)  # type: ignore[arg-type]
    [outcome] = ws.create_reviews([old_spec])
    assert outcome.file is not None
    new_spec = peer_spec(ws, team[5], team[6], fmt=fmt)  # type: ignore[arg-type]
    ext = ".xlsx" if fmt == "sheet" else ".docx"
    blocker = ws.root / team[6].name / f"2021-12-13{ext}"
    blocker.write_bytes(b"not ours")

    moved = ws.reassign(outcome.file, new_spec)

    assert not Path(outcome.file.location).exists()
    assert moved.location == str(ws.root / team[6].name / f"2021-12-13 (2){ext}")
    assert blocker.read_bytes() == b"not ours"
    assert moved.key == new_spec.key
    [listed] = ws.list_reviews()
    assert listed.key == new_spec.key and listed.location == moved.location
    [result] = ws.read_reviews([moved])
    assert result.content is not None
    assert result.content.header["reviewer"] == team[5].name
    assert result.content.header["case_owner"] == team[6].name
    assert ws.create_reviews([new_spec])[0].created is False
    assert ws.create_reviews([old_spec])[0].created is True  # the old pair is free again


def test_reassign_in_place_keeps_the_name(ws: LocalWorkspace) -> None:
    team = members()
    [outcome] = ws.create_reviews([peer_spec(ws, team[0], team[1])])
    assert outcome.file is not None
    moved = ws.reassign(outcome.file, peer_spec(ws, team[2], team[1]))
    assert moved.location == outcome.file.location
    assert named_cell(openpyxl.load_workbook(moved.location), "reviewer").value == team[2].name

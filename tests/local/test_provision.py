"""Provisioning review files on the local workspace: names, places, headers, tags, idempotency."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from gworkspace_reviews.adapters.local import LocalWorkspace
from gworkspace_reviews.domain.models import Member, ReviewKey
from gworkspace_reviews.errors import TemplateError, WorkspaceError

from .helpers import custom_props, make_workspace, members, named_cell, peer_spec, self_spec, templates_of


@pytest.fixture
def ws(tmp_path: Path) -> LocalWorkspace:
    return make_workspace(tmp_path)


def _all_files(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in root.rglob("*")
        if p.is_file() and ".gworkspace-reviews" not in p.parts
    }


def test_peer_reviews_are_named_placed_headed_and_tagged(ws: LocalWorkspace) -> None:
    team = members()
    specs = [peer_spec(ws, team[i], team[(i + 1) % len(team)]) for i in range(len(team))]
    specs[3] = peer_spec(ws, team[3], team[4], fmt="doc", case_id="48213")
    outcomes = ws.create_reviews(specs)

    assert [o.error for o in outcomes] == [None] * len(team)
    assert all(o.created and o.header_written for o in outcomes)
    files = _all_files(ws.root)
    assert len(files) == len(team)
    owner = team[1]
    sheet = ws.root / owner.name / "2021-12-13.xlsx"
    assert f"{owner.name}/2021-12-13.xlsx" in files
    assert f"{team[4].name}/2021-12-13.docx" in files

    wb = openpyxl.load_workbook(sheet)
    assert named_cell(wb, "reviewer").value == team[0].name
    assert named_cell(wb, "case_owner").value == owner.name
    assert named_cell(wb, "cycle").value == "2021-12-13"
    assert named_cell(wb, "case_id").value is None  # the reviewer picks the case
    assert custom_props(sheet) == {
        "gwr_kind": "peer",
        "gwr_period": "2021-12-13",
        "gwr_reviewer": team[0].email,
        "gwr_owner": owner.email,
        "gwr_created": "2021-12-13T09:00:00+00:00",
    }

    doc_path = ws.root / team[4].name / "2021-12-13.docx"
    text = "\n".join(p.text for p in docx.Document(str(doc_path)).paragraphs)
    assert "Case ID: 48213" in text and f"Reviewer: {team[3].name}" in text
    assert f"Case owner: {team[4].name}" in text and "Cycle: 2021-12-13" in text and "{{" not in text
    assert custom_props(doc_path)["gwr_case"] == "48213"

    manifest = json.loads((ws.root / ".gworkspace-reviews" / "manifest.json").read_text())
    assert manifest["files"][f"{owner.name}/2021-12-13.xlsx"]["tags"]["gwr_reviewer"] == team[0].email
    listed = ws.list_reviews(kind="peer", period="2021-12-13")
    assert sorted(f.key.owner for f in listed) == sorted(m.email for m in team)
    assert {f.name for f in listed} == {"2021-12-13"}
    first = next(f for f in listed if f.key.owner == owner.email)
    assert first.location == str(sheet) and first.folder == str(ws.root / owner.name) and first.format == "sheet"
    assert ws.list_reviews(kind="self") == [] and ws.list_reviews(period="2021-12-27") == []


def test_rerun_creates_nothing_and_touches_nothing(ws: LocalWorkspace) -> None:
    team = members()
    specs = [peer_spec(ws, team[0], team[1]), self_spec(ws, team[2], slot="manager-pick", case_id="48200", fmt="doc")]
    ws.create_reviews(specs)
    before = _all_files(ws.root)

    again = ws.create_reviews(specs)

    assert [(o.created, o.header_written, o.error) for o in again] == [(False, False, None)] * 2
    assert _all_files(ws.root) == before  # same files, same mtimes: nothing rewritten
    assert [o.file.location for o in again if o.file] == [
        str(ws.root / team[1].name / "2021-12-13.xlsx"),
        str(ws.root / team[2].name / "2022-01 self review (manager-pick).docx"),
    ]


def test_a_header_filled_by_a_person_is_left_alone(ws: LocalWorkspace) -> None:
    team = members()
    spec = peer_spec(ws, team[0], team[1])
    [outcome] = ws.create_reviews([spec])
    assert outcome.file is not None
    path = Path(outcome.file.location)
    wb = openpyxl.load_workbook(path)
    named_cell(wb, "case_id").value = "49999"
    named_cell(wb, "reviewer").value = "Amara (covering)"
    named_cell(wb, "cycle").value = None  # cleared: the only empty header cell
    wb.save(path)

    assert ws.fill_header(outcome.file, spec.header) is True
    wb = openpyxl.load_workbook(path)
    assert named_cell(wb, "case_id").value == "49999"
    assert named_cell(wb, "reviewer").value == "Amara (covering)"
    assert named_cell(wb, "cycle").value == "2021-12-13"
    mtime = path.stat().st_mtime_ns
    assert ws.fill_header(outcome.file, spec.header) is False
    assert path.stat().st_mtime_ns == mtime


def test_a_doc_header_typed_over_is_left_alone(ws: LocalWorkspace) -> None:
    team = members()
    spec = peer_spec(ws, team[0], team[1], fmt="doc")
    [outcome] = ws.create_reviews([spec])
    assert outcome.file is not None
    path = Path(outcome.file.location)
    document = docx.Document(str(path))
    typed = next(p for p in document.paragraphs if "{{case_id}}" in p.text)
    for run in typed.runs:
        run.text = run.text.replace("{{case_id}}", "50123")
    document.save(str(path))

    with_case = spec.header.__class__(**{**spec.header.__dict__, "case_id": "11111"})
    assert ws.fill_header(outcome.file, with_case) is False
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Case ID: 50123" in text and "11111" not in text


def test_name_collision_never_overwrites(ws: LocalWorkspace) -> None:
    team = members()
    owner = team[1]
    foreign = ws.root / owner.name / "2021-12-13.xlsx"
    foreign.write_bytes(b"someone's own spreadsheet")
    # Two reviews for the same owner in one cycle (an odd team's extra pairing).
    specs = [peer_spec(ws, team[0], owner), peer_spec(ws, team[2], owner)]

    outcomes = ws.create_reviews(specs)

    assert foreign.read_bytes() == b"someone's own spreadsheet"
    assert [Path(o.file.location).name for o in outcomes if o.file] == ["2021-12-13 (2).xlsx", "2021-12-13 (3).xlsx"]
    assert [o.file.name for o in outcomes if o.file] == ["2021-12-13 (2)", "2021-12-13 (3)"]
    assert {f.key.reviewer for f in ws.list_reviews()} == {team[0].email, team[2].email}


def test_a_file_moved_or_renamed_by_a_person_is_still_found(ws: LocalWorkspace) -> None:
    team = members()
    spec = peer_spec(ws, team[0], team[1])
    [outcome] = ws.create_reviews([spec])
    assert outcome.file is not None
    moved = ws.root / team[1].name / "archive" / "my review.xlsx"
    moved.parent.mkdir()
    os.rename(outcome.file.location, moved)

    [listed] = ws.list_reviews()
    assert listed.location == str(moved) and listed.key == spec.key
    [again] = ws.create_reviews([spec])
    assert not again.created and again.file is not None and again.file.location == str(moved)
    # A stale handle still reads: the file is found again by its tags.
    [result] = ws.read_reviews([outcome.file])
    assert result.error is None and result.content is not None


def test_tags_dropped_by_an_editor_are_recovered_from_the_manifest(ws: LocalWorkspace) -> None:
    team = members()
    [outcome] = ws.create_reviews([peer_spec(ws, team[0], team[1])])
    assert outcome.file is not None
    path = Path(outcome.file.location)
    # Re-save without docProps/custom.xml, as an editor that drops custom properties would.
    stripped = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stripped, "w") as dst:
        for item in src.infolist():
            if item.filename != "docProps/custom.xml":
                dst.writestr(item, src.read(item.filename))
    os.replace(stripped, path)

    [listed] = ws.list_reviews()
    assert listed.key == outcome.file.key
    assert ws.create_reviews([peer_spec(ws, team[0], team[1])])[0].created is False


def test_a_corrupt_manifest_is_rebuilt_from_the_files(ws: LocalWorkspace) -> None:
    team = members()
    ws.create_reviews([peer_spec(ws, team[0], team[1])])
    manifest = ws.root / ".gworkspace-reviews" / "manifest.json"
    manifest.write_text("{ half a json")
    fresh = LocalWorkspace(ws.root, ws.templates)
    assert [f.key.owner for f in fresh.list_reviews()] == [team[1].email]
    assert json.loads(manifest.read_text())["files"]


def test_untagged_office_files_and_lock_files_are_not_listed(ws: LocalWorkspace) -> None:
    team = members()
    folder = ws.root / team[0].name
    openpyxl.Workbook().save(folder / "notes.xlsx")
    (folder / "~$2021-12-13.xlsx").write_bytes(b"lock")
    (folder / "broken.docx").write_bytes(b"not a zip")
    assert ws.list_reviews() == []


def test_missing_member_folder_is_named_with_the_fix(ws: LocalWorkspace) -> None:
    newcomer = Member(name="Zed New", email="zed@example.com", manager="noor.haddad@example.com")
    with pytest.raises(WorkspaceError) as caught:
        ws.resolve_folder(newcomer)
    assert str(ws.root / "Zed New") in str(caught.value) and "folders sync" in str(caught.value)
    assert ws.ensure_folder(newcomer) == str(ws.root / "Zed New")
    assert ws.resolve_folder(newcomer) == str(ws.root / "Zed New")
    custom = Member(name="Zed New", email="zed@example.com", manager="x", folder="zed-reviews")
    assert ws.ensure_folder(custom) == str(ws.root / "zed-reviews")
    outside = Member(name="Out", email="o@example.com", manager="x", folder="../elsewhere")
    with pytest.raises(WorkspaceError, match="outside the workspace root"):
        ws.resolve_folder(outside)


def test_a_spec_whose_folder_vanished_fails_alone(ws: LocalWorkspace) -> None:
    team = members()
    specs = [peer_spec(ws, team[0], team[1]), peer_spec(ws, team[1], team[2])]
    shutil.rmtree(ws.root / team[1].name)
    first, second = ws.create_reviews(specs)
    assert first.file is None and first.error and str(ws.root / team[1].name) in first.error
    assert second.created and second.error is None


def test_a_broken_template_stops_before_any_copy(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    templates = templates_of(tmp_path)
    wb = openpyxl.load_workbook(templates[("peer", "sheet")])
    del wb.defined_names["answers"]
    wb.save(templates[("peer", "sheet")])
    team = members()
    with pytest.raises(TemplateError, match="'answers' is not defined"):
        ws.create_reviews([peer_spec(ws, team[0], team[1]), peer_spec(ws, team[1], team[2], fmt="doc")])
    assert _all_files(ws.root) == {}


def test_self_reviews_two_slots_in_one_folder(ws: LocalWorkspace) -> None:
    member = members()[5]
    specs = [
        self_spec(ws, member, slot="manager-pick", case_id="48300"),
        self_spec(ws, member, slot="own-pick", case_id="", fmt="doc"),
    ]
    outcomes = ws.create_reviews(specs)
    assert [o.created for o in outcomes] == [True, True]
    listed = {f.key.slot: f for f in ws.list_reviews(kind="self", period="2022-01")}
    assert set(listed) == {"manager-pick", "own-pick"}
    assert listed["manager-pick"].case_id == "48300" and listed["own-pick"].case_id == ""
    assert listed["own-pick"].key == ReviewKey("self", "2022-01", member.email, member.email, "own-pick")


def test_listing_trusts_the_manifest_while_size_and_mtime_match(ws: LocalWorkspace) -> None:
    team = members()
    [outcome] = ws.create_reviews([peer_spec(ws, team[0], team[1])])
    assert outcome.file is not None
    path = Path(outcome.file.location)
    stat = path.stat()
    # Same size and mtime but unreadable bytes: a listing that opened the file would drop it.
    path.write_bytes(b"\0" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [f.key for f in LocalWorkspace(ws.root, ws.templates).list_reviews()] == [outcome.file.key]
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    # Changed on disk and unreadable (mid-sync, say): still ours by the manifest, so a rerun never creates a
    # second copy, and reading it reports the file by name.
    fresh = LocalWorkspace(ws.root, ws.templates)
    [listed] = fresh.list_reviews()
    assert listed.key == outcome.file.key
    [result] = fresh.read_reviews([listed])
    assert result.error is not None and str(path) in result.error


def test_a_placeholder_split_across_runs_is_filled_keeping_formatting(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    template = ws.templates[("peer", "doc")]
    document = docx.Document(str(template))
    paragraph = next(p for p in document.paragraphs if "{{reviewer}}" in p.text)
    for run in paragraph.runs:
        if run.text == "{{reviewer}}":
            run.text = "{{revi"
            tail = paragraph.add_run("ewer}} (peer)")
            tail.italic = True
            run.bold = True
    document.save(str(template))
    assert ws.check_templates([("peer", "doc")]) == []
    team = members()
    [outcome] = ws.create_reviews([peer_spec(ws, team[0], team[1], fmt="doc")])
    assert outcome.file is not None
    filled = next(p for p in docx.Document(outcome.file.location).paragraphs if p.text.startswith("Reviewer"))
    assert filled.text == f"Reviewer: {team[0].name} (peer)"
    value = next(r for r in filled.runs if r.text == team[0].name)
    assert value.bold is True
    assert next(r for r in filled.runs if r.text == " (peer)").italic is True
    [result] = ws.read_reviews([outcome.file])
    assert result.content is not None and result.content.header["reviewer"] == team[0].name

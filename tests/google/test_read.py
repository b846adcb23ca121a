"""Reading answers back: one request per file, none when the file has not changed (across processes)."""

from __future__ import annotations

from pathlib import Path

from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace
from gworkspace_reviews.config_types import GoogleConfig
from tests.fakegoogle.server import FakeGoogle
from tests.google.helpers import CYCLE, members, peer_spec, self_spec, type_doc_answers, type_sheet_answers


def test_sheet_and_doc_answers_are_read_with_one_request_each(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway) -> None:
    ada, bob, cleo = members()[:3]
    made = workspace.create_reviews([
        peer_spec(ada, bob, workspace.ensure_folder(bob)),
        peer_spec(bob, cleo, workspace.ensure_folder(cleo), fmt="doc", case_id="88"),
    ])
    sheet_file, doc_file = (o.file for o in made)
    assert sheet_file is not None and doc_file is not None
    type_sheet_answers(gateway, sheet_file.file_id, [("Yes", "clear goal"), ("No", "missing why"), (True, "")])
    type_doc_answers(gateway, doc_file.file_id, [("Yes", "kind"), ("N/A", "")])
    files = workspace.list_reviews(kind="peer", period=CYCLE)
    fake_google.reset_counters()
    results = {r.file.file_id: r for r in workspace.read_reviews(files)}
    assert dict(fake_google.counters) == {"sheets.spreadsheets.values.batchGet": 1, "docs.documents.get": 1}
    sheet = results[sheet_file.file_id].content
    assert sheet is not None and len(sheet.rows) == 8
    assert [(r.answer, r.comment) for r in sheet.rows[:4]] == [
        ("Yes", "clear goal"), ("No", "missing why"), (True, ""), (None, "")]
    assert sheet.rows[0].criterion.startswith("Did the case focus on impact")
    assert sheet.header == {"case_id": "4711", "reviewer": ada.name, "case_owner": bob.name, "cycle": CYCLE}
    doc = results[doc_file.file_id].content
    assert doc is not None and [(r.answer, r.comment) for r in doc.rows[:3]] == [
        ("Yes", "kind"), ("N/A", ""), (None, "")]
    assert doc.header == {"case_id": "88", "reviewer": bob.name, "case_owner": cleo.name, "cycle": CYCLE}


def test_unchanged_files_are_not_read_again_even_by_a_new_process(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway, gconfig: GoogleConfig,
        tmp_path: Path) -> None:
    ada, bob = members()[:2]
    (made,) = workspace.create_reviews([peer_spec(ada, bob, workspace.ensure_folder(bob))])
    assert made.file is not None
    first = workspace.read_reviews(workspace.list_reviews(period=CYCLE))
    # A later run: a fresh workspace object reading the same cache file.
    later = GoogleWorkspace(gconfig, workspace.workspace, workspace.templates, gateway=gateway,
                            cache_path=tmp_path / "read-cache.json")
    files = later.list_reviews(period=CYCLE)
    fake_google.reset_counters()
    assert later.read_reviews(files) == first
    assert fake_google.calls() == 0
    # Someone answers: modifiedTime moves, so exactly that file is read again.
    type_sheet_answers(gateway, made.file.file_id, [("No", "why")])
    files = later.list_reviews(period=CYCLE)
    fake_google.reset_counters()
    (again,) = later.read_reviews(files)
    assert fake_google.counters["sheets.spreadsheets.values.batchGet"] == 1
    assert again.content is not None and again.content.rows[0].answer == "No"


def test_self_reviews_read_the_manager_answers_aligned_with_the_criteria(
        workspace: GoogleWorkspace, gateway: Gateway) -> None:
    ada = members()[0]
    folder = workspace.ensure_folder(ada)
    sheet_o, doc_o = workspace.create_reviews([self_spec(ada, folder), self_spec(ada, folder, fmt="doc",
                                                                                 slot="own-pick")])
    assert sheet_o.file is not None and doc_o.file is not None
    type_sheet_answers(gateway, sheet_o.file.file_id, [("Yes", "mine")])
    type_sheet_answers(gateway, sheet_o.file.file_id, [("No", "manager disagrees"), ("Yes", "")], column="D")
    type_doc_answers(gateway, doc_o.file.file_id, [("Yes", "")])
    type_doc_answers(gateway, doc_o.file.file_id, [("No", "see 1:1")], first_col=3)
    by_slot = {r.file.key.slot: r.content for r in workspace.read_reviews(workspace.list_reviews(kind="self"))}
    sheet, doc = by_slot["manager-pick"], by_slot["own-pick"]
    assert sheet is not None and sheet.manager_rows is not None
    assert (sheet.rows[0].answer, sheet.manager_rows[0].answer, sheet.manager_rows[0].comment) == (
        "Yes", "No", "manager disagrees")
    assert sheet.manager_rows[1].answer == "Yes" and sheet.manager_rows[2].answer is None
    assert [m.criterion for m in sheet.manager_rows] == [r.criterion for r in sheet.rows]
    assert doc is not None and doc.manager_rows is not None
    assert (doc.rows[0].answer, doc.manager_rows[0].answer, doc.manager_rows[0].comment) == ("Yes", "No", "see 1:1")


def test_a_file_whose_named_range_was_deleted_reports_an_error_and_the_rest_are_read(
        workspace: GoogleWorkspace, gateway: Gateway) -> None:
    ada, bob, cleo = members()[:3]
    made = workspace.create_reviews([peer_spec(ada, bob, workspace.ensure_folder(bob)),
                                     peer_spec(bob, cleo, workspace.ensure_folder(cleo))])
    broken = made[0].file
    assert broken is not None
    meta = gateway.execute(gateway.sheets.spreadsheets().get(spreadsheetId=broken.file_id, fields="namedRanges"),
                           what="t", target="t")
    answers_id = next(n["namedRangeId"] for n in meta["namedRanges"] if n["name"] == "answers")
    from gworkspace_reviews.adapters.google import sheets

    sheets.batch_update(gateway, broken.file_id, [{"deleteNamedRange": {"namedRangeId": answers_id}}], what="t")
    results = {r.file.file_id: r for r in workspace.read_reviews(workspace.list_reviews())}
    assert results[broken.file_id].content is None
    assert broken.file_id in (results[broken.file_id].error or "")
    assert "answers" in (results[broken.file_id].error or "")
    assert all(r.content is not None for fid, r in results.items() if fid != broken.file_id)

"""`templates create` and `folders sync`, and the editing operations (set_case, reassign) on the fake."""

from __future__ import annotations

from gworkspace_reviews.adapters.google import docs, drive, sheets
from gworkspace_reviews.adapters.google.folders import sync_folders
from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.adapters.google.templates import create_templates
from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace
from gworkspace_reviews.domain.models import Member
from gworkspace_reviews.domain.principles import GUIDING_PRINCIPLES
from tests.fakegoogle.server import FakeGoogle
from tests.google.helpers import CYCLE, members, peer_spec


def test_templates_create_makes_four_templates_that_meet_the_contract(
        gateway: Gateway, fake_google: FakeGoogle, workspace: GoogleWorkspace) -> None:
    folder = fake_google.seed["templates_folder_id"]
    made = create_templates(gateway, folder)
    assert [t.config_key for t in made] == ["peer_sheet", "peer_doc", "self_sheet", "self_doc"]
    assert all(fake_google.store.files[t.file_id].parents == [folder] for t in made)
    workspace.templates = {(t.kind, t.format): t.file_id for t in made}
    assert workspace.check_templates(list(workspace.templates)) == []
    self_sheet = made[2].file_id
    meta = gateway.execute(gateway.sheets.spreadsheets().get(spreadsheetId=self_sheet, includeGridData=True),
                           what="t", target="t")
    names = {n["name"] for n in meta["namedRanges"]}
    assert names == {"case_id", "reviewer", "case_owner", "cycle", "answers", "manager_answers"}
    rows = meta["sheets"][0]["data"][0]["rowData"]
    table = [[c.get("formattedValue", "") for c in r.get("values", [])] for r in rows]
    assert table[8][:5] == ["Criterion", "Answer", "Comments", "Manager answer", "Manager comments"]
    assert [r[0] for r in table[9:9 + len(GUIDING_PRINCIPLES)]] == list(GUIDING_PRINCIPLES)
    rule = rows[9]["values"][1]["dataValidation"]
    assert rule["condition"]["type"] == "ONE_OF_LIST"
    assert [v["userEnteredValue"] for v in rule["condition"]["values"]] == ["Yes", "No", "N/A"]
    assert rows[9]["values"][3]["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"  # manager's answer
    peer_doc = docs.get_document(gateway, made[1].file_id, what="t")
    rubric = docs.rubric_table(peer_doc, "peer")
    assert rubric is not None and [r[0] for r in rubric[1:]] == list(GUIDING_PRINCIPLES)
    assert "Case ID: {{case_id}}" in docs.full_text(peer_doc)


def test_folders_sync_creates_only_missing_folders_and_shares_nothing(
        gateway: Gateway, fake_google: FakeGoogle) -> None:
    root = fake_google.seed["folder_id"]
    people = members()
    first = sync_folders(gateway, root, people[:2])
    assert [r.created for r in first] == [True, True]
    configured = Member("Eve Example", "eve@example.com", "grace@example.com", folder="1configuredxxxxxxxxxxxxx")
    fake_google.reset_counters()
    second = sync_folders(gateway, root, [*people, configured])
    assert [r.created for r in second] == [False, False, True, True, False]
    assert second[4].configured and second[4].folder_id == configured.folder
    assert [r.folder_id for r in second[:2]] == [r.folder_id for r in first]
    assert dict(fake_google.counters) == {"drive.files.list": 1, "drive.files.create": 2}
    for result in second[:4]:
        rec = fake_google.store.files[result.folder_id]
        assert rec.name == result.name and rec.parents == [root] and rec.mimeType == drive.FOLDER_MIME
        assert rec.permissions == [] and rec.shared_with == set()
    assert fake_google.calls("drive.permissions") == 0
    dry = sync_folders(gateway, root, [Member("New Person", "new@example.com", "g@example.com")], dry_run=True)
    assert dry[0].created and dry[0].folder_id == ""


def test_resolve_folder_finds_members_by_name_with_one_listing(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway) -> None:
    people = members()
    made = sync_folders(gateway, fake_google.seed["folder_id"], people)
    fake_google.reset_counters()
    assert [workspace.resolve_folder(m) for m in people] == [r.folder_id for r in made]
    assert dict(fake_google.counters) == {"drive.files.list": 1}
    stranger = Member("Nobody Here", "nobody@example.com", "g@example.com")
    try:
        workspace.resolve_folder(stranger)
    except Exception as exc:
        assert "folders sync" in str(exc) and "nobody@example.com" in str(exc)
    else:
        raise AssertionError("a member without a folder must raise")


def test_set_case_rewrites_the_header_and_the_tag(workspace: GoogleWorkspace, gateway: Gateway) -> None:
    ada, bob = members()[:2]
    folder = workspace.ensure_folder(bob)
    sheet_o, doc_o = workspace.create_reviews([peer_spec(ada, bob, folder),
                                               peer_spec(bob, ada, workspace.ensure_folder(ada), fmt="doc")])
    assert sheet_o.file is not None and doc_o.file is not None
    updated = workspace.set_case(sheet_o.file, "CASE-77")
    assert updated.case_id == "CASE-77"
    assert sheets.read_ranges(gateway, sheet_o.file.file_id, ["case_id"], what="t") == [[["CASE-77"]]]
    workspace.set_case(doc_o.file, "CASE-78")
    text = docs.full_text(docs.get_document(gateway, doc_o.file.file_id, what="t"))
    assert "Case ID: CASE-78" in text and "4711" not in text
    assert {f.case_id for f in workspace.list_reviews(period=CYCLE)} == {"CASE-77", "CASE-78"}


def test_reassign_retags_renames_moves_and_reheads_in_place(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway) -> None:
    ada, bob, cleo = members()[:3]
    (made,) = workspace.create_reviews([peer_spec(ada, bob, workspace.ensure_folder(bob))])
    assert made.file is not None
    target = peer_spec(ada, cleo, workspace.ensure_folder(cleo), case_id="")
    moved = workspace.reassign(made.file, target)
    assert moved.file_id == made.file.file_id and moved.key == target.key and moved.folder == target.folder
    rec = fake_google.store.files[moved.file_id]
    assert rec.parents == [target.folder] and "case" not in rec.appProperties
    header = sheets.read_ranges(gateway, moved.file_id, ("case_id", "case_owner"), what="t")
    assert header == [[], [[cleo.name]]]

"""Provisioning review files through the real googleapiclient against the fake: request counts asserted."""

from __future__ import annotations

from collections import Counter

import pytest

from gworkspace_reviews.adapters.google import drive, sheets
from gworkspace_reviews.adapters.google.apierrors import StorageQuotaError
from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace
from gworkspace_reviews.domain.models import Header
from gworkspace_reviews.errors import TemplateError
from tests.fakegoogle.server import FakeGoogle
from tests.fakegoogle.store import FileRecord, SharedDrive
from tests.google.helpers import CYCLE, members, peer_spec, self_spec

READS = ("get", "list", "batchGet")


def writes(fake: FakeGoogle) -> Counter[str]:
    """The counted requests that change something."""
    return Counter({k: n for k, n in fake.counters.items() if k.rsplit(".", 1)[-1] not in READS})


def ring(ws: GoogleWorkspace, fmt: str = "sheet") -> list:
    people = members()
    folders = [ws.ensure_folder(m) for m in people]
    return [peer_spec(people[i], people[(i + 1) % 4], folders[(i + 1) % 4], fmt=fmt) for i in range(4)]  # type: ignore[arg-type]


def test_each_new_review_is_one_copy_and_one_header_write(workspace: GoogleWorkspace, fake_google: FakeGoogle,
                                                         gateway: Gateway) -> None:
    specs = ring(workspace)
    fake_google.reset_counters()
    outcomes = workspace.create_reviews(specs)
    assert [o.error for o in outcomes] == [None] * 4 and all(o.created and o.header_written for o in outcomes)
    # 1 template check + 1 list for the cycle, then exactly 2 requests per new review.
    assert dict(fake_google.counters) == {"sheets.spreadsheets.get": 1, "drive.files.list": 1,
                                          "drive.files.copy": 4, "sheets.spreadsheets.values.batchUpdate": 4}
    for spec, outcome in zip(specs, outcomes, strict=True):
        rec = fake_google.store.files[outcome.file.file_id]  # type: ignore[union-attr]
        assert rec.name == CYCLE and rec.parents == [spec.folder]
        assert rec.appProperties == {"kind": "peer", "period": CYCLE, "reviewer": spec.key.reviewer,
                                     "owner": spec.key.owner, "case": "4711"}
        header = sheets.read_ranges(gateway, rec.id, ("case_id", "reviewer", "case_owner", "cycle"), what="t")
        assert [r[0][0] for r in header] == ["4711", spec.header.reviewer, spec.header.case_owner, CYCLE]
    listed = workspace.list_reviews(kind="peer", period=CYCLE)
    assert {f.key for f in listed} == {s.key for s in specs}
    assert all(f.location.startswith("https://docs.google.com/spreadsheets/d/") for f in listed)


def test_a_rerun_makes_no_writes(workspace: GoogleWorkspace, fake_google: FakeGoogle) -> None:
    specs = ring(workspace)
    first = workspace.create_reviews(specs)
    fake_google.reset_counters()
    again = workspace.create_reviews(specs)
    assert not writes(fake_google)
    assert [o.file.file_id for o in again] == [o.file.file_id for o in first]  # type: ignore[union-attr]
    assert not any(o.created or o.header_written for o in again)
    # Only the cycle listing and one header read per existing file; the template check is once per run.
    assert dict(fake_google.counters) == {"drive.files.list": 1, "sheets.spreadsheets.values.batchGet": 4}


def test_a_filled_header_is_left_alone_and_only_empty_cells_are_written(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway) -> None:
    people = members()
    folder = workspace.ensure_folder(people[1])
    undecided = peer_spec(people[0], people[1], folder, case_id="")
    (made,) = workspace.create_reviews([undecided])
    assert made.file is not None and made.file.case_id == ""
    # The reviewer types their own name differently; the case is still open.
    sheets.write_ranges(gateway, made.file.file_id, {"reviewer": [["Ada L. (typed by hand)"]]}, what="person")
    fake_google.reset_counters()
    (rerun,) = workspace.create_reviews([peer_spec(people[0], people[1], folder, case_id="CASE-9")])
    assert rerun.header_written and not rerun.created
    values = sheets.read_ranges(gateway, made.file.file_id, ("case_id", "reviewer"), what="t")
    assert [v[0][0] for v in values] == ["CASE-9", "Ada L. (typed by hand)"]
    # one read, one write of the single empty cell, one retag so listing shows the case
    assert writes(fake_google) == Counter({"sheets.spreadsheets.values.batchUpdate": 1, "drive.files.update": 1})
    assert fake_google.store.files[made.file.file_id].appProperties["case"] == "CASE-9"
    assert workspace.fill_header(workspace.list_reviews(period=CYCLE)[0], rerun.spec.header) is False


def test_a_header_value_starting_with_equals_is_stored_as_text(
        workspace: GoogleWorkspace, gateway: Gateway) -> None:
    people = members()
    spec = peer_spec(people[0], people[1], workspace.ensure_folder(people[1]), case_id="=1+1")
    (made,) = workspace.create_reviews([spec])
    assert made.file is not None
    fid = made.file.file_id
    assert sheets.read_ranges(gateway, fid, ["case_id"], what="t", render="UNFORMATTED_VALUE") == [[["=1+1"]]]
    assert sheets.read_ranges(gateway, fid, ["case_id"], what="t", render="FORMULA") == [[["=1+1"]]]
    # The contrast: the same text written USER_ENTERED becomes a live formula.
    body = {"valueInputOption": "USER_ENTERED", "data": [{"range": "reviewer", "values": [["=1+1"]]}]}
    gateway.execute(gateway.sheets.spreadsheets().values().batchUpdate(spreadsheetId=fid, body=body),
                    what="t", target=fid)
    assert sheets.read_ranges(gateway, fid, ["reviewer"], what="t") == [[[2]]]


def test_docs_reviews_are_one_copy_and_one_replace_batch(workspace: GoogleWorkspace, fake_google: FakeGoogle,
                                                         gateway: Gateway) -> None:
    specs = ring(workspace, fmt="doc")
    fake_google.reset_counters()
    outcomes = workspace.create_reviews(specs)
    assert all(o.created and o.header_written and o.error is None for o in outcomes)
    assert dict(fake_google.counters) == {"docs.documents.get": 1, "drive.files.list": 1, "drive.files.copy": 4,
                                          "docs.documents.batchUpdate": 4}
    doc = gateway.execute(gateway.docs.documents().get(documentId=outcomes[0].file.file_id),  # type: ignore[union-attr]
                          what="t", target="d")
    from gworkspace_reviews.adapters.google import docs

    text = docs.full_text(doc)
    assert "Case ID: 4711" in text and f"Case owner: {specs[0].header.case_owner}" in text and "{{" not in text
    fake_google.reset_counters()
    workspace.create_reviews(specs)
    assert not writes(fake_google) and fake_google.counters["docs.documents.get"] == 4


def test_missing_named_ranges_and_placeholders_are_reported_before_any_copy(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway) -> None:
    bare = drive.create_file(gateway, name="bare", mime=drive.SHEET_MIME, parent=fake_google.seed["folder_id"],
                             what="t")
    sheets.batch_update(gateway, bare["id"], [{"addNamedRange": {"namedRange": {"name": "case_id", "range": {
        "sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 1, "endColumnIndex": 2}}}}],
        what="t")
    workspace.templates[("peer", "sheet")] = bare["id"]
    workspace.templates[("peer", "doc")] = fake_google.seed["template_doc_id"]  # the fake's empty document
    problems = workspace.check_templates([("peer", "sheet"), ("peer", "doc"), ("self", "sheet")])
    assert problems[0] == (f"templates.peer_sheet ({bare['id']}): the spreadsheet lacks the named range(s) "
                           "reviewer, case_owner, cycle, answers (add them under Data > Named ranges).")
    assert "{{case_id}}, {{reviewer}}, {{case_owner}}, {{cycle}}" in problems[1]
    assert "no rubric table whose header row reads Criterion | Answer | Comments" in problems[2]
    assert len(problems) == 3  # the default self template is fine
    people = members()
    fake_google.reset_counters()
    with pytest.raises(TemplateError, match="nothing was copied") as err:
        workspace.create_reviews([peer_spec(people[0], people[1], fake_google.seed["folder_id"])])
    assert err.value.exit_code == 2
    assert fake_google.counters["drive.files.copy"] == 0 and fake_google.counters["drive.files.list"] == 0


def test_one_failing_spec_gets_its_error_and_the_others_are_made(
        workspace: GoogleWorkspace, fake_google: FakeGoogle) -> None:
    specs = ring(workspace)
    broken = peer_spec(members()[0], members()[2], "1wrongFolderIdxxxxxxxxxx")
    outcomes = workspace.create_reviews([*specs[:2], broken, *specs[2:]])
    assert [o.created for o in outcomes] == [True, True, False, True, True]
    error = outcomes[2].error or ""
    assert "folder 1wrongFolderIdxxxxxxxxxx" in error
    assert f"not shared with {fake_google.seed['service_account']}" in error


def test_storage_quota_stops_the_run_and_says_both_fixes(workspace: GoogleWorkspace, fake_google: FakeGoogle,
                                                          gateway: Gateway) -> None:
    my_drive_folder = drive.create_file(gateway, name="Ada Lovelace", mime=drive.FOLDER_MIME, parent=None, what="t")
    people = members()
    fake_google.reset_counters()
    with pytest.raises(StorageQuotaError) as err:
        workspace.create_reviews([peer_spec(people[0], people[1], my_drive_folder["id"])])
    text = str(err.value)
    assert "Service accounts own no Drive storage" in text
    assert "shared drive" in text and "Content manager" in text and "google.subject" in text
    assert fake_google.counters["drive.files.copy"] == 1


def test_permission_denied_names_the_folder_and_the_account(workspace: GoogleWorkspace,
                                                             fake_google: FakeGoogle) -> None:
    sa = fake_google.seed["service_account"]
    fake_google.store.enforce_sharing = True
    # A shared drive where the service account may only read: it sees the folder but cannot add to it.
    fake_google.store.drives["0AreadOnly"] = SharedDrive("0AreadOnly", "Bob's drive", {sa: "reader"})
    folder = FileRecord(id="1readOnlyFolderxxxxxxxxxx", name="Bob Babbage", mimeType=drive.FOLDER_MIME,
                        parents=["0AreadOnly"], driveId="0AreadOnly")
    fake_google.store.files[folder.id] = folder
    people = members()
    (outcome,) = workspace.create_reviews([peer_spec(people[0], people[1], folder.id)])
    assert outcome.error is not None and outcome.file is None
    assert f"Share folder {folder.id}" in outcome.error and f"with {sa}" in outcome.error


def test_self_reviews_carry_the_slot_and_read_manager_answers(workspace: GoogleWorkspace, gateway: Gateway) -> None:
    ada = members()[0]
    folder = workspace.ensure_folder(ada)
    specs = [self_spec(ada, folder, slot="manager-pick"), self_spec(ada, folder, slot="own-pick", case_id="901")]
    outcomes = workspace.create_reviews(specs)
    assert all(o.created for o in outcomes)
    listed = workspace.list_reviews(kind="self", period="2022-01")
    assert sorted(f.key.slot for f in listed) == ["manager-pick", "own-pick"]
    assert workspace.list_reviews(kind="peer") == []
    assert len(workspace.list_reviews()) == 2


def test_a_cycle_listing_is_one_request_per_page_of_1000(workspace: GoogleWorkspace,
                                                         fake_google: FakeGoogle) -> None:
    store = fake_google.store
    with store.lock:
        for i in range(1001):
            rec = FileRecord(id=store.new_id("1"), name=CYCLE, mimeType=drive.SHEET_MIME,
                             parents=[fake_google.seed["folder_id"]], driveId=fake_google.seed["drive_id"],
                             modifiedTime=store.now(), appProperties={
                                 "kind": "peer", "period": CYCLE, "reviewer": f"r{i}@example.com",
                                 "owner": "ada@example.com"})
            store.files[rec.id] = rec
    fake_google.reset_counters()
    found = workspace.list_reviews(kind="peer", period=CYCLE)
    assert len(found) == 1001
    assert dict(fake_google.counters) == {"drive.files.list": 2}


def test_fill_header_on_a_document_replaces_only_placeholders_still_there(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway) -> None:
    people = members()
    spec = peer_spec(people[0], people[1], workspace.ensure_folder(people[1]), fmt="doc", case_id="")
    (made,) = workspace.create_reviews([spec])
    assert made.file is not None
    fake_google.reset_counters()
    header = Header("CASE-2", "Someone Else", "Other Owner", CYCLE)
    assert workspace.fill_header(made.file, header) is True
    from gworkspace_reviews.adapters.google import docs

    text = docs.full_text(docs.get_document(gateway, made.file.file_id, what="t"))
    assert "Case ID: CASE-2" in text and f"Reviewer: {people[0].name}" in text and "Someone Else" not in text
    assert writes(fake_google) == Counter({"docs.documents.batchUpdate": 1, "drive.files.update": 1})

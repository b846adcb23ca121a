"""Bad input, each through the CLI with the message a person needs: configuration problems exit 2 before
anything is written (the fake's write counters stay 0; the local workspace's bytes and mtimes are unchanged),
and junk typed into reviews is reported, never fatal, and written back RAW."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from tests.cli.people import fill_doc, fill_sheet, run, run_json
from tests.fakegoogle.fixtures import build_clients
from tests.reliability.checks import drive_reviews, writes
from tests.reliability.roster import CYCLES, make_google_roster

LONG = ("long comment " * 3847)[:49_997] + "end"  # 50,000 characters: the most one Sheets cell holds
JUNK = ["maybe", "=1+1", "Sí ✓ 日本語", LONG[:100], "yes", "no", "N/A", "y"]


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``root`` (review files, ledger, message log): its content hash and mtime.

    Not the manifest: it is only a cache of the files' tags, refreshed whenever a run lists the folders.
    """
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "manifest.json"}


# -- local: configuration problems --------------------------------------------------------------------------


@pytest.fixture()
def local_team(tmp_path: Path) -> Path:
    """The init sample after one weekly run, with two reviews filled in (one sheet, one document)."""
    assert run(tmp_path / "x.toml", "init", str(tmp_path / "demo")).exit_code == 0
    config = tmp_path / "demo" / "reviews.toml"
    code, data = run_json(config, "weekly", "--cycle", CYCLES[0])
    assert code == 0
    sheet = next(Path(r["location"]) for r in data["reviews"] if r["format"] == "sheet")
    doc = next(Path(r["location"]) for r in data["reviews"] if r["format"] == "doc")
    fill_sheet(sheet, ["yes"] * 8, ["a comment"])
    fill_doc(doc, ["no"] * 8)
    return config


def edit(config: Path, old: str, new: str) -> None:
    text = config.read_text()
    assert old in text, old
    config.write_text(text.replace(old, new, 1))


CONFIG_CASES = [
    ("malformed TOML", "[team]\n", "[team\n", ["reviews.toml", "not valid TOML"]),
    ("wrong type", "every_weeks = 2", 'every_weeks = "2"', ["cadence.every_weeks: must be an integer, got '2'"]),
    ("date as string", "kickoff = 2021-12-13", 'kickoff = "2021-12-13"',
     ["cadence.kickoff: must be a date (YYYY-MM-DD), got '2021-12-13'"]),
    ("unknown key", 'channel = "#customer-support-internal"', 'chanel = "#customer-support-internal"',
     ["team.chanel: unknown key; did you mean 'channel'?"]),
    ("unknown section", "[kr1]", "[slak]\n[kr1]", ["slak: unknown key; did you mean 'slack'?"]),
    ("unknown manager", 'manager = "noor.haddad@example.com"', 'manager = "noor@example.com"',
     ["members[0].manager: 'noor@example.com' is not among [[managers]]"]),
]


@pytest.mark.parametrize(("label", "old", "new", "messages"), CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_local_config_problems_exit_2_and_touch_nothing(
        local_team: Path, label: str, old: str, new: str, messages: list[str]) -> None:
    root = local_team.parent / "review-workspace"
    before = snapshot(root)
    edit(local_team, old, new)
    result = run(local_team, "weekly", "--cycle", CYCLES[1])
    assert result.exit_code == 2, result.output
    for message in messages:
        assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before


def test_local_broken_templates_and_case_export_exit_2_and_touch_nothing(local_team: Path) -> None:
    root = local_team.parent / "review-workspace"
    templates = local_team.parent / "templates"
    before = snapshot(root)
    good = (templates / "peer-review.xlsx").read_bytes()
    openpyxl.Workbook().save(templates / "peer-review.xlsx")  # no defined names at all
    result = run(local_team, "weekly", "--cycle", CYCLES[1])
    assert result.exit_code == 2
    assert "the templates do not follow the template contract (nothing was copied)" in result.stderr
    for name in ("case_id", "reviewer", "case_owner", "cycle", "answers"):
        assert f"peer-review.xlsx: defined name '{name}' is not defined (templates.peer_sheet)" in result.stderr
    assert snapshot(root) == before
    (templates / "peer-review.xlsx").write_bytes(good)

    cases = local_team.parent / "cases.csv"
    good_cases = cases.read_text()
    cases.write_text(good_cases.replace("owner_email", "assignee", 1))
    result = run(local_team, "weekly", "--cycle", CYCLES[1])
    assert result.exit_code == 2
    assert "cases.csv" in result.stderr and "no column 'owner_email'" in result.stderr
    assert "[cases.columns]" in result.stderr
    assert snapshot(root) == before

    # Bad rows are not a configuration problem: they are reported and the run goes on without them.
    lines = good_cases.splitlines()
    lines[1] = lines[1].rsplit(",", 2)[0] + ",last tuesday,2021-12-01"
    cases.write_text("\n".join(lines) + "\n")
    result = run(local_team, "weekly", "--cycle", CYCLES[1])
    assert result.exit_code == 0, result.output
    assert "note:" in result.output and "'last tuesday' is not a date" in result.output


# -- local: junk in the reviews -----------------------------------------------------------------------------


def as_text(path: Path, value: str) -> None:
    """Make the answer cell holding ``value`` a text cell, as Excel does for '=1+1 typed with an apostrophe."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == value:
                    cell.data_type = "s"
    wb.save(path)


def test_local_junk_in_rubric_cells_is_reported_and_rolled_up_raw(local_team: Path) -> None:
    code, data = run_json(local_team, "weekly", "--cycle", CYCLES[0])
    sheets = [Path(r["location"]) for r in data["reviews"] if r["format"] == "sheet"]
    doc = [Path(r["location"]) for r in data["reviews"] if r["format"] == "doc"][-1]
    junk, tidy = sheets[-1], sheets[-2]
    fill_sheet(junk, JUNK, [LONG, "x", "çà ✓ 🚀"])
    as_text(junk, "=1+1")
    fill_sheet(tidy, ["yes"] * 8, ["Ünïcødé comment 日本語"] * 8)
    fill_doc(doc, ["yes"] * 7 + ["¿quizás?"], [LONG])
    typed = {p: p.read_bytes() for p in (junk, tidy, doc)}
    code, status = run_json(local_team, "status", "--cycle", CYCLES[0])
    assert code == 0
    by_path = {Path(r["location"]).resolve(): r for r in status["reviews"]}
    assert by_path[junk.resolve()]["state"] == "invalid"
    assert by_path[junk.resolve()]["invalid"][:3] == ["maybe", "=1+1", "Sí ✓ 日本語"]
    assert by_path[tidy.resolve()]["state"] == "complete"
    assert by_path[doc.resolve()]["state"] == "invalid" and by_path[doc.resolve()]["invalid"] == ["¿quizás?"]
    text = run(local_team, "status", "--cycle", CYCLES[0]).output
    assert "invalid: maybe, =1+1, Sí ✓ 日本語" in text

    code, rollup = run_json(local_team, "--today", "2021-12-16", "rollup")
    assert code == 0
    raw = [str(v) for item in rollup["attention"] for v in item.values()]
    assert any("=1+1" in v for v in raw) and any("¿quizás?" in v for v in raw)
    location = Path(run(local_team, "--today", "2021-12-16", "rollup").output.split("written to ")[1].strip())
    wb = openpyxl.load_workbook(location)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert formulas == [], f"rollup cells became formulas: {formulas[:3]}"
    assert any(c.value == "=1+1" for c in cells), "the typed '=1+1' is kept as text"
    assert {p: p.read_bytes() for p in typed} == typed, "reading never rewrites what people typed"
    cells = [c.text for t in docx.Document(str(doc)).tables for r in t.rows for c in r.cells]
    assert LONG in cells, "the 50,000-character comment is intact"


# -- Google ---------------------------------------------------------------------------------------------------


@pytest.fixture()
def google_team(tmp_path: Path, fake_google: Any, google_key_file: Path, google_clients: Any) -> Path:
    """Four generated members on the fake."""
    return make_google_roster(tmp_path / "team", fake_google, google_key_file, google_clients.drive, 4)


def weekly_exits_2(config: Path, fake: Any, *messages: str) -> str:
    """Run weekly: exit 2, each message on stderr, and not one write request."""
    fake.reset_counters()
    result = run(config, "weekly", "--cycle", CYCLES[0])
    assert result.exit_code == 2, result.output
    for message in messages:
        assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert writes(fake) == {}, writes(fake)
    return result.stderr


def test_google_templates_without_named_ranges_or_placeholders_exit_2_before_any_copy(
        google_team: Path, fake_google: Any, google_clients: Any) -> None:
    text = google_team.read_text()
    ids = {k: text.split(f'{k} = "')[1].split('"')[0] for k in ("peer_sheet", "peer_doc")}
    folder = fake_google.seed["templates_folder_id"]
    drive, sheets, docs = google_clients.drive, google_clients.sheets, google_clients.docs
    broken_sheet = drive.files().copy(fileId=ids["peer_sheet"], body={"name": "broken", "parents": [folder]},
                                      supportsAllDrives=True).execute()["id"]
    ranges = sheets.spreadsheets().get(spreadsheetId=broken_sheet, fields="namedRanges").execute()["namedRanges"]
    gone = next(r for r in ranges if r["name"] == "reviewer")
    sheets.spreadsheets().batchUpdate(spreadsheetId=broken_sheet, body={"requests": [
        {"deleteNamedRange": {"namedRangeId": gone["namedRangeId"]}}]}).execute()
    broken_doc = drive.files().copy(fileId=ids["peer_doc"], body={"name": "broken", "parents": [folder]},
                                    supportsAllDrives=True).execute()["id"]
    docs.documents().batchUpdate(documentId=broken_doc, body={"requests": [{"replaceAllText": {
        "containsText": {"text": "{{case_owner}}", "matchCase": True}, "replaceText": "owner"}}]}).execute()
    google_team.write_text(text.replace(ids["peer_sheet"], broken_sheet).replace(ids["peer_doc"], broken_doc))
    weekly_exits_2(google_team, fake_google,
                   f"templates.peer_sheet ({broken_sheet}): the spreadsheet lacks the named range(s) reviewer",
                   f"templates.peer_doc ({broken_doc}): the document lacks the placeholder(s) {{{{case_owner}}}}",
                   "nothing was copied")
    assert drive_reviews(drive, CYCLES[0]) == []


def test_google_template_not_shared_with_the_service_account_exits_2(
        google_team: Path, fake_google: Any, google_key_file: Path) -> None:
    ada = build_clients(fake_google.base_url, google_key_file, subject="ada@example.com")
    private = ada.drive.files().create(body={"name": "Ada's template", "mimeType":
                                             "application/vnd.google-apps.spreadsheet"}, fields="id").execute()["id"]
    fake_google.store.enforce_sharing = True
    text = google_team.read_text()
    sheet_id = text.split('peer_sheet = "')[1].split('"')[0]
    google_team.write_text(text.replace(sheet_id, private))
    err = weekly_exits_2(google_team, fake_google, f"templates.peer_sheet ({private})", "nothing was copied")
    assert "reviews-bot@fake-project.iam.gserviceaccount.com" in err and "shar" in err


def test_google_credentials_missing_garbage_or_world_readable(
        google_team: Path, fake_google: Any, google_key_file: Path, tmp_path: Path) -> None:
    text = google_team.read_text()
    missing = tmp_path / "nowhere.json"
    google_team.write_text(text.replace(str(google_key_file), str(missing)))
    weekly_exits_2(google_team, fake_google, f"the service-account key file {missing} does not exist",
                   "Service accounts > Keys")
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"type": "service_account", "private_key": "-----BEGIN')
    garbage.chmod(0o600)
    google_team.write_text(text.replace(str(google_key_file), str(garbage)))
    err = weekly_exits_2(google_team, fake_google, f"{garbage} is not a JSON key file")
    assert "BEGIN" not in err, "key material is never echoed"
    not_a_key = tmp_path / "user.json"
    not_a_key.write_text('{"type": "authorized_user", "client_id": "x"}')
    not_a_key.chmod(0o600)
    google_team.write_text(text.replace(str(google_key_file), str(not_a_key)))
    weekly_exits_2(google_team, fake_google, "is a authorized_user credential, not a service-account key")

    exposed = tmp_path / "exposed.json"
    shutil.copy(google_key_file, exposed)
    os.chmod(exposed, 0o644)
    google_team.write_text(text.replace(str(google_key_file), str(exposed)))
    result = run(google_team, "weekly", "--cycle", CYCLES[0])
    assert result.exit_code == 0, result.output  # a warning, not a refusal
    assert f"service-account key file {exposed} is readable by group or others (mode 644)" in result.stderr
    assert f"chmod 600 {exposed}" in result.stderr


def test_google_junk_in_rubric_cells_is_reported_and_rolled_up_raw(
        google_team: Path, fake_google: Any, google_clients: Any) -> None:
    code, data = run_json(google_team, "weekly", "--cycle", CYCLES[0])
    sheet = next(r for r in data["reviews"] if r["format"] == "sheet")
    file_id = sheet["location"].split("/d/")[1].split("/")[0]
    rows = [[None, answer, comment] for answer, comment in
            zip(JUNK, [LONG, "=SUM(1,2)", "çà ✓ 🚀", "", "", "", "", ""], strict=True)]
    google_clients.sheets.spreadsheets().values().update(
        spreadsheetId=file_id, range="answers", valueInputOption="RAW", body={"values": rows}).execute()
    code, status = run_json(google_team, "status", "--cycle", CYCLES[0])
    assert code == 0
    mine = next(r for r in status["reviews"] if r["location"] == sheet["location"])
    assert mine["state"] == "invalid" and mine["invalid"][:3] == ["maybe", "=1+1", "Sí ✓ 日本語"]
    code, rollup = run_json(google_team, "--today", "2021-12-16", "rollup")
    assert code == 0
    assert any("=1+1" in str(v) for item in rollup["attention"] for v in item.values())
    text = google_team.read_text()
    rollup_id = text.split('rollup = "')[1].split('"')[0]
    meta = google_clients.sheets.spreadsheets().get(spreadsheetId=rollup_id).execute()
    titles = [s["properties"]["title"] for s in meta["sheets"] if s["properties"]["title"] != "_ledger"]
    formulas = google_clients.sheets.spreadsheets().values().batchGet(
        spreadsheetId=rollup_id, ranges=[f"'{t}'" for t in titles],
        valueRenderOption="UNFORMATTED_VALUE").execute()
    plain = [str(v) for vr in formulas["valueRanges"] for row in vr.get("values", []) for v in row]
    assert any("=1+1" in c for c in plain), "written RAW: the text stays text, never evaluated to 2"

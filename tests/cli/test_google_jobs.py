"""End to end through the CLI on the Google backend: real googleapiclient/gspread clients vs the loopback fake.

The config points `[google.endpoints]` at the fake and `[google] credentials` at a service-account key whose
token_uri is the fake's, so auth, Drive, Sheets and Docs all go over HTTP exactly as against Google.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gworkspace_reviews.config import load_config
from tests.cli.google_team import SPREADSHEET, make_google_team
from tests.cli.people import run, run_json


@pytest.fixture()
def google_team(tmp_path: Path, fake_google: Any, google_key_file: Path, google_clients: Any) -> Path:
    """The sample team moved to Google: templates created, folders synced, a rollup spreadsheet."""
    return make_google_team(tmp_path, fake_google, google_key_file, google_clients.drive)


def test_weekly_on_google_two_requests_per_review_and_rerun_writes_nothing(
        google_team: Path, fake_google: Any) -> None:
    fake_google.reset_counters()
    code, data = run_json(google_team, "weekly", "--cycle", "2021-12-13")
    assert code == 0, data
    assert [r["action"] for r in data["reviews"]] == ["created"] * 13
    counts = fake_google.counters
    assert counts["drive.files.copy"] == 13
    header_writes = counts["sheets.spreadsheets.values.batchUpdate"] + counts["docs.documents.batchUpdate"]
    assert header_writes == 13  # one header write per new review
    for review in data["reviews"]:
        assert review["location"].startswith("https://docs.google.com/")
    config = load_config(google_team)
    formats = Counter(config.member(r["owner"]).format for r in data["reviews"])  # type: ignore[union-attr]
    assert counts["docs.documents.batchUpdate"] == formats["doc"]

    fake_google.reset_counters()
    code, again = run_json(google_team, "weekly", "--cycle", "2021-12-13")
    assert code == 0 and {r["action"] for r in again["reviews"]} == {"exists"}
    writes = {k: v for k, v in fake_google.counters.items()
              if k.endswith((".copy", ".create", ".update", ".batchUpdate", ".append", ".clear"))}
    assert writes == {}, writes


def test_status_and_rollup_on_google(google_team: Path, fake_google: Any, google_clients: Any) -> None:
    code, data = run_json(google_team, "weekly", "--cycle", "2021-12-13")
    sheet = next(r for r in data["reviews"] if r["format"] == "sheet")
    file_id = sheet["location"].split("/d/")[1].split("/")[0]
    google_clients.sheets.spreadsheets().values().update(
        spreadsheetId=file_id, range="answers", valueInputOption="RAW",
        body={"values": [[None, "Yes", "=1+1"], [None, "n", ""], [None, "N/A", ""]]}).execute()
    code, status = run_json(google_team, "status", "--cycle", "2021-12-13")
    states = {r["location"]: r["state"] for r in status["reviews"]}
    assert states[sheet["location"]] == "in_progress"
    assert Counter(states.values())["not_started"] == 12

    code, rollup = run_json(google_team, "--today", "2021-12-16", "rollup")
    assert code == 0, rollup
    latest = rollup["tests"][-1]
    assert latest["date"] == "2021-12-16" and (latest["yes"], latest["no"], latest["na"]) == (1, 1, 1)
    fake_google.reset_counters()
    code, again = run_json(google_team, "--today", "2021-12-16", "rollup")
    assert code == 0 and again["tests"] == rollup["tests"]
    reads = {k: v for k, v in fake_google.counters.items() if k in (
        "sheets.spreadsheets.values.batchGet", "docs.documents.get")}
    assert reads == {}, "nothing changed, so no review file is read again"


def test_per_person_detail_goes_only_to_that_managers_spreadsheet(
        google_team: Path, fake_google: Any, google_clients: Any) -> None:
    manager = load_config(google_team).managers[0].email
    run_json(google_team, "weekly", "--cycle", "2021-12-13")
    result = run(google_team, "--today", "2021-12-16", "rollup", "--per-person-for", manager)
    assert result.exit_code == 2 and "[workspace.per_person]" in result.output
    own = google_clients.drive.files().create(
        body={"name": "My reports", "mimeType": SPREADSHEET, "parents": [fake_google.seed["folder_id"]]},
        supportsAllDrives=True, fields="id").execute()["id"]
    google_team.write_text(google_team.read_text().replace(
        "[google]\n", f'[workspace.per_person]\n"{manager}" = "{own}"\n\n[google]\n', 1))
    result = run(google_team, "--today", "2021-12-16", "rollup", "--per-person-for", manager)
    assert result.exit_code == 0, result.output
    tabs = google_clients.sheets.spreadsheets().get(spreadsheetId=own).execute()["sheets"]
    assert tabs, "the manager's own spreadsheet got the per-person tabs"


def _pairs(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(r["reviewer"], r["owner"]) for r in data["reviews"]}


def test_consecutive_cycles_off_weeks_and_away_on_google(google_team: Path) -> None:
    seen: list[set[tuple[str, str]]] = []
    for cycle, off in (("2021-12-13", "2021-12-20"), ("2021-12-27", "2022-01-03"), ("2022-01-10", None)):
        code, data = run_json(google_team, "weekly", "--cycle", cycle)
        assert code == 0, data
        pairs = _pairs(data)
        assert all(r != o for r, o in pairs) and not any((o, r) in pairs for r, o in pairs)
        assert not any(pairs & past for past in seen)
        seen.append(pairs)
        assert len(pairs) == (12 if cycle == "2021-12-27" else 13)  # the sample's holiday on 2021-12-27
        if off:
            code, skipped = run_json(google_team, "weekly", "--cycle", off)
            assert code == 0 and skipped["due"] is False and skipped["reviews"] == []
    code, draw = run_json(google_team, "draw", "--cycle", "2021-12-27")
    assert draw["recorded"] and "holiday" in draw["excluded"][0]["reason"]


def test_monthly_set_case_and_swap_on_google(google_team: Path, fake_google: Any, google_clients: Any) -> None:
    _, weekly = run_json(google_team, "weekly", "--cycle", "2021-12-13")
    code, data = run_json(google_team, "monthly", "--month", "2021-12")
    assert code == 0, data
    assert Counter(r["owner"] for r in data["reviews"]).most_common()[-1][1] == 2
    names = {f["name"] for f in google_clients.drive.files().list(
        q="appProperties has { key='kind' and value='self' }", corpora="allDrives", includeItemsFromAllDrives=True,
        supportsAllDrives=True, pageSize=1000, fields="files(name)").execute()["files"]}
    assert names == {"2021-12 self-review 1 (manager's pick)", "2021-12 self-review 2 (your pick)"}
    peer_cases = {(r["owner"], r["case_id"]) for r in weekly["reviews"]}
    for pick in (r for r in data["reviews"] if r["slot"] == "manager-pick"):
        assert pick["case_id"] and (pick["owner"], pick["case_id"]) not in peer_cases
    code, again = run_json(google_team, "monthly", "--month", "2021-12")
    assert {r["action"] for r in again["reviews"]} == {"exists"}

    review = weekly["reviews"][0]
    result = run(google_team, "set-case", review["owner"], "CASE-99", "--cycle", "2021-12-13")
    assert result.exit_code == 0, result.output
    _, status = run_json(google_team, "status", "--cycle", "2021-12-13")
    assert next(r for r in status["reviews"] if r["owner"] == review["owner"])["case_id"] == "CASE-99"

    other = next(r for r in weekly["reviews"]
                 if review["reviewer"] not in (r["reviewer"], r["owner"]) and review["owner"] != r["reviewer"])
    fake_google.reset_counters()
    result = run(google_team, "swap", review["reviewer"], other["reviewer"], "--cycle", "2021-12-13", "--yes")
    assert result.exit_code == 0, result.output
    assert fake_google.counters["drive.files.copy"] == 0  # untouched files are re-tagged, never copied
    _, draw = run_json(google_team, "draw", "--cycle", "2021-12-13")
    _, status = run_json(google_team, "status", "--cycle", "2021-12-13")
    assert {(a["reviewer"], a["owner"]) for a in draw["assignments"]} == _pairs(status)
    assert (other["reviewer"], review["owner"]) in _pairs(status)


def test_partial_failure_on_google_names_the_owner_and_the_rerun_completes(
        google_team: Path, google_clients: Any) -> None:
    config = load_config(google_team)
    victim = config.members[7]
    drive = google_clients.drive
    folder = drive.files().list(q=f"name = '{victim.name}' and mimeType = 'application/vnd.google-apps.folder'",
                                corpora="allDrives", includeItemsFromAllDrives=True, supportsAllDrives=True,
                                fields="files(id)").execute()["files"][0]["id"]
    drive.files().update(fileId=folder, body={"trashed": True}, supportsAllDrives=True).execute()
    result = run(google_team, "weekly", "--cycle", "2021-12-13")
    assert result.exit_code == 1
    assert victim.email in result.output and "folders sync" in result.output
    code, data = run_json(google_team, "status", "--cycle", "2021-12-13")
    assert len(data["reviews"]) == 12
    assert run(google_team, "folders", "sync").exit_code == 0
    code, again = run_json(google_team, "weekly", "--cycle", "2021-12-13")
    assert code == 0 and [r["action"] for r in again["reviews"]].count("created") == 1


def test_remind_on_google_tells_the_owner_once(google_team: Path, google_clients: Any) -> None:
    _, weekly = run_json(google_team, "weekly", "--cycle", "2021-12-13")
    review = next(r for r in weekly["reviews"] if r["format"] == "sheet")
    file_id = review["location"].split("/d/")[1].split("/")[0]
    google_clients.sheets.spreadsheets().values().batchUpdate(spreadsheetId=file_id, body={
        "valueInputOption": "RAW",
        "data": [{"range": "answers", "values": [[None, "Yes", "good"]] * 8},
                 {"range": "case_id", "values": [["CASE-1"]]}]}).execute()
    keys = []
    for _ in range(2):
        code, data = run_json(google_team, "--today", "2021-12-15", "remind")
        assert code == 0, data
        keys += [m["key"] for m in data["messages"]]
    assert sum(k.startswith("done:peer:") for k in keys) == 1
    log = (google_team.parent / ".gworkspace-reviews" / "messages.log").read_text()
    assert log.count("finished the peer review") == 1 and review["location"] in log

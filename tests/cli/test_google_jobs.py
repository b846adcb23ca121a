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

"""What the reliability suites check in the workspace, read back through the real clients (or from disk)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import openpyxl

from tests.cli.people import run
from tests.fakegoogle.server import FakeGoogle

SHEET = "application/vnd.google-apps.spreadsheet"
HEADER_RANGES = ("case_id", "reviewer", "case_owner", "cycle")
WRITE_SUFFIXES = (".copy", ".create", ".update", ".batchUpdate", ".append", ".clear", ".delete")


def writes(fake: FakeGoogle) -> dict[str, int]:
    """The fake's counted write requests (the token grant is not a write)."""
    return {k: v for k, v in fake.counters.items() if k.endswith(WRITE_SUFFIXES)}


def drive_reviews(drive: Any, period: str) -> list[dict[str, Any]]:
    """Every (untrashed) file tagged with ``period``, listed with the real Drive client, all pages."""
    files: list[dict[str, Any]] = []
    token = None
    while True:
        page = drive.files().list(
            q=f"appProperties has {{ key='period' and value='{period}' }} and trashed = false",
            fields="nextPageToken, files(id, name, mimeType, parents, appProperties)", pageSize=100,
            supportsAllDrives=True, includeItemsFromAllDrives=True, corpora="allDrives",
            pageToken=token).execute()
        files.extend(page.get("files", []))
        token = page.get("nextPageToken")
        if not token:
            return files


def recorded_draw(config: Path, cycle: str) -> list[tuple[str, str]]:
    """The cycle's recorded draw as (reviewer, owner) pairs, through `draw --json`."""
    result = run(config, "draw", "--cycle", cycle, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return sorted((a["reviewer"], a["owner"]) for a in data["assignments"])


def assert_one_file_per_assignment(drive: Any, period: str, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Exactly one tagged file per drawn pair, and no other file for the cycle; returns the files."""
    files = drive_reviews(drive, period)
    seen = Counter((f["appProperties"]["reviewer"], f["appProperties"]["owner"]) for f in files)
    duplicates = {pair: n for pair, n in seen.items() if n > 1}
    assert not duplicates, f"duplicate review files: {duplicates}"
    assert sorted(seen) == sorted(pairs), (sorted(set(seen) ^ set(pairs)))
    return files


def google_header(clients: Any, item: dict[str, Any]) -> dict[str, str] | str:
    """A sheet's header cells (named ranges), or a document's whole text."""
    if item["mimeType"] == SHEET:
        got = clients.sheets.spreadsheets().values().batchGet(
            spreadsheetId=item["id"], ranges=list(HEADER_RANGES), valueRenderOption="UNFORMATTED_VALUE").execute()
        cells = [r.get("values", [[""]])[0][0] if r.get("values") else "" for r in got["valueRanges"]]
        return dict(zip(HEADER_RANGES, (str(c) for c in cells), strict=True))
    doc = clients.docs.documents().get(documentId=item["id"]).execute()
    parts = []
    for element in doc["body"]["content"]:
        for run_ in element.get("paragraph", {}).get("elements", []):
            parts.append(run_.get("textRun", {}).get("content", ""))
    return "".join(parts)


def assert_headers(clients: Any, files: list[dict[str, Any]], expected: dict[tuple[str, str], dict[str, str]]) -> None:
    """Every file's header holds exactly the expected values (docs: each value present, no placeholder left)."""
    wrong = []
    for item in files:
        props = item["appProperties"]
        want = expected[(props["reviewer"], props["owner"])]
        got = google_header(clients, item)
        if isinstance(got, dict):
            if got != want:
                wrong.append((item["name"], props["owner"], got, want))
        elif "{{" in got or any(v not in got for v in want.values()):
            wrong.append((item["name"], props["owner"], got[:300], want))
    assert not wrong, f"{len(wrong)} wrong header(s), e.g. {wrong[:2]}"


def local_review_files(root: Path) -> list[Path]:
    """Every review file (.xlsx/.docx, not dot-files) in the members' folders."""
    return sorted(p for p in root.glob("*/*") if p.suffix in (".xlsx", ".docx") and not p.name.startswith("."))


def open_review(path: Path) -> Any:
    """Open a local review file with openpyxl or python-docx (raises when it is half-written)."""
    if path.suffix == ".xlsx":
        return openpyxl.load_workbook(path)
    return docx.Document(str(path))

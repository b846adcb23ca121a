"""The fake's measured conditions (latency, Sheets/Docs per-user quotas) and the people who answer reviews."""

from __future__ import annotations

from bench.team import CYCLE, SPREADSHEET, Team
from bench.virtual_time import VirtualTime
from tests.fakegoogle.fixtures import GoogleClients, build_clients

PER_MINUTE = 60  # Sheets: 60 read and 60 write requests per minute per user; Docs: 60 writes


def realistic(team: Team, vt: VirtualTime, latency_ms: float) -> None:
    """Latency on every request and the per-user quotas, their minute lasting ``vt.minute_s()``."""
    fake = team.fake
    fake.latency_s = latency_ms / 1000
    fake.quotas.clear()
    fake.quota(PER_MINUTE, vt.minute_s(), "sheets.", kind="read")
    fake.quota(PER_MINUTE, vt.minute_s(), "sheets.", kind="write")
    fake.quota(PER_MINUTE, vt.minute_s(), "docs.", kind="write")


def unmeasured(team: Team) -> None:
    """No latency, no quota (setup and simulated people)."""
    team.fake.latency_s = 0.0
    team.fake.quotas.clear()


def _clients(team: Team) -> GoogleClients:
    # Fresh clients: the fake closes connections idle for 60 s, and httplib2 does not reconnect.
    return build_clients(team.fake.base_url, team.key)


def review_sheets(team: Team) -> list[str]:
    """Ids of the cycle's review spreadsheets (any name-based search; not part of a measurement)."""
    drive = _clients(team).drive
    ids: list[str] = []
    token = None
    while True:
        page = drive.files().list(q=f"name = '{CYCLE}' and mimeType = '{SPREADSHEET}'",
                                  fields="nextPageToken,files(id)", pageSize=1000, pageToken=token,
                                  supportsAllDrives=True, includeItemsFromAllDrives=True,
                                  corpora="allDrives").execute()
        ids += [f["id"] for f in page["files"]]
        token = page.get("nextPageToken")
        if not token:
            return sorted(ids)


def answer(team: Team, file_ids: list[str], answers: tuple[str, ...] = ("Yes", "Yes", "No")) -> None:
    """Reviewers type answers into these files (every change moves the file's modifiedTime)."""
    values = _clients(team).sheets.spreadsheets().values()
    for i, file_id in enumerate(file_ids):
        rows = [[None, answers[(i + r) % len(answers)], f"comment {r}"] for r in range(3)]
        values.update(spreadsheetId=file_id, range="answers", valueInputOption="RAW",
                      body={"values": rows}).execute()

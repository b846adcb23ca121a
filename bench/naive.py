"""The straightforward gspread script people write first, doing the same job for the same team.

Weekly: one Drive listing of the member folders, then for each assignment of the same draw
``gc.copy(template, title=cycle, folder_id=owner's folder)`` (files.copy, then gspread's open_by_key and
copy_comments' comments.list), ``sh.sheet1`` and one ``update_acell`` per header cell (B4:B7 of the template's
"Review" tab). Rollup: ``gc.list_spreadsheet_files(title=cycle)``, then for each file ``open_by_key``,
``worksheets()`` and ``get_all_values()`` per worksheet. Sequential, as such scripts are. On 429 it backs off
like gspread's own BackOffHTTPClient (2, 4, 8 ... s, capped at 128 s), in the same time-scaled seconds as
the quota. It writes no tags, no ledger and no rollup, and a rerun would copy every file again.
"""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

import gspread
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.urls import DRIVE_FILES_API_V3_URL

from bench.counting import Phase, measure
from bench.team import CYCLE, Team, member_email, member_name
from bench.virtual_time import VirtualTime
from gworkspace_reviews.config import load_config
from gworkspace_reviews.domain.draw import draw_cycle
from tests.fakegoogle.fixtures import routed_session

HEADER_CELLS = ("B4", "B5", "B6", "B7")  # case_id, reviewer, case_owner, cycle in the template's layout
FOLDER_MIME = "application/vnd.google-apps.folder"


def backoff_client(vt: VirtualTime) -> type[HTTPClient]:
    """gspread's BackOffHTTPClient policy (retry 408/429/5xx/403 usageLimits, wait 2**n s up to 128 s)
    with its waits in the bench's virtual seconds."""

    class ScaledBackOff(HTTPClient):
        def request(self, *args: Any, **kwargs: Any) -> Any:
            wait = 2
            while True:
                try:
                    return super().request(*args, **kwargs)
                except APIError as err:
                    usage = err.code == 403 and (err.error.get("errors") or [{}])[0].get("domain") == "usageLimits"
                    if not (usage or err.code in (408, 429) or err.code >= 500) or wait > 128:
                        raise
                    vt.sleep(wait)
                    wait *= 2

    return ScaledBackOff


def client(team: Team, vt: VirtualTime) -> gspread.Client:
    """A gspread client acting as the service account, its Google hosts routed to the fake."""
    creds = team.clients.credentials
    return gspread.Client(auth=creds, session=routed_session(team.fake.base_url, creds),
                          http_client=backoff_client(vt))


def _cases(team: Team) -> dict[str, str]:
    with (team.config.parent / "cases.csv").open() as f:
        return {row["owner_email"]: row["id"] for row in csv.DictReader(f)}


def weekly(team: Team, vt: VirtualTime) -> Phase:
    """Provision the cycle's peer reviews the naive way."""
    config = load_config(team.config)
    draw = draw_cycle(list(config.members), date.fromisoformat(CYCLE), team=config.team.name)
    cases = _cases(team)
    names = {member_email(i): member_name(i) for i in range(team.size)}
    gc = client(team, vt)
    template = team.templates["peer_sheet"]
    with measure(team.fake, "naive weekly") as phase:
        folders: dict[str, str] = {}
        token = ""
        while token is not None:
            reply = gc.http_client.request("get", DRIVE_FILES_API_V3_URL, params={
                "q": f"'{config.workspace.root}' in parents and mimeType = '{FOLDER_MIME}'",
                "pageSize": 1000, "pageToken": token, "fields": "nextPageToken,files(id,name)",
                "supportsAllDrives": True, "includeItemsFromAllDrives": True}).json()
            folders.update({f["name"]: f["id"] for f in reply["files"]})
            token = reply.get("nextPageToken")
        for a in draw.assignments:
            sh = gc.copy(template, title=CYCLE, folder_id=folders[names[a.owner]])
            ws = sh.sheet1
            for cell, value in zip(HEADER_CELLS, (cases[a.owner], names[a.reviewer], names[a.owner], CYCLE),
                                   strict=True):
                ws.update_acell(cell, value)
    phase.notes["created"] = len(draw.assignments)
    return phase


def rollup(team: Team, vt: VirtualTime) -> Phase:
    """Read every review the naive way (every run reads everything again)."""
    gc = client(team, vt)
    with measure(team.fake, "naive rollup") as phase:
        files = gc.list_spreadsheet_files(title=CYCLE)
        cells = 0
        for f in files:
            sh = gc.open_by_key(f["id"])
            for ws in sh.worksheets():
                cells += sum(len(r) for r in ws.get_all_values())
    phase.notes["files"] = len(files)
    phase.notes["cells"] = cells
    return phase

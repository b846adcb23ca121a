"""A generated team of N members on a fresh loopback fake Google, set up through the CLI as an admin would.

Setup (templates create, folders sync, a rollup spreadsheet) runs with no latency and no quota: it is not
what the bench measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from gworkspace_reviews.cli import cli
from tests.fakegoogle.fixtures import GoogleClients, build_clients, google_client_options
from tests.fakegoogle.server import FakeGoogle

SPREADSHEET = "application/vnd.google-apps.spreadsheet"
CYCLE = "2021-12-13"  # the kickoff Monday: the first cycle of the cadence below


def member_email(i: int) -> str:
    """Generated member ``i``'s email."""
    return f"engineer{i:04d}@example.com"


def member_name(i: int) -> str:
    """Generated member ``i``'s name (also the name of their Drive folder)."""
    return f"Engineer {i:04d}"


def _roster(n: int) -> str:
    managers = max(1, n // 10)
    parts = [f'[[managers]]\nname = "Manager {j:03d}"\nemail = "manager{j:03d}@example.com"\n'
             for j in range(managers)]
    parts += [f'[[members]]\nname = "{member_name(i)}"\nemail = "{member_email(i)}"\n'
              f'manager = "manager{i % managers:03d}@example.com"\n' for i in range(n)]
    return "\n".join(parts)


def _cases(n: int) -> str:
    rows = ["id,owner_email,status,solved_at,updated_at"]
    rows += [f"{70000 + i},{member_email(i)},open,,2021-12-01" for i in range(n)]
    return "\n".join(rows) + "\n"


def _config(fake: FakeGoogle, key: Path, root: str, rollup: str, templates: dict[str, str], n: int) -> str:
    opts = google_client_options(fake.base_url)
    tpl = "".join(f'{k} = "{v}"\n' for k, v in sorted(templates.items()))
    return (f'[team]\nname = "Bench Team {n}"\ntimezone = "UTC"\nchannel = "#reviews"\n\n'
            "[cadence]\nkickoff = 2021-12-13\nevery_weeks = 2\nweekly_from = 2022-01-24\navoid_repeats = 4\n\n"
            "[kr1]\ntarget = 0.95\nfirst_test = 2021-12-09\n\n"
            f'[workspace]\nbackend = "google"\nroot = "{root}"\nrollup = "{rollup}"\n\n'
            f"[templates]\n{tpl}\n"
            '[cases]\nexport = "cases.csv"\n\n'
            # The [google] defaults (workers, requests_per_minute, retry caps) are what is measured.
            f'[google]\ncredentials = "{key}"\n'
            f'[google.endpoints]\ndrive = "{opts["drive"]["api_endpoint"]}"\n'
            f'sheets = "{opts["sheets"]["api_endpoint"]}"\ndocs = "{opts["docs"]["api_endpoint"]}"\n\n'
            + _roster(n))


@dataclass
class Team:
    """A started fake with a team of ``size`` set up on it."""

    size: int
    fake: FakeGoogle
    config: Path
    key: Path
    clients: GoogleClients
    folders: dict[str, str]  # member email -> folder id
    templates: dict[str, str]  # config key (peer_sheet, ...) -> file id

    def stop(self) -> None:
        """Stop the fake."""
        self.fake.stop()


def _cli(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"setup: `{' '.join(args)}` exited {result.exit_code}:\n{result.output}")
    return result.output


def make_team(directory: Path, size: int) -> Team:
    """Start a fake Google, write reviews.toml for ``size`` members, create templates, sync folders."""
    directory.mkdir(parents=True, exist_ok=True)
    fake = FakeGoogle()
    fake.start(0)
    seed = fake.seed_workspace()
    fake.service_account_mode = True
    key = Path(fake.make_service_account_key(directory / "service-account.json"))
    clients = build_clients(fake.base_url, key)
    rollup = clients.drive.files().create(
        body={"name": "KR1 rollup", "mimeType": SPREADSHEET, "parents": [seed["folder_id"]]},
        supportsAllDrives=True, fields="id").execute()["id"]
    (directory / "cases.csv").write_text(_cases(size))
    config = directory / "reviews.toml"
    first = {"peer_sheet": seed["template_sheet_id"], "self_sheet": seed["template_sheet_id"]}
    config.write_text(_config(fake, key, seed["folder_id"], rollup, first, size))
    made = _cli(config, "templates", "create", "--folder", seed["templates_folder_id"])
    templates = dict(re.findall(r'^(\w+_(?:sheet|doc)) = "([^"]+)"$', made, re.M))
    config.write_text(_config(fake, key, seed["folder_id"], rollup, templates, size))
    _cli(config, "folders", "sync")
    listed = clients.drive.files().list(
        q=f"'{seed['folder_id']}' in parents and mimeType = 'application/vnd.google-apps.folder'",
        fields="nextPageToken,files(id,name)", pageSize=1000, supportsAllDrives=True,
        includeItemsFromAllDrives=True, corpora="allDrives").execute()
    by_name = {f["name"]: f["id"] for f in listed["files"]}
    token = listed.get("nextPageToken")
    while token:
        page = clients.drive.files().list(
            q=f"'{seed['folder_id']}' in parents and mimeType = 'application/vnd.google-apps.folder'",
            fields="nextPageToken,files(id,name)", pageSize=1000, pageToken=token, supportsAllDrives=True,
            includeItemsFromAllDrives=True, corpora="allDrives").execute()
        by_name.update({f["name"]: f["id"] for f in page["files"]})
        token = page.get("nextPageToken")
    folders = {member_email(i): by_name[member_name(i)] for i in range(size)}
    return Team(size, fake, config, key, clients, folders, templates)

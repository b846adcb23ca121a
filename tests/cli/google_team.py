"""Set up the sample team on the fake Google through the CLI, as an admin would (templates, folders, config)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.cli.people import run
from tests.fakegoogle.fixtures import google_client_options

SPREADSHEET = "application/vnd.google-apps.spreadsheet"


def _google_section(fake: Any, key: Path) -> str:
    opts = google_client_options(fake.base_url)
    # No client-side quota wait: the limiter has its own tests (tests/google); here it would only add real time.
    return (f'\n[google]\ncredentials = "{key}"\nworkers = 2\nrequests_per_minute = 100000\n'
            f'[google.endpoints]\n'
            f'drive = "{opts["drive"]["api_endpoint"]}"\nsheets = "{opts["sheets"]["api_endpoint"]}"\n'
            f'docs = "{opts["docs"]["api_endpoint"]}"\n')


def _set_section(text: str, name: str, body: str) -> str:
    start = re.search(rf"^\[{name}\]$", text, re.M).start()  # type: ignore[union-attr]
    end = text.index("\n[", start + 1)
    return text[:start] + f"[{name}]\n{body}" + text[end:]


def make_google_team(tmp_path: Path, fake_google: Any, key_file: Path, drive: Any) -> Path:
    """The `init` sample team moved to the fake Google: templates created, folders synced, a rollup sheet."""
    assert run(tmp_path / "x.toml", "init", str(tmp_path / "demo")).exit_code == 0
    config = tmp_path / "demo" / "reviews.toml"
    seed = fake_google.seed
    rollup = drive.files().create(
        body={"name": "KR1 rollup", "mimeType": SPREADSHEET, "parents": [seed["folder_id"]]},
        supportsAllDrives=True, fields="id").execute()["id"]
    text = config.read_text()
    text = _set_section(text, "workspace", f'backend = "google"\nroot = "{seed["folder_id"]}"\n'
                                           f'rollup = "{rollup}"\n')
    text = _set_section(text, "templates", f'peer_sheet = "{seed["template_sheet_id"]}"\n'
                                           f'self_sheet = "{seed["template_sheet_id"]}"\n')
    config.write_text(text + _google_section(fake_google, key_file))
    made = run(config, "templates", "create", "--folder", seed["templates_folder_id"])
    assert made.exit_code == 0, made.output
    ids = dict(re.findall(r'^(\w+_(?:sheet|doc)) = "([^"]+)"$', made.output, re.M))
    assert set(ids) == {"peer_sheet", "peer_doc", "self_sheet", "self_doc"}
    config.write_text(_set_section(config.read_text(), "templates",
                                   "".join(f'{k} = "{v}"\n' for k, v in sorted(ids.items()))))
    synced = run(config, "folders", "sync")
    assert synced.exit_code == 0 and synced.output.count("created") == 13, synced.output
    return config

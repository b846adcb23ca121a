"""Regressions: bugs the reliability suites found in the application, fixed; each test failed before its fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.people import run
from tests.reliability.checks import writes
from tests.reliability.roster import CYCLES, make_google_roster


@pytest.fixture()
def google_team(tmp_path: Path, fake_google: Any, google_key_file: Path, google_clients: Any) -> Path:
    """Four generated members on the fake, two attempts per request."""
    return make_google_roster(tmp_path / "team", fake_google, google_key_file, google_clients.drive, 4,
                              max_attempts=2)


def test_google_outage_during_the_template_check_is_not_reported_as_a_broken_template(
        google_team: Path, fake_google: Any) -> None:
    # An outage during the template check was once reported as a broken template (exit 2, "fix your config").
    fake_google.faults.configure(1.0, ["503"], methods_prefix="sheets.spreadsheets.get")
    result = run(google_team, "weekly", "--cycle", CYCLES[0])
    assert "Google kept failing" in result.stderr
    assert "do not follow the template contract" not in result.stderr
    assert result.exit_code == 1  # run again later; nothing to fix in the config


@pytest.mark.parametrize("root", ["1doesnotexist", "shared-with-someone-else"])
def test_a_wrong_or_unshared_workspace_root_exits_2_naming_it_before_any_write(
        google_team: Path, fake_google: Any, google_key_file: Path, root: str) -> None:
    # A files.list under an unknown (or unshared) parent is simply empty: without the root check every review
    # failed with "no folder named ... run folders sync" (exit 1), after the draw was recorded and announced.
    if root != "1doesnotexist":
        from tests.fakegoogle.fixtures import build_clients

        ada = build_clients(fake_google.base_url, google_key_file, subject="ada@example.com")
        root = ada.drive.files().create(body={"name": "Ada's folder", "mimeType":
                                              "application/vnd.google-apps.folder"}, fields="id").execute()["id"]
        fake_google.store.enforce_sharing = True
    text = google_team.read_text()
    google_team.write_text(text.replace(fake_google.seed["folder_id"], root, 1))
    fake_google.reset_counters()
    result = run(google_team, "weekly", "--cycle", CYCLES[0])
    assert result.exit_code == 2, result.output
    assert "workspace.root" in result.stderr and root in result.stderr
    assert writes(fake_google) == {}, writes(fake_google)


def test_python_dash_m_cli_runs_the_cli() -> None:
    # Without the `__main__` guard this printed nothing and exited 0.
    done = subprocess.run([sys.executable, "-m", "gworkspace_reviews.cli", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert "gworkspace-reviews, version" in done.stdout

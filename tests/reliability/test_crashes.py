"""The weekly job killed with SIGKILL mid-run (Google and local backends), then run again.

Google: the fake serves the job's k-th request, then the child is killed before the answer leaves (the
request took effect, the job never learnt it did), for k every 3rd request across a whole run. Local: the
child kills itself right after its n-th file-system write step (a synced temp file, a link into place, a
rename, a ledger append), for every n across a run.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gworkspace_reviews.adapters.local.ledger import LocalLedger
from gworkspace_reviews.adapters.notify_log import LogNotifier
from gworkspace_reviews.services.draw_record import draw_key
from tests.cli.people import doc_text, header_cells, run, run_json
from tests.reliability.checks import assert_headers, assert_one_file_per_assignment, local_review_files, open_review
from tests.reliability.crash import run_killed, start
from tests.reliability.roster import CYCLES, expected_header, make_google_roster

CRASH_SITE = Path(__file__).parent / "crashsite"

MEMBERS = 6


def messages_once(log: Path, cycle: str, reviewers: set[str]) -> None:
    """The cycle's announcement is in the log exactly once, and each reviewer's direct message once."""
    sent = LogNotifier(log).read()
    announced = [m for m in sent if m.text.startswith(f"*Peer reviews for the cycle of {cycle}*")]
    assert len(announced) == 1, f"{len(announced)} announcements of {cycle}"
    dms = Counter(m.target for m in sent if m.text.startswith(f"This cycle ({cycle}) you review"))
    assert dms == dict.fromkeys(reviewers, 1), dms


@pytest.fixture()
def google_team(tmp_path: Path, fake_google: Any, google_key_file: Path, google_clients: Any) -> Path:
    """8 generated members on the fake (two workers, as in production: requests interleave)."""
    return make_google_roster(tmp_path / "team", fake_google, google_key_file, google_clients.drive, MEMBERS,
                              workers=2, max_attempts=3)


def test_weekly_killed_after_request_k_then_rerun_leaves_one_file_each_headers_and_one_announcement(
        google_team: Path, fake_google: Any, google_clients: Any) -> None:
    log = google_team.parent / ".gworkspace-reviews" / "messages.log"
    # A whole run first, to measure how many requests one makes (the first cycle also adds the ledger tab).
    hook, code, err = run_killed(fake_google, google_team, 10**9, "weekly", "--cycle", CYCLES[0])
    assert code == 0, err
    total = hook.seen
    assert total >= 2 * MEMBERS
    # Later cycles make the same requests but the ledger tab's creation (the one spreadsheets.batchUpdate).
    steady = [m for m in hook.methods if m != "sheets.spreadsheets.batchUpdate"]
    ledger_writes = {i + 1 for i, m in enumerate(steady) if m == "sheets.spreadsheets.values.append"}
    ks = sorted(set(range(1, len(steady) + 1, 3)) | ledger_writes)
    killed_at: Counter[str] = Counter()
    for k, cycle in zip(ks, CYCLES[1:], strict=False):
        hook, code, err = run_killed(fake_google, google_team, k, "weekly", "--cycle", cycle)
        if hook.killed_at is not None:
            assert code == -9, (k, code, err)
            killed_at[hook.killed_at] += 1
        code, data = run_json(google_team, "weekly", "--cycle", cycle)
        assert code == 0, (k, data["failures"])
        pairs = sorted((r["reviewer"], r["owner"]) for r in data["reviews"])  # the recorded draw
        assert len(pairs) == MEMBERS
        files = assert_one_file_per_assignment(google_clients.drive, cycle, pairs)
        assert_headers(google_clients, files, {p: expected_header(*p, cycle) for p in pairs})
        messages_once(log, cycle, {r for r, _ in pairs})
    print(f"\nkills across a {total}-request run at k={ks}: {dict(killed_at)}")
    assert len(ks) <= len(CYCLES) - 1
    # The kills landed on every kind of step: copies, header writes, the ledger's appends and reads.
    assert {"drive.files.copy", "sheets.spreadsheets.values.batchUpdate",
            "sheets.spreadsheets.values.append"} <= set(killed_at), killed_at


# -- the local backend ----------------------------------------------------------------------------------------


def local_child(config: Path, cycle: str, **env: str) -> int:
    """Run weekly in a child with the crash hook loaded; its exit code (-9 when it was killed)."""
    proc = start(config, "weekly", "--cycle", cycle, env={"PYTHONPATH": str(CRASH_SITE), **env})
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, -9), err
    return proc.returncode


def check_local_cycle(config: Path, cycle: str) -> None:
    """Rerun, then: one file per drawn pair, every file opens, headers filled, ledger sound, messages once."""
    code, data = run_json(config, "weekly", "--cycle", cycle)
    assert code == 0, data["failures"]
    root = config.parent / "review-workspace"
    reviews = {(r["reviewer"], r["owner"]): r for r in data["reviews"]}
    files = [p for p in local_review_files(root) if p.stem == cycle]
    assert len(files) == len(reviews), [str(p) for p in files]
    by_location = {Path(r["location"]).resolve(): r for r in reviews.values()}
    assert set(by_location) == {p.resolve() for p in files}, "exactly one file per drawn pair"
    names = dict(re.findall(r'^name = "(.+)"\nemail = "(.+)"$', config.read_text(), re.M))
    name_of = {email: name for name, email in names.items()}
    for path in files:
        open_review(path)
        r = by_location[path.resolve()]
        want = {"case_id": r["case_id"], "reviewer": name_of[r["reviewer"]], "case_owner": name_of[r["owner"]],
                "cycle": cycle}
        if path.suffix == ".xlsx":
            got = {k: v or "" for k, v in header_cells(path).items()}
            assert got == want, path
        else:
            text = doc_text(path)
            assert "{{" not in text.replace("{{case_id}}", "" if not want["case_id"] else "{{case_id}}"), path
            assert all(v in text for v in want.values()), (path, text[:300])
    ledger = root / ".gworkspace-reviews" / "ledger.jsonl"
    lines = ledger.read_bytes().splitlines()
    assert all(isinstance(json.loads(line), dict) for line in lines if line.strip())
    entries = LocalLedger(root).entries()
    assert draw_key(date.fromisoformat(cycle)) in entries
    assert entries[f"announce:{cycle}"] == "sent"
    messages_once(root / ".gworkspace-reviews" / "messages.log", cycle, {r for r, _ in reviews})


def test_local_weekly_killed_after_each_write_step_then_rerun_is_whole(tmp_path: Path) -> None:
    assert run(tmp_path / "x.toml", "init", str(tmp_path / "demo")).exit_code == 0
    config = tmp_path / "demo" / "reviews.toml"
    counted = tmp_path / "steps.txt"
    assert local_child(config, CYCLES[0], GWR_CRASH_COUNT_FILE=str(counted)) == 0
    steps = counted.read_text().splitlines()
    assert len(steps) >= 2 * 13  # at least a synced temp file and a link per review file
    check_local_cycle(config, CYCLES[0])
    ns = list(range(1, len(steps) + 1, 3))
    killed = 0
    for n, cycle in zip(ns, CYCLES[1:], strict=False):
        killed += local_child(config, cycle, GWR_CRASH_AFTER_WRITES=str(n)) == -9
        check_local_cycle(config, cycle)
    assert killed == len(ns), "every run was killed at its n-th write step"
    # Kills at random moments (imports, planning, mid-write) too.
    rng = random.Random(6)
    for cycle in CYCLES[1 + len(ns):1 + len(ns) + 4]:
        local_child(config, cycle, GWR_CRASH_AFTER_SECONDS=f"{rng.uniform(0.3, 1.5):.2f}")
        check_local_cycle(config, cycle)
    root = config.parent / "review-workspace"
    every = local_review_files(root)
    for path in every:
        open_review(path)  # every file of every cycle still opens
    litter = [p for p in root.rglob("*") if p.name.endswith(".gwr-tmp")]
    assert all(p.name.startswith(".") for p in litter)
    print(f"\nlocal: {len(steps)} write steps a run, killed at n={ns}; {len(every)} files, "
          f"{len(litter)} hidden temp file(s) left by kills")

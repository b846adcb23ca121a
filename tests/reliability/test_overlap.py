"""Two weekly runs at once on one config: one does the work, the other exits 0 at once, saying why."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from gworkspace_reviews.adapters.runlock import run_lock
from tests.cli.people import run
from tests.reliability.checks import assert_headers, assert_one_file_per_assignment, recorded_draw, writes
from tests.reliability.crash import start
from tests.reliability.roster import CYCLES, expected_header, make_google_roster, make_local_roster

HELD = "another gworkspace-reviews run holds"


def test_two_weekly_runs_started_together_one_works_the_other_exits_cleanly(
        tmp_path: Path, fake_google: Any, google_key_file: Path, google_clients: Any) -> None:
    config = make_google_roster(tmp_path / "team", fake_google, google_key_file, google_clients.drive, 6)
    procs: list[Any] = []
    first_request = threading.Event()

    def hold_until_one_exits(entry: Any) -> None:
        # The lock holder's first Google request waits until the other run has finished, so the two
        # truly overlap however the machine schedules them.
        if first_request.is_set():
            return
        first_request.set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and all(p.poll() is None for p in procs):
            time.sleep(0.02)

    fake_google.reset_counters()
    fake_google.on_request = hold_until_one_exits
    try:
        procs.extend(start(config, "weekly", "--cycle", CYCLES[0]) for _ in range(2))
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:
        fake_google.on_request = None
    codes = [p.returncode for p in procs]
    assert codes == [0, 0], outputs
    waiting = [i for i, (_out, err) in enumerate(outputs) if HELD in err]
    assert len(waiting) == 1, outputs
    loser_out, loser_err = outputs[waiting[0]]
    assert "exiting without doing anything" in loser_err and loser_out == ""
    winner_out, _ = outputs[1 - waiting[0]]
    assert winner_out.count("created") == 6
    assert fake_google.counters["drive.files.copy"] == 6
    pairs = recorded_draw(config, CYCLES[0])
    files = assert_one_file_per_assignment(google_clients.drive, CYCLES[0], pairs)
    assert_headers(google_clients, files, {p: expected_header(*p, CYCLES[0]) for p in pairs})
    log = (config.parent / ".gworkspace-reviews" / "messages.log").read_text(encoding="utf-8")
    assert log.count(f"*Peer reviews for the cycle of {CYCLES[0]}*") == 1
    assert writes(fake_google)["drive.files.copy"] == 6


def test_a_local_run_while_another_holds_the_lock_exits_0_and_touches_nothing(tmp_path: Path) -> None:
    config = make_local_roster(tmp_path, 6)
    root = config.parent / "review-workspace"
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    lock = config.parent / ".gworkspace-reviews" / "run.lock"
    with run_lock(lock) as acquired:  # as a cron run in progress would
        assert acquired
        proc = start(config, "weekly", "--cycle", CYCLES[0])
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and HELD in err and str(lock) in err and out == ""
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    result = run(config, "weekly", "--cycle", CYCLES[0])  # the lock released: the next run works
    assert result.exit_code == 0 and result.output.count("created") == 6
    assert Counter(p.suffix for p in root.glob(f"*/{CYCLES[0]}.*")) == {".xlsx": 5, ".docx": 1}

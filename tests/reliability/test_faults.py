"""Weekly provisioning while Google fails: 20% of requests answered with every retryable error, then 100%.

The fake's faults are decided before a request is served (a faulted request changes nothing) and are seeded,
so a run sees the same faults each time. The adapter's backoff starts at 0.5-1 s (equal jitter on a 1 s base;
there is no config knob for it), so these tests keep the attempt caps small where every request fails.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.cli.people import run, run_json
from tests.fakegoogle.faults import ALL_KINDS
from tests.reliability.checks import (
    assert_headers,
    assert_one_file_per_assignment,
    drive_reviews,
    recorded_draw,
    writes,
)
from tests.reliability.roster import expected_header, make_google_roster

CYCLE = "2021-12-13"


def announcements(config: Path) -> int:
    """Announcements of CYCLE in the message log (Google backend: beside the config)."""
    log = config.parent / ".gworkspace-reviews" / "messages.log"
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    return text.count(f"*Peer reviews for the cycle of {CYCLE}*")


def served(fake: Any, method_id: str) -> int:
    """Requests of ``method_id`` the fake answered with success (faulted ones changed nothing)."""
    return sum(1 for r in fake.requests if r.method_id == method_id and 200 <= r.status < 300)


def test_weekly_for_100_members_completes_under_20_percent_faults(
        tmp_path: Path, fake_google: Any, google_key_file: Path, google_clients: Any) -> None:
    config = make_google_roster(tmp_path / "team", fake_google, google_key_file, google_clients.drive, 100,
                                max_attempts=10, max_retry_seconds=120, workers=8)
    fake_google.reset_counters()
    fake_google.faults.configure(0.2, ALL_KINDS, seed=8)
    code, data = run_json(config, "weekly", "--cycle", CYCLE)
    fake_google.faults.clear()
    assert code == 0, data["failures"]
    assert Counter(r["action"] for r in data["reviews"]) == {"created": 100}
    injected = fake_google.faults.injected
    assert set(injected) == set(ALL_KINDS), injected  # every kind of failure was met and survived
    total = sum(fake_google.counters.values())
    assert sum(injected.values()) >= 0.15 * total, (injected, total)
    print(f"\n100 members under 20% faults: {total} requests, {sum(injected.values())} faults {dict(injected)}")

    # Provisioned exactly once: 100 successful copies, one file per drawn pair, each header right.
    assert served(fake_google, "drive.files.copy") == 100
    pairs = recorded_draw(config, CYCLE)
    assert len(pairs) == 100
    files = assert_one_file_per_assignment(google_clients.drive, CYCLE, pairs)
    assert_headers(google_clients, files, {p: expected_header(*p, CYCLE) for p in pairs})
    assert announcements(config) == 1

    fake_google.reset_counters()
    code, again = run_json(config, "weekly", "--cycle", CYCLE)
    assert code == 0 and {r["action"] for r in again["reviews"]} == {"exists"}
    assert writes(fake_google) == {}, "a rerun after a faulty but complete run writes nothing"
    assert announcements(config) == 1


@pytest.fixture()
def small_team(tmp_path: Path, fake_google: Any, google_key_file: Path, google_clients: Any) -> Path:
    """13 generated members; two attempts per request so total failure gives up after one backoff."""
    return make_google_roster(tmp_path / "team", fake_google, google_key_file, google_clients.drive, 13,
                              max_attempts=2, max_retry_seconds=30)


def finish_and_check(config: Path, fake: Any, clients: Any) -> None:
    """With Google healthy again, the next run completes the cycle: one file per pair, headers right."""
    fake.faults.clear()
    code, data = run_json(config, "weekly", "--cycle", CYCLE)
    assert code == 0, data["failures"]
    pairs = recorded_draw(config, CYCLE)
    files = assert_one_file_per_assignment(clients.drive, CYCLE, pairs)
    assert_headers(clients, files, {p: expected_header(*p, CYCLE) for p in pairs})
    assert announcements(config) == 1


def test_total_failure_stops_at_the_cap_writes_nothing_and_the_next_run_completes(
        small_team: Path, fake_google: Any, google_clients: Any) -> None:
    fake_google.reset_counters()
    fake_google.faults.configure(1.0, ["503"], seed=1)
    result = run(small_team, "weekly", "--cycle", CYCLE)
    assert result.exit_code == 1, result.output
    assert "checking the review folder: Google kept failing (503" in result.stderr
    assert "after 2 attempt(s)" in result.stderr and "google.max_attempts=2" in result.stderr
    assert "run the command again later" in result.stderr
    # The first request (the root folder's files.get) was tried max_attempts times, then the run stopped.
    assert fake_google.counters["drive.files.get"] == 2
    assert sum(fake_google.faults.injected.values()) == 2
    fake_google.faults.clear()
    assert writes(fake_google) == {} and drive_reviews(google_clients.drive, CYCLE) == []
    finish_and_check(small_team, fake_google, google_clients)


def test_every_copy_failing_exits_1_naming_each_review_and_the_next_run_creates_them(
        small_team: Path, fake_google: Any, google_clients: Any) -> None:
    fake_google.reset_counters()
    fake_google.faults.configure(1.0, ["429", "500", "drop"], seed=2, methods_prefix="drive.files.copy")
    code, data = run_json(small_team, "weekly", "--cycle", CYCLE)
    assert code == 1
    assert fake_google.counters["drive.files.copy"] == 2 * 13, "each copy tried exactly max_attempts times"
    assert len(data["failures"]) == 13
    pairs = recorded_draw(small_team, CYCLE)
    for reviewer, owner in pairs:
        line = next(f for f in data["failures"] if f.startswith(f"{owner} ({CYCLE}): copying peer review"))
        assert f"(reviewer {reviewer})" in line and "Google kept failing" in line and "after 2 attempt(s)" in line
    assert {r["action"] for r in data["reviews"]} == {"error"}
    fake_google.faults.clear()
    assert drive_reviews(google_clients.drive, CYCLE) == []
    # The draw was recorded before any copy, so the next run provisions the same pairs.
    finish_and_check(small_team, fake_google, google_clients)
    assert recorded_draw(small_team, CYCLE) == pairs


def test_every_header_write_failing_exits_1_and_the_next_run_fills_the_headers(
        small_team: Path, fake_google: Any, google_clients: Any) -> None:
    fake_google.reset_counters()
    fake_google.faults.configure(1.0, ["503-retry-after", "403-userRateLimitExceeded"], seed=3,
                                 methods_prefix="sheets.spreadsheets.values.batchUpdate")
    fake_google.faults.retry_after_s = 0
    code, data = run_json(small_team, "weekly", "--cycle", CYCLE)
    assert code == 1
    sheet_reviews = [r for r in data["reviews"] if r["format"] == "sheet"]
    assert len(data["failures"]) == len(sheet_reviews) > 0
    for r in sheet_reviews:
        assert any(f.startswith(f"{r['owner']} ({CYCLE}): writing the header of peer review") for f in data["failures"])
    assert fake_google.counters["sheets.spreadsheets.values.batchUpdate"] == 2 * len(sheet_reviews)
    assert served(fake_google, "drive.files.copy") == 13  # the copies were made, once
    finish_and_check(small_team, fake_google, google_clients)
    assert served(fake_google, "drive.files.copy") == 13  # and not made again

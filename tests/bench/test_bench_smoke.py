"""The bench's measurements at 13 members with no latency: request counts only (never times)."""

from __future__ import annotations

from pathlib import Path

from bench import floors
from bench.report import HEADER_WRITES
from bench.run import run_ours
from bench.virtual_time import VirtualTime

REVIEW_READS = ("sheets.spreadsheets.values.batchGet", "docs.documents.get")


def test_weekly_rerun_and_rollup_request_counts_at_13(tmp_path: Path) -> None:
    # A quota minute of 0.1 s: the client's limiter still paces the 13 header writes, quickly.
    result = run_ours(13, VirtualTime(600), 0.0, tmp_path)

    weekly = result.weekly
    assert weekly.notes["created"] == 13
    new = weekly.count("drive.files.copy") + weekly.count(*HEADER_WRITES)
    assert new / 13 == 2  # one files.copy (named, placed, tagged) + one header write per new review
    assert weekly.throttled == 0  # the limiter kept under the quota the fake enforces
    assert weekly.requests <= floors.weekly(13, 13).requests * 1.5

    assert result.rerun.writes == 0
    assert result.rerun.count("drive.files.copy") == 0

    assert result.files == 13
    assert result.rollup_first.count(*REVIEW_READS) == 13  # every review answered since never read
    assert result.rollup_changed.count(*REVIEW_READS) == result.changed == 2  # 1 in 10 edited: ids[::10]
    assert result.rollup_rerun.count(*REVIEW_READS) == 0  # nothing changed: no review file read again

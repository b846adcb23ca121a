"""One team size, measured: our weekly run, its rerun, three rollups; optionally the naive gspread script."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from bench import conditions, naive, ours
from bench.counting import Phase
from bench.team import make_team
from bench.virtual_time import VirtualTime

CHANGED_SHARE = 10  # after the first rollup, one review in CHANGED_SHARE is edited


@dataclass
class SizeResult:
    """Every phase measured at one team size."""

    size: int
    weekly: Phase
    rerun: Phase
    rollup_first: Phase  # every review answered since the last read (none was read yet)
    rollup_changed: Phase  # after one review in CHANGED_SHARE was edited
    rollup_rerun: Phase  # nothing changed
    files: int
    changed: int
    naive_weekly: Phase | None = None
    naive_rollup: Phase | None = None


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def run_ours(size: int, vt: VirtualTime, latency_ms: float, workdir: Path) -> SizeResult:
    """Our jobs on a fresh fake with a team of ``size``."""
    team = make_team(workdir / f"ours-{size}", size)
    try:
        conditions.realistic(team, vt, latency_ms)
        _say(f"[{size}] ours: weekly")
        weekly = ours.weekly(team, vt, "weekly")
        _say(f"[{size}] ours: weekly rerun   (weekly took {weekly.wall_s:.1f} s)")
        rerun = ours.weekly(team, vt, "weekly rerun")
        conditions.unmeasured(team)
        ids = conditions.review_sheets(team)
        conditions.answer(team, ids)
        conditions.realistic(team, vt, latency_ms)
        _say(f"[{size}] ours: rollup")
        first = ours.rollup(team, vt, "rollup")
        conditions.unmeasured(team)
        edited = ids[:: CHANGED_SHARE]
        conditions.answer(team, edited, ("No", "Yes"))
        conditions.realistic(team, vt, latency_ms)
        _say(f"[{size}] ours: rollup after edits, rollup rerun   (rollup took {first.wall_s:.1f} s)")
        changed = ours.rollup(team, vt, "rollup after edits")
        again = ours.rollup(team, vt, "rollup rerun")
    finally:
        team.stop()
    return SizeResult(size, weekly, rerun, first, changed, again, len(ids), len(edited))


def run_naive(result: SizeResult, vt: VirtualTime, latency_ms: float, workdir: Path) -> None:
    """The naive script on a fresh fake with the same team; fills ``result.naive_*``."""
    team = make_team(workdir / f"naive-{result.size}", result.size)
    try:
        conditions.realistic(team, vt, latency_ms)
        _say(f"[{result.size}] naive gspread: weekly")
        result.naive_weekly = naive.weekly(team, vt)
        conditions.unmeasured(team)
        conditions.answer(team, conditions.review_sheets(team))
        conditions.realistic(team, vt, latency_ms)
        _say(f"[{result.size}] naive gspread: rollup   (weekly took {result.naive_weekly.wall_s:.1f} s)")
        result.naive_rollup = naive.rollup(team, vt)
    finally:
        team.stop()

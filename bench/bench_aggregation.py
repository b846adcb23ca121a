"""Benchmark: the rollup's pandas aggregation of 10,000 reviews x 10 criteria (target: < 1 s, < 300 MB peak).

Run: ``python bench/bench_aggregation.py [--reviews N]``. Prints one Markdown table row for bench/results.md.
Measures domain.kr from read results to every rollup table (classification, KR1 tests, criteria, coverage,
attention, records); building the synthetic input is outside the measurement.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta

from gworkspace_reviews.domain import kr
from gworkspace_reviews.domain.cycles import Cadence, cycles_between, month_of
from gworkspace_reviews.domain.models import ReadResult, ReviewContent, ReviewFile, ReviewKey, RubricRow

CRITERIA = 10
MEMBERS = 13
KICKOFF = date(2021, 12, 13)
CADENCE = Cadence(kickoff=KICKOFF, every_weeks=2, weekly_from=date(2022, 1, 24))
CHOICES = ("Yes", "Yes", "Yes", "Yes", "Yes", "Yes", "No", "N/A", "", "maybe")


def synthetic(n: int, seed: int = 7) -> list[ReadResult]:
    """``n`` read reviews (4 in 5 peer, 1 in 5 self) with ``CRITERIA`` rows of mixed answers."""
    rng = random.Random(seed)
    emails = [f"member{i:02d}@example.com" for i in range(MEMBERS)]
    cycles = cycles_between(KICKOFF, KICKOFF + timedelta(weeks=52 * 4), CADENCE)
    results: list[ReadResult] = []
    for i in range(n):
        owner = emails[i % MEMBERS]
        rows = tuple(RubricRow(f"Criterion {c + 1}", rng.choice(CHOICES), "a comment")
                     for c in range(CRITERIA))
        if i % 5:
            cycle = cycles[i % len(cycles)]
            key = ReviewKey("peer", cycle.isoformat(), emails[(i + 1) % MEMBERS], owner)
            content = ReviewContent(header={"case_id": str(10_000 + i)}, rows=rows)
            modified = f"{cycle + timedelta(days=3)}T10:00:00+00:00"
        else:
            day = cycles[i % len(cycles)]
            key = ReviewKey("self", month_of(day), owner, owner, "manager-pick")
            manager = tuple(RubricRow("", rng.choice(CHOICES[:8])) for _ in range(CRITERIA))
            content = ReviewContent(header={"case_id": str(10_000 + i)}, rows=rows, manager_rows=manager)
            modified = f"{day + timedelta(days=20)}T18:00:00+00:00"
        file = ReviewFile(file_id=f"f{i}", name=key.period, location=f"https://example.invalid/{i}", key=key,
                          format="sheet", case_id=str(10_000 + i), modified=modified)
        results.append(ReadResult(file=file, content=content))
    return results


def aggregate(results: list[ReadResult]) -> int:
    """Everything the rollup computes from read results; returns the number of output rows."""
    managers = {f"member{i:02d}@example.com": "lead@example.com" for i in range(MEMBERS)}
    frames = kr.collect(results, "America/Los_Angeles", managers)
    win = kr.window(date(2021, 12, 9), KICKOFF, KICKOFF + timedelta(weeks=52 * 4))
    tables = [kr.kr1_tests(frames, date(2021, 12, 9), win, 0.95), kr.by_criterion(frames, win),
              kr.coverage(frames, win, list(managers), CADENCE)]
    return sum(len(kr.records(t)) for t in tables) + len(kr.attention(frames, win))


def main() -> None:
    """Warm up, then time one run and trace the memory of another."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=10_000)
    args = parser.parse_args()
    aggregate(synthetic(200))  # warm-up: first-call costs of pandas are not the aggregation's
    results = synthetic(args.reviews)
    start = time.perf_counter()
    out_rows = aggregate(results)
    elapsed = time.perf_counter() - start
    # A second run measures memory: tracemalloc slows Python code, so it stays out of the timed run.
    tracemalloc.start()
    aggregate(results)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    verdict = "ok" if elapsed < 1 and peak / 2**20 < 300 else "OVER TARGET"
    sys.stdout.write(
        f"| rollup aggregation | {args.reviews:,} reviews x {CRITERIA} criteria | {elapsed:.3f} s | "
        f"{peak / 2**20:.1f} MB peak (tracemalloc) | {maxrss_mb:.0f} MB max RSS (process) | "
        f"{out_rows:,} rows | < 1 s, < 300 MB: {verdict} |\n")


if __name__ == "__main__":
    main()

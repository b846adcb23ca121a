"""The floors each measurement is compared with: the fewest requests, and the least time the quota allows.

Request floor of a weekly run: 2 per new review (one files.copy that names, places and tags; one header
write) plus the few a cycle needs at least: 1 template check per template in use, 1 files.list page per 1000
member folders, 1 page per 1000 of the cycle's existing reviews, 1 ledger read, 2 ledger appends (the draw
before any copy, what was done after). A rerun: the review listing and the ledger read. A rollup: 1 read per
changed review, 1 files.list page per 1000 reviews and 1 write of the rollup.

Quota floor (time): Sheets allows 60 read and 60 write requests per minute per user, so N Sheets writes
need at least N/60 minutes (likewise reads); the floor is the larger of the two, in the bench's scaled minutes
(a quota "minute" lasts 60/scale real seconds). A burst can beat it for small N (ratio below 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from bench.conditions import PER_MINUTE

PAGE = 1000


@dataclass(frozen=True)
class Floor:
    """The fewest requests and the fewest Sheets reads and writes a job needs."""

    requests: int
    sheets_reads: int
    sheets_writes: int

    def quota_s(self, minute_s: float) -> float:
        """Least wall time the per-user quota allows, in real seconds."""
        return max(self.sheets_reads, self.sheets_writes) / PER_MINUTE * minute_s


def weekly(new_sheets: int, members: int, existing: int = 0, templates: int = 1) -> Floor:
    """A weekly run creating ``new_sheets`` spreadsheet reviews."""
    pages = ceil(members / PAGE) + max(1, ceil(existing / PAGE))
    ledger_reads, ledger_appends = 1, 2
    per_cycle = templates + pages + ledger_reads + ledger_appends
    return Floor(2 * new_sheets + per_cycle, templates + ledger_reads, new_sheets + ledger_appends)


def weekly_per_cycle(members: int, templates: int = 1) -> int:
    """The few requests per cycle in the weekly floor."""
    return weekly(0, members, 0, templates).requests


def rerun(existing: int) -> Floor:
    """A weekly rerun where everything exists: list the reviews, read the ledger, write nothing."""
    return Floor(max(1, ceil(existing / PAGE)) + 1, 1, 0)


def rollup(changed: int, files: int) -> Floor:
    """A rollup reading ``changed`` reviews of ``files``."""
    return Floor(changed + max(1, ceil(files / PAGE)) + 1, changed, 1)

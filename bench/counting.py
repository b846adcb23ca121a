"""What the fake saw during one measured phase: requests by method, Sheets/Docs reads and writes, 429s."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.fakegoogle.server import FakeGoogle

NOT_API = ("oauth2.token",)  # the token endpoint is auth, not a Drive/Sheets/Docs request or quota


@dataclass
class Phase:
    """One measured phase (e.g. "weekly" at 1000 members)."""

    name: str
    wall_s: float = 0.0
    by_method: Counter[str] = field(default_factory=Counter)
    sheets_reads: int = 0
    sheets_writes: int = 0
    docs_writes: int = 0
    throttled: int = 0  # 429 answers (each also counted in by_method: it was a request)
    tokens: int = 0  # oauth2.token requests
    writes: int = 0  # every request that is not a GET (Drive, Sheets, Docs)
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        """Drive, Sheets and Docs requests (batch parts one by one; not the token endpoint)."""
        return sum(self.by_method.values())

    def count(self, *prefixes: str) -> int:
        """Requests whose method id starts with one of ``prefixes``."""
        return sum(n for k, n in self.by_method.items() if k.startswith(prefixes))


@contextmanager
def measure(fake: FakeGoogle, name: str, clock: Callable[[], float] = time.perf_counter) -> Iterator[Phase]:
    """Count what the fake serves and time the block."""
    phase = Phase(name)
    fake.reset_counters()
    start = clock()
    try:
        yield phase
    finally:
        phase.wall_s = clock() - start
        log = list(fake.requests)
        for entry in log:
            if entry.method_id in NOT_API:
                phase.tokens += 1
                continue
            if entry.method_id == "drive.batch":
                continue  # its parts are logged one by one
            phase.by_method[entry.method_id] += 1
            read = entry.http_method == "GET"
            if not read:
                phase.writes += 1
            if entry.status == 429:
                phase.throttled += 1
            if entry.method_id.startswith("sheets."):
                if read:
                    phase.sheets_reads += 1
                else:
                    phase.sheets_writes += 1
            elif entry.method_id.startswith("docs.") and not read:
                phase.docs_writes += 1

"""The real clock, and a fixed one for `--today`-style overrides and tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


class SystemClock:
    """Now, timezone-aware (UTC)."""

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    """Always the same moment."""

    moment: datetime

    def now(self) -> datetime:
        """The fixed moment."""
        return self.moment

"""Where every review of a cycle or month stands: not_started, in_progress, complete or invalid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from gworkspace_reviews.domain.cycles import latest_cycle_on_or_before, month_window
from gworkspace_reviews.domain.models import ReadResult, ReviewFile
from gworkspace_reviews.domain.rubric import score_rows
from gworkspace_reviews.services.context import Context


@dataclass(frozen=True)
class ReviewStatus:
    """One review's state, for people and for `--json`."""

    file: ReviewFile
    state: str
    manager_state: str | None  # self reviews: the manager's validation rows' state
    invalid: tuple[str, ...] = ()
    error: str | None = None

    @property
    def validated(self) -> bool:
        """A self review whose manager rows are all answered."""
        return self.manager_state == "complete"

    def as_json(self) -> dict[str, Any]:
        """The DESIGN.md shape, plus slot, validation and problems."""
        k = self.file.key
        return {"kind": k.kind, "cycle": k.period, "reviewer": k.reviewer, "owner": k.owner,
                "slot": k.slot or None, "case_id": self.file.case_id, "state": self.state,
                "manager_state": self.manager_state, "location": self.file.location,
                "invalid": list(self.invalid), "error": self.error}


@dataclass(frozen=True)
class StatusResult:
    """The reviews asked for, with their states."""

    label: str
    reviews: tuple[ReviewStatus, ...]

    def as_json(self) -> dict[str, Any]:
        """Machine output: ``{"reviews": [...]}``."""
        return {"period": self.label, "reviews": [r.as_json() for r in self.reviews]}

    def counts(self) -> dict[str, int]:
        """How many reviews are in each state."""
        out: dict[str, int] = {}
        for r in self.reviews:
            out[r.state] = out.get(r.state, 0) + 1
        return out


def status_of(result: ReadResult) -> ReviewStatus:
    """The state of one review from what was read of it."""
    if result.content is None:
        return ReviewStatus(result.file, "invalid", None, error=result.error or "could not be read")
    scored = score_rows(result.content.rows)
    invalid, state = scored.invalid_raw, scored.state
    if not result.file.case_id and not str(result.content.header.get("case_id") or "").strip() \
            and state == "complete":
        state = "in_progress"  # answered but the header still lacks the case ID
    manager_state = None
    if result.file.key.kind == "self":
        manager = score_rows(result.content.manager_rows or ())
        manager_state = manager.state
        invalid += manager.invalid_raw
    return ReviewStatus(result.file, state, manager_state, invalid=invalid)


def select_files(ctx: Context, *, cycle: date | None = None, month: str | None = None,
                 self_only: bool = False) -> tuple[str, list[ReviewFile]]:
    """The review files of a cycle (peer) or a month (peer cycles in it + self), default the latest cycle."""
    ws = ctx.workspace
    if month is not None:
        selves = ws.list_reviews(kind="self", period=month)
        if self_only:
            return month, selves
        start, end = month_window(month)
        peers = [f for f in ws.list_reviews(kind="peer") if start.isoformat() <= f.key.period <= end.isoformat()]
        return month, peers + selves
    monday = latest_cycle_on_or_before(cycle or ctx.today(), ctx.config.cadence)
    if monday is None:
        return "before kickoff", []
    return monday.isoformat(), ws.list_reviews(kind="peer", period=monday.isoformat())


def review_status(ctx: Context, *, cycle: date | None = None, month: str | None = None,
                  self_only: bool = False) -> StatusResult:
    """Read the selected reviews and report each one's state."""
    label, files = select_files(ctx, cycle=cycle, month=month, self_only=self_only)
    results = ctx.workspace.read_reviews(files) if files else []
    statuses = sorted((status_of(r) for r in results),
                      key=lambda s: (s.file.key.kind, s.file.key.period, s.file.key.owner, s.file.key.slot))
    return StatusResult(label, tuple(statuses))

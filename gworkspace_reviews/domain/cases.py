"""Support cases from a helpdesk export: parsing, peer-review eligibility and the monthly pick.

Statuses are Zendesk's: ``new``, ``open``, ``pending`` and ``hold`` are *active* (still on the owner's queue);
``solved`` and ``closed`` are done. The practice makes a case eligible for a peer review when it is

- active ("any active (open) case on the application engineer's queue"), or
- in ``solved`` status ("... or is in 'solved' status": Zendesk closes solved cases after a few days, so a
  solved case is a recent one), or
- closed but resolved "within seven days of the current review cycle": solved between 7 days before the cycle
  Monday and the end of the cycle's week (a case solved during the cycle is fresher still). The solved time is
  ``solved_at``, or ``updated_at`` for exports that carry no solved time.

The monthly self review takes one random *active* case per member ("randomly selects an open ticket").
Random picks are seeded, so reruns pick the same case.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gworkspace_reviews.domain.cycles import month_window, zone
from gworkspace_reviews.domain.draw import rng_for
from gworkspace_reviews.domain.models import Case, CaseLoad

ACTIVE: tuple[str, ...] = ("new", "open", "pending", "hold")
DONE: tuple[str, ...] = ("solved", "closed")
STATUSES: tuple[str, ...] = ACTIVE + DONE

SOLVED_WINDOW_BEFORE = timedelta(days=7)
_CYCLE_WEEK_END = timedelta(days=6)


@dataclass(frozen=True)
class CaseColumns:
    """Which export column holds each field; ``None`` for a time column the export does not have."""

    id: str = "id"
    owner: str = "owner_email"
    status: str = "status"
    solved_at: str | None = "solved_at"
    updated_at: str | None = "updated_at"


def parse_when(text: str, tz: str | None = None) -> date | None:
    """An ISO date or datetime (``Z``/offset or ``YYYY-MM-DD HH:MM:SS``) as a date; None when blank.

    An aware datetime is turned into a date in ``tz`` when given, else taken at its own offset.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD or an ISO timestamp)") from None
    if tz is not None and moment.tzinfo is not None:
        moment = moment.astimezone(zone(tz))
    return moment.date()


def parse_cases(text: str, columns: CaseColumns, members: Collection[str], *, tz: str | None = None) -> CaseLoad:
    """Read a case export CSV; bad rows become problems naming their line, a missing column a ValueError."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(reader, None)
    found = [name.strip() for name in header or []]
    positions = {name.casefold(): i for i, name in reversed(list(enumerate(found)))}
    wanted = {
        "id": columns.id,
        "owner": columns.owner,
        "status": columns.status,
        "solved_at": columns.solved_at,
        "updated_at": columns.updated_at,
    }
    where: dict[str, int] = {}
    for field, name in wanted.items():
        if name is None:
            continue
        if name.strip().casefold() not in positions:
            shown = ", ".join(repr(f) for f in found) or "none"
            raise ValueError(
                f"case export has no column {name!r} (for the case {field.replace('_', ' ')}); "
                f"columns found: {shown}. Map the column names in the config if they differ."
            )
        where[field] = positions[name.strip().casefold()]

    by_email = {m.casefold(): m for m in members}
    cases: list[Case] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {field: row[i].strip() if i < len(row) else "" for field, i in where.items()}
        case, issues = _read_row(values, by_email, columns, tz, start)
        if case is not None and case.case_id in first_line:
            issues.append(f"case id {case.case_id!r} already on line {first_line[case.case_id]}; kept that one")
        if issues:
            problems.append(f"line {start}: " + "; ".join(issues))
        elif case is not None:
            first_line[case.case_id] = start
            cases.append(case)
    return CaseLoad(tuple(cases), tuple(problems))


def _read_row(
    values: dict[str, str], by_email: dict[str, str], columns: CaseColumns, tz: str | None, line: int
) -> tuple[Case | None, list[str]]:
    issues: list[str] = []

    def cell(field: str) -> str:
        return values.get(field, "")

    case_id = cell("id")
    if not case_id:
        issues.append(f"missing case id (column {columns.id!r})")
    raw_owner = cell("owner")
    owner = by_email.get(raw_owner.casefold())
    if not raw_owner:
        issues.append(f"missing owner (column {columns.owner!r})")
    elif owner is None:
        issues.append(f"unknown owner {raw_owner!r} (not in members)")
    status = cell("status").casefold()
    if not status:
        issues.append(f"missing status (column {columns.status!r})")
    elif status not in STATUSES:
        issues.append(f"unknown status {cell('status')!r} (expected one of {', '.join(STATUSES)})")
    times: dict[str, date | None] = {}
    for field in ("solved_at", "updated_at"):
        try:
            times[field] = parse_when(cell(field), tz)
        except ValueError as exc:
            issues.append(f"{getattr(columns, field)}: {exc}")
    if issues or owner is None:
        return None, issues
    case = Case(case_id, owner, status, times.get("solved_at"), times.get("updated_at"), line)
    return case, issues


def is_active(case: Case) -> bool:
    """Whether the case is still on its owner's queue (new, open, pending or hold)."""
    return case.status in ACTIVE


def solved_on(case: Case) -> date | None:
    """When a done case was solved: ``solved_at``, else ``updated_at``; None for an active case."""
    if case.status not in DONE:
        return None
    return case.solved_at or case.updated_at


def eligible_for_peer(case: Case, cycle: date) -> bool:
    """Whether a case can be picked for a peer review in the cycle starting on Monday ``cycle``."""
    if case.status in ACTIVE or case.status == "solved":
        return True
    solved = solved_on(case)
    return solved is not None and cycle - SOLVED_WINDOW_BEFORE <= solved <= cycle + _CYCLE_WEEK_END


def peer_candidates(cases: Iterable[Case], owner: str, cycle: date, exclude: Collection[str] = ()) -> list[Case]:
    """The owner's cases eligible for a peer review in ``cycle``, not in ``exclude``, sorted by case id."""
    return _sorted(c for c in cases if _owned(c, owner) and c.case_id not in exclude and eligible_for_peer(c, cycle))


def suggest_peer_case(
    cases: Iterable[Case], owner: str, cycle: date, seed: str, exclude: Collection[str] = ()
) -> Case | None:
    """A seeded random pick among the owner's cases eligible for a peer review; None when there is none."""
    return _pick(peer_candidates(cases, owner, cycle, exclude), f"{seed}/{owner}/{cycle.isoformat()}")


def open_cases(cases: Iterable[Case], owner: str, exclude: Collection[str] = ()) -> list[Case]:
    """The owner's active cases not in ``exclude``, sorted by case id."""
    return _sorted(c for c in cases if _owned(c, owner) and c.case_id not in exclude and is_active(c))


def pick_monthly_case(
    cases: Iterable[Case], owner: str, month: str, seed: str, exclude: Collection[str] = ()
) -> Case | None:
    """The manager's random open case for the owner's monthly self review, avoiding ``exclude``; seeded."""
    month_window(month)  # a bad month fails here, naming itself, rather than seeding silently
    return _pick(open_cases(cases, owner, exclude), f"{seed}/{owner}/{month}")


def _owned(case: Case, owner: str) -> bool:
    return case.owner.casefold() == owner.casefold()


def _sorted(cases: Iterable[Case]) -> list[Case]:
    # numeric ids in numeric order, so the pick does not depend on the export's row order
    return sorted(cases, key=_id_order)


def _id_order(case: Case) -> tuple[int, str]:
    return (len(case.case_id), case.case_id) if case.case_id.isdigit() else (1 << 30, case.case_id)


def _pick(candidates: Sequence[Case], seed: str) -> Case | None:
    if not candidates:
        return None
    return candidates[rng_for(seed).randrange(len(candidates))]

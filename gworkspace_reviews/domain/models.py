"""Value types shared by the pure core, the services and the adapters.

People are identified by email everywhere in the core; names are only for headers and messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Format = Literal["sheet", "doc"]
Kind = Literal["peer", "self"]
CellValue = str | bool | int | float | None

FORMATS: tuple[Format, ...] = ("sheet", "doc")
KINDS: tuple[Kind, ...] = ("peer", "self")

# The two monthly self-review files per member: the manager's random pick and the member's own choice.
SELF_SLOTS: tuple[str, ...] = ("manager-pick", "own-pick")


@dataclass(frozen=True)
class Away:
    """An absence, inclusive of both ends."""

    start: date
    end: date
    reason: str = "away"

    def covers(self, day: date) -> bool:
        """Whether ``day`` falls inside this absence."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Member:
    """An application engineer on the roster."""

    name: str
    email: str
    manager: str
    folder: str | None = None
    slack: str | None = None
    format: Format = "sheet"
    away: tuple[Away, ...] = ()
    feedback_url: str | None = None
    technical_comments: bool | None = None
    active: bool = True

    def away_on(self, day: date) -> Away | None:
        """The absence covering ``day``, if any."""
        return next((a for a in self.away if a.covers(day)), None)


@dataclass(frozen=True)
class Manager:
    """A manager who validates self reviews."""

    name: str
    email: str
    slack: str | None = None


@dataclass(frozen=True)
class Assignment:
    """One reviewer -> owner pair of a peer draw (emails)."""

    reviewer: str
    owner: str


@dataclass(frozen=True)
class Excluded:
    """A member left out of a draw, with the reason shown to people."""

    email: str
    reason: str


@dataclass(frozen=True)
class Draw:
    """The peer draw for one cycle Monday."""

    cycle: date
    seed: str
    assignments: tuple[Assignment, ...]
    excluded: tuple[Excluded, ...] = ()
    note: str | None = None  # e.g. "two people: they review each other" or "one person: no draw"


@dataclass(frozen=True)
class ReviewKey:
    """What identifies one review file: the tags written on it.

    ``period`` is the cycle Monday (``2021-12-13``) for peer reviews and the month (``2022-01``) for self reviews.
    ``slot`` is empty for peer reviews and one of ``SELF_SLOTS`` for self reviews.
    For self reviews reviewer and owner are both the member.
    """

    kind: Kind
    period: str
    reviewer: str
    owner: str
    slot: str = ""


@dataclass(frozen=True)
class Header:
    """The review header as the practice fills it: case ID, reviewer and case owner names, the cycle."""

    case_id: str
    reviewer: str
    case_owner: str
    cycle: str


@dataclass(frozen=True)
class ReviewSpec:
    """A review file to provision: its tags, format, file name, header and destination folder."""

    key: ReviewKey
    format: Format
    name: str
    header: Header
    folder: str


@dataclass(frozen=True)
class ReviewFile:
    """A provisioned review file as a workspace lists it."""

    file_id: str
    name: str
    location: str  # URL on Google, file path locally
    key: ReviewKey
    format: Format
    case_id: str
    modified: str  # RFC 3339 on Google, ISO timestamp locally; the cache key with file_id
    folder: str = ""


@dataclass(frozen=True)
class RubricRow:
    """One criterion row as typed by a person: raw answer cell and comment."""

    criterion: str
    answer: CellValue
    comment: str = ""


@dataclass(frozen=True)
class ReviewContent:
    """What a review file holds: header cells (raw), the reviewer's rows and, for self reviews, the manager's."""

    header: dict[str, CellValue]
    rows: tuple[RubricRow, ...]
    manager_rows: tuple[RubricRow, ...] | None = None


@dataclass(frozen=True)
class Outcome:
    """Result of one unit of work on one review: the file when it worked, else the error text."""

    spec: ReviewSpec
    file: ReviewFile | None = None
    error: str | None = None
    created: bool = False
    header_written: bool = False


@dataclass(frozen=True)
class ReadResult:
    """A review file with its content, or the error that stopped reading it."""

    file: ReviewFile
    content: ReviewContent | None = None
    error: str | None = None


@dataclass(frozen=True)
class Chart:
    """A line chart over a tab: x column, y columns (0-based) and data rows [first, last)."""

    title: str
    x_column: int
    y_columns: tuple[int, ...]
    first_row: int
    last_row: int


@dataclass(frozen=True)
class Tab:
    """One tab of the rollup spreadsheet: rows of cell values, the first row being the column names."""

    name: str
    rows: tuple[tuple[CellValue, ...], ...]
    chart: Chart | None = None
    frozen_rows: int = 1


@dataclass(frozen=True)
class Case:
    """A support case from the helpdesk export."""

    case_id: str
    owner: str
    status: str
    solved_at: date | None = None
    updated_at: date | None = None
    line: int = 0


@dataclass(frozen=True)
class CaseLoad:
    """Cases read from an export, and the rows that could not be used (each naming its line)."""

    cases: tuple[Case, ...]
    problems: tuple[str, ...] = field(default=())

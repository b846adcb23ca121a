"""The small interfaces that the services depend on and the adapters implement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from gworkspace_reviews.domain.models import (
    CaseLoad,
    Format,
    Header,
    Kind,
    Member,
    Outcome,
    ReadResult,
    ReviewFile,
    ReviewSpec,
    Tab,
)


class Workspace(Protocol):
    """Where review files live: Google Drive, or the embedded local workspace on disk."""

    def check_root(self) -> None:
        """Raise SetupError naming workspace.root when the shared review folder is missing or not reachable."""
        ...

    def check_templates(self, needed: Sequence[tuple[Kind, Format]]) -> list[str]:
        """Problems with the templates needed (each names the template and what it lacks); empty when fine."""
        ...

    def resolve_folder(self, member: Member) -> str:
        """The folder id/path of a member's review folder; raises WorkspaceError naming it when missing."""
        ...

    def ensure_folder(self, member: Member) -> str:
        """The member's review folder, created (named after the member, sharing nothing) when missing."""
        ...

    def list_reviews(self, *, kind: Kind | None = None, period: str | None = None) -> list[ReviewFile]:
        """Review files carrying our tags, optionally only one kind and/or period."""
        ...

    def create_reviews(self, specs: Sequence[ReviewSpec]) -> list[Outcome]:
        """Copy the template for each spec, name, place and tag it, and fill its header; one Outcome per spec."""
        ...

    def fill_header(self, file: ReviewFile, header: Header) -> bool:
        """Write the header cells that are still empty; True when anything was written."""
        ...

    def read_reviews(self, files: Sequence[ReviewFile]) -> list[ReadResult]:
        """Read header and rubric answers of each file (cached by file id and modified time)."""
        ...

    def set_case(self, file: ReviewFile, case_id: str) -> ReviewFile:
        """Set or replace the case ID in the header and the tags."""
        ...

    def reassign(self, file: ReviewFile, spec: ReviewSpec) -> ReviewFile:
        """Retag, rename, move and re-head an untouched file to match ``spec`` (used by swap)."""
        ...

    def write_rollup(self, tabs: Sequence[Tab], *, target: str | None = None) -> str:
        """Replace every tab of the rollup spreadsheet (or ``target``) with ``tabs``; returns its location."""
        ...


    def close(self) -> None:
        """Flush caches and release connections at the end of a run."""
        ...


class Ledger(Protocol):
    """An append-only record of what the service decided and did (draws, notices sent)."""

    def entries(self) -> dict[str, str]:
        """Every key with its latest value."""
        ...

    def put(self, key: str, value: str) -> None:
        """Record ``value`` under ``key``."""
        ...

    def put_many(self, items: Sequence[tuple[str, str]]) -> None:
        """Record several key/value pairs in one write (one request on Google)."""
        ...


class Notifier(Protocol):
    """Messages to people: a team channel and direct messages."""

    def post_channel(self, channel: str, text: str) -> None:
        """Post ``text`` in ``channel``."""
        ...

    def direct(self, email: str, slack_id: str | None, text: str) -> None:
        """Send ``text`` to one person (by Slack id when known, else looked up by email)."""
        ...

    def find_in_history(self, channel: str, marker: str) -> bool:
        """Whether a message containing ``marker`` was already posted in ``channel`` (crash recovery)."""
        ...


class AbsenceStore(Protocol):
    """Where `away` records absences: a roster file the tool owns, merged into the members at load time."""

    def add(self, email: str, start: date, end: date, reason: str) -> str:
        """Record an absence (once); returns where it was written."""
        ...


class CaseSource(Protocol):
    """The helpdesk's cases."""

    def load(self) -> CaseLoad:
        """Every case that could be read, and a problem line for each row that could not."""
        ...


class Clock(Protocol):
    """The time, injected so jobs are testable."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...

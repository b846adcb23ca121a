"""What every job is given: the config and the adapters the composition root built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gworkspace_reviews.config_types import Config
from gworkspace_reviews.domain.cycles import local_date
from gworkspace_reviews.ports import AbsenceStore, CaseSource, Clock, Ledger, Notifier, Workspace


@dataclass(frozen=True)
class Context:
    """A job's config and ports."""

    config: Config
    workspace: Workspace
    ledger: Ledger
    notifier: Notifier
    clock: Clock
    cases: CaseSource | None = None
    absences: AbsenceStore | None = None

    def close(self) -> None:
        """End of the run: the workspace saves its read cache and closes connections."""
        self.workspace.close()

    def today(self) -> date:
        """Today's date in the team's timezone."""
        return local_date(self.clock.now(), self.config.team.timezone)

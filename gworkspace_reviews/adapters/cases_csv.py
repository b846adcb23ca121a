"""The helpdesk case export as a CSV file (Zendesk-style columns, names mappable in [cases.columns])."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gworkspace_reviews.config_types import CasesConfig
from gworkspace_reviews.domain.cases import CaseColumns, parse_cases
from gworkspace_reviews.domain.models import CaseLoad
from gworkspace_reviews.errors import ConfigError


@dataclass(frozen=True)
class CsvCaseSource:
    """Reads the export each time it is asked (cron runs are short-lived)."""

    path: Path
    columns: CaseColumns
    members: frozenset[str]

    @classmethod
    def from_config(cls, cases: CasesConfig, members: frozenset[str]) -> CsvCaseSource | None:
        """The source configured in [cases], or None when no export is set."""
        if cases.export is None:
            return None
        cols = CaseColumns(
            id=cases.id,
            owner=cases.owner,
            status=cases.status,
            solved_at=cases.solved_at,
            updated_at=cases.updated_at,
        )
        return cls(cases.export, cols, members)

    def load(self) -> CaseLoad:
        """Every usable case, and a problem line for each bad row."""
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ConfigError(
                str(self.path),
                [
                    "cases.export: file not found; fix the path in [cases] or remove "
                    "the key to let reviewers pick cases"
                ],
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(str(self.path), [f"cases.export: cannot read: {exc}"]) from None
        try:
            return parse_cases(text, self.columns, set(self.members))
        except ValueError as exc:
            raise ConfigError(str(self.path), [f"{exc} (map the column names in [cases.columns])"]) from None

"""The configuration as frozen dataclasses (loaded and validated by ``config.load_config``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gworkspace_reviews.domain.cycles import Cadence
from gworkspace_reviews.domain.models import Format, Kind, Manager, Member


@dataclass(frozen=True)
class TeamConfig:
    """[team]"""

    name: str
    timezone: str
    channel: str


@dataclass(frozen=True)
class KR1Config:
    """[kr1]"""

    target: float
    first_test: date


@dataclass(frozen=True)
class GoogleConfig:
    """[google]: how to reach Google. ``endpoints`` overrides api_endpoint per service (private endpoints, tests)."""

    credentials: Path | None = None  # service-account key file; else GOOGLE_APPLICATION_CREDENTIALS, else ADC
    subject: str | None = None  # domain-wide delegation: act as this user
    endpoints: dict[str, str] = field(default_factory=dict)  # keys: drive, sheets, docs
    max_attempts: int = 6
    max_retry_seconds: float = 120.0
    retry_base_seconds: float = 1.0  # first backoff; doubles each attempt up to 32 s, with jitter
    requests_per_minute: int = 60  # per user, Sheets' and Docs' write quota
    workers: int = 4


@dataclass(frozen=True)
class WorkspaceConfig:
    """[workspace]: where review files live.

    local: ``root`` is the folder standing for the shared peer-review folder.
    google: ``root`` is the Drive id of the shared peer-review folder (in a shared drive, or owned by ``subject``),
    ``rollup`` the id of the KR1 rollup spreadsheet, ``ledger`` the id of the spreadsheet holding the service's
    record (draws, notices); when empty the rollup spreadsheet's ``_ledger`` tab is used.
    """

    backend: str  # "local" | "google"
    root: str
    rollup: str | None = None
    ledger: str | None = None
    per_person: dict[str, str] = field(default_factory=dict)  # google: manager email -> their own spreadsheet id


@dataclass(frozen=True)
class SlackConfig:
    """[slack]: the bot token is read from the environment variable named here, never from the file."""

    token_env: str = "SLACK_BOT_TOKEN"
    base_url: str | None = None  # tests and private proxies
    enabled: bool = True


@dataclass(frozen=True)
class CasesConfig:
    """[cases]: a helpdesk case export (CSV) and its column names."""

    export: Path | None = None
    id: str = "id"
    owner: str = "owner_email"
    status: str = "status"
    solved_at: str = "solved_at"
    updated_at: str = "updated_at"


@dataclass(frozen=True)
class Config:
    """The whole reviews.toml."""

    path: Path
    team: TeamConfig
    cadence: Cadence
    avoid_repeats: int
    kr1: KR1Config
    workspace: WorkspaceConfig
    templates: dict[tuple[Kind, Format], str]
    members: tuple[Member, ...]
    managers: tuple[Manager, ...]
    google: GoogleConfig = field(default_factory=GoogleConfig)
    slack: SlackConfig | None = None
    cases: CasesConfig = field(default_factory=CasesConfig)

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths in the config are relative to."""
        return self.path.parent

    def member(self, email: str) -> Member | None:
        """The member with this email (case-insensitive)."""
        key = email.strip().lower()
        return next((m for m in self.members if m.email.lower() == key), None)

    def manager(self, email: str) -> Manager | None:
        """The manager with this email (case-insensitive)."""
        key = email.strip().lower()
        return next((m for m in self.managers if m.email.lower() == key), None)

    def name_of(self, email: str) -> str:
        """Display name for an email (member or manager), else the email itself."""
        person = self.member(email) or self.manager(email)
        return person.name if person else email

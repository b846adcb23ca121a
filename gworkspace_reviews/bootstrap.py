"""The composition root: the one place that turns a Config into real adapters."""

from __future__ import annotations

import os
from pathlib import Path

from gworkspace_reviews.adapters.absences_file import AbsencesFile
from gworkspace_reviews.adapters.cases_csv import CsvCaseSource
from gworkspace_reviews.adapters.clock import SystemClock
from gworkspace_reviews.config import ABSENCES_FILE
from gworkspace_reviews.config_types import Config
from gworkspace_reviews.errors import ConfigError
from gworkspace_reviews.ports import Clock, Ledger, Notifier, Workspace
from gworkspace_reviews.services.context import Context

STATE_DIR = ".gworkspace-reviews"  # local: the service's own records inside the workspace root


def local_root(config: Config) -> Path:
    """The folder standing for the shared peer-review folder (relative to the config file)."""
    return (config.base_dir / config.workspace.root).resolve()


def build_workspace(config: Config, clock: Clock) -> Workspace:
    """The workspace backend the config names."""
    if config.workspace.backend == "google":
        from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace

        return GoogleWorkspace(config.google, config.workspace, dict(config.templates),
                               cache_path=config.base_dir / STATE_DIR / "read-cache.json")
    from gworkspace_reviews.adapters.local.workspace import LocalWorkspace

    templates = {key: (config.base_dir / value) for key, value in config.templates.items()}
    return LocalWorkspace(local_root(config), templates, clock=clock)


def build_ledger(config: Config, workspace: Workspace) -> Ledger:
    """The service's record: a JSON-lines file locally, a spreadsheet tab on Google."""
    from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace

    if isinstance(workspace, GoogleWorkspace):
        return workspace.ledger()
    from gworkspace_reviews.adapters.local.ledger import LocalLedger

    return LocalLedger(local_root(config))


def build_notifier(config: Config) -> Notifier:
    """Slack when configured (token from the environment), else a message log in the workspace."""
    if config.slack is not None and config.slack.enabled:
        token = os.environ.get(config.slack.token_env, "").strip()
        if not token:
            raise ConfigError(str(config.path), [
                f"slack: the environment variable {config.slack.token_env} is not set; export the bot token "
                "(xoxb-...) there, or set [slack] enabled = false to log messages instead"])
        from gworkspace_reviews.adapters.slack import SlackNotifier

        return SlackNotifier(token, base_url=config.slack.base_url, token_env=config.slack.token_env)
    from gworkspace_reviews.adapters.notify_log import LogNotifier

    base = local_root(config) if config.workspace.backend == "local" else config.base_dir
    log_dir = base / STATE_DIR
    return LogNotifier(log_dir / "messages.log")


def build(config: Config, *, clock: Clock | None = None, notifier: Notifier | None = None,
          messaging: bool = True) -> Context:
    """A job context with every adapter the config asks for (``messaging=False``: no Slack token needed)."""
    clock = clock or SystemClock()
    workspace = build_workspace(config, clock)
    ledger = build_ledger(config, workspace)
    members = frozenset(m.email for m in config.members)
    if notifier is None:
        if messaging:
            notifier = build_notifier(config)
        else:
            from gworkspace_reviews.adapters.notify_log import LogNotifier

            notifier = LogNotifier(config.base_dir / STATE_DIR / "unused-messages.log")
    return Context(config=config, workspace=workspace, ledger=ledger, notifier=notifier, clock=clock,
                   cases=CsvCaseSource.from_config(config.cases, members),
                   absences=AbsencesFile(config.base_dir / ABSENCES_FILE))

"""Errors users can act on: each says what is wrong, where, and how to fix it."""

from __future__ import annotations


class ReviewsError(Exception):
    """Base of the errors the CLI shows as a message, never as a traceback."""

    exit_code = 1


class ConfigError(ReviewsError):
    """The configuration is invalid; ``problems`` holds every problem, each with its key path."""

    exit_code = 2

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s):\n{lines}")


class UsageError(ReviewsError):
    """A command was asked something it cannot do (bad date, unknown person)."""

    exit_code = 2


class WorkspaceError(ReviewsError):
    """A workspace call failed in a way the user must fix (not shared, wrong id, no storage)."""


class TemplateError(WorkspaceError):
    """A template lacks part of the template contract; raised before any copy."""

    exit_code = 2


class SetupError(WorkspaceError):
    """The workspace itself is wrong (root folder missing, not shared): nothing can be done until it is fixed."""

    exit_code = 2


class TransientError(WorkspaceError):
    """A call kept failing with retryable errors until the retry cap."""

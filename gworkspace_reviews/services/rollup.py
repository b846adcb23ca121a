"""The KR1 rollup job: read every review once, compute the tabs with ``domain.kr``, write the spreadsheet.

The team rollup is not a report card: its tabs hold no ranking and no per-person yes-rate (KR1, By criterion,
Coverage counts, Needs attention). Per-person yes-rates are computed only when a manager asks
(``per_person_for``), only for that manager's own reports, and written to a separate target
(:func:`per_person_target`): on the local workspace the file ``rollup-<email>.xlsx`` in its root; on Google
the target ``per-person:<email>``, which the Google adapter maps to a spreadsheet of that manager's own
(never a tab of the team rollup).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from gworkspace_reviews.config_types import Config
from gworkspace_reviews.domain import kr
from gworkspace_reviews.domain.cycles import parse_month
from gworkspace_reviews.domain.models import CellValue, Chart, Tab
from gworkspace_reviews.errors import UsageError
from gworkspace_reviews.ports import Workspace

KR1_TAB = "KR1"
CRITERION_TAB = "By criterion"
COVERAGE_TAB = "Coverage"
ATTENTION_TAB = "Needs attention"
PERSON_TAB = "Per person"

JSON_TEST_KEYS: tuple[str, ...] = ("date", "reviews", "yes", "no", "na", "yes_rate", "met")


@dataclass(frozen=True)
class RollupResult:
    """The rollup's tabs, where they were written (None on dry-run) and the rows for ``--json``."""

    tabs: tuple[Tab, ...]
    location: str | None
    tests: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    coverage: list[dict[str, Any]]
    attention: list[dict[str, Any]]
    # Only with per_person_for: that manager's separate tabs and where they went (None on dry-run).
    per_person_tabs: tuple[Tab, ...] = ()
    per_person_location: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The ``rollup --json`` document (DESIGN.md section 6)."""
        return {"tests": self.tests, "criteria": self.criteria, "coverage": self.coverage,
                "attention": self.attention}


def per_person_target(backend: str, email: str) -> str:
    """The write_rollup target of one manager's per-person spreadsheet on ``backend`` (local | google)."""
    if backend == "local":
        return f"rollup-{email.strip().lower()}.xlsx"
    return f"per-person:{email.strip().lower()}"


def run_rollup(config: Config, workspace: Workspace, today: date, *, month: str | None = None,
               through: date | None = None, dry_run: bool = False,
               per_person_for: str | None = None) -> RollupResult:
    """Read every review, compute KR1 tests, criteria, coverage and attention, and write the rollup."""
    if month is not None:
        try:
            month = parse_month(month)
        except ValueError as exc:
            raise UsageError(f"--month: {exc}") from None
    reports = _reports_of(config, per_person_for) if per_person_for is not None else []
    win = kr.window(config.kr1.first_test, config.cadence.kickoff, through or today, month)
    files = workspace.list_reviews()
    # One call with every file: the adapter caches by id + modified time, so unchanged files cost nothing.
    results = workspace.read_reviews(files)
    frames = kr.collect(results, config.team.timezone, {m.email: m.manager for m in config.members})

    tests = kr.kr1_tests(frames, config.kr1.first_test, win, config.kr1.target)
    criteria = kr.by_criterion(frames, win)
    members = [m.email for m in config.members if m.active]
    coverage = kr.coverage(frames, win, members, config.cadence)
    attention = kr.attention(frames, win)
    tabs = (_kr1_tab(tests), _tab(CRITERION_TAB, criteria), _tab(COVERAGE_TAB, coverage),
            _rows_tab(ATTENTION_TAB, kr.ATTENTION_COLUMNS, attention))
    location = None if dry_run else workspace.write_rollup(tabs)

    person_tabs: tuple[Tab, ...] = ()
    person_location: str | None = None
    if per_person_for is not None:
        person_tabs = (_tab(PERSON_TAB, kr.per_person(frames, win, reports)),)
        if not dry_run:
            target = per_person_target(config.workspace.backend, per_person_for)
            person_location = workspace.write_rollup(person_tabs, target=target)
    test_rows = [{k: row[k] for k in JSON_TEST_KEYS} for row in kr.records(tests)]
    return RollupResult(tabs=tabs, location=location, tests=test_rows, criteria=kr.records(criteria),
                        coverage=kr.records(coverage), attention=attention, per_person_tabs=person_tabs,
                        per_person_location=person_location)


def _reports_of(config: Config, manager: str) -> list[str]:
    """The emails of a manager's own reports; a UsageError naming the email when it is no manager."""
    key = manager.strip().lower()
    reports = [m.email for m in config.members if m.manager.strip().lower() == key]
    if not reports:
        known = ", ".join(sorted({m.manager for m in config.members})) or "none"
        raise UsageError(f"per-person rollup for {manager!r}: no member in {config.path} has this manager; "
                         f"managers with reports: {known}")
    return reports


def _tab(name: str, frame: pd.DataFrame) -> Tab:
    columns = tuple(str(c) for c in frame.columns)
    return _rows_tab(name, columns, kr.records(frame))


def _rows_tab(name: str, columns: tuple[str, ...], rows: list[dict[str, CellValue]]) -> Tab:
    body = tuple(tuple(kr.fit_cell(row.get(c)) for c in columns) for row in rows)
    return Tab(name=name, rows=(columns, *body))


def _kr1_tab(tests: pd.DataFrame) -> Tab:
    """Column names, the headline (the latest test, repeated), a blank row, every test oldest first, a chart.

    The headline shares the table's columns so that the frozen top rows read as one line and the chart's
    series take their names (yes_rate, target) from the first row.
    """
    columns = (*kr.TEST_COLUMNS, "note")
    body = tuple((*(row[c] for c in kr.TEST_COLUMNS), None) for row in kr.records(tests))
    headline: tuple[CellValue, ...] = ((*body[-1][:-1], "latest test (headline)") if body
                                       else ("no test date yet", *(None,) * (len(columns) - 1)))
    first = 3  # columns, headline, blank
    chart = None
    if body:
        chart = Chart(title="KR1 yes-rate against target", x_column=kr.TEST_COLUMNS.index("date"),
                      y_columns=(kr.TEST_COLUMNS.index("yes_rate"), kr.TEST_COLUMNS.index("target")),
                      first_row=first, last_row=first + len(body))
    return Tab(name=KR1_TAB, rows=(columns, headline, (), *body), chart=chart, frozen_rows=2)

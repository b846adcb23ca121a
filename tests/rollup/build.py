"""Builders for the rollup tests: a config, a local workspace with real templates, filled review files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from gworkspace_reviews.adapters.local.defined_names import find_name
from gworkspace_reviews.adapters.local.templates import write_sheet_template
from gworkspace_reviews.adapters.local.workspace import LocalWorkspace
from gworkspace_reviews.config import parse_config
from gworkspace_reviews.config_types import Config
from gworkspace_reviews.domain.models import (
    CellValue,
    ReadResult,
    ReviewContent,
    ReviewFile,
    ReviewKey,
    RubricRow,
)
from gworkspace_reviews.services.naming import build_spec

CRITERIA = ("Focus on impact", "Context so the why is clear", "Compassion", "Persist toward a resolution")
ADA, BOB, CY, DEE = "ada@example.com", "bob@example.com", "cy@example.com", "dee@example.com"
GRACE, MIA = "grace@example.com", "mia@example.com"


def raw_config(**cadence: Any) -> dict[str, Any]:
    """Parsed reviews.toml: four members, two managers, bi-weekly from 2021-12-13, weekly from 01-24."""
    return {
        "team": {"name": "Customer Support", "timezone": "America/Los_Angeles", "channel": "#cs"},
        "cadence": {"kickoff": date(2021, 12, 13), "every_weeks": 2, "weekly_from": date(2022, 1, 24),
                    **cadence},
        "kr1": {"target": 0.95, "first_test": date(2021, 12, 9)},
        "workspace": {"backend": "local", "root": "ws"},
        "templates": {"peer_sheet": "templates/peer.xlsx", "self_sheet": "templates/self.xlsx"},
        "members": [
            {"name": "Ada", "email": ADA, "manager": GRACE},
            {"name": "Bob", "email": BOB, "manager": GRACE},
            {"name": "Cy", "email": CY, "manager": MIA},
            {"name": "Dee", "email": DEE, "manager": MIA},
        ],
        "managers": [{"name": "Grace", "email": GRACE}, {"name": "Mia", "email": MIA}],
    }


def make_config(tmp: Path, **cadence: Any) -> Config:
    """A validated Config whose files live under ``tmp``."""
    return parse_config(raw_config(**cadence), tmp / "reviews.toml")


def make_workspace(config: Config) -> LocalWorkspace:
    """A real local workspace with the default-shaped templates (``CRITERIA`` rows) and members' folders."""
    base = config.base_dir
    (base / "templates").mkdir(parents=True, exist_ok=True)
    write_sheet_template(base / "templates/peer.xlsx", kind="peer", criteria=CRITERIA)
    write_sheet_template(base / "templates/self.xlsx", kind="self", criteria=CRITERIA)
    templates = {pair: base / path for pair, path in config.templates.items()}
    ws = LocalWorkspace(base / config.workspace.root, templates)
    for member in config.members:
        ws.ensure_folder(member)
    return ws


def provision(ws: LocalWorkspace, config: Config, key: ReviewKey, case_id: str = "1001") -> Path:
    """Create one review file through the workspace, as the weekly/monthly jobs do; its path."""
    owner = config.member(key.owner)
    assert owner is not None
    spec = build_spec(config, key, owner, ws.resolve_folder(owner), case_id)
    (outcome,) = ws.create_reviews([spec])
    assert outcome.file is not None, outcome.error
    return Path(outcome.file.location)


def _text(cell: Any, value: CellValue) -> None:
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"  # what a person gets typing '=1+1: text, not a formula


def fill(path: Path, answers: Sequence[CellValue], comments: Sequence[str] = (),
         manager: Sequence[CellValue] | None = None, modified: datetime | None = None) -> None:
    """Type answers (and comments, and the manager's answers) into a review spreadsheet, as a person would."""
    wb = openpyxl.load_workbook(path)
    area = find_name(wb, "answers")
    ws = wb[area.sheet]
    for offset, answer in enumerate(answers):
        _text(ws.cell(row=area.min_row + offset, column=area.min_col + 1), answer)
    for offset, comment in enumerate(comments):
        _text(ws.cell(row=area.min_row + offset, column=area.min_col + 2), comment)
    if manager is not None:
        marea = find_name(wb, "manager_answers")
        for offset, answer in enumerate(manager):
            _text(wb[marea.sheet].cell(row=marea.min_row + offset, column=marea.min_col), answer)
    wb.save(path)
    if modified is not None:
        stamp = modified.replace(tzinfo=modified.tzinfo or UTC).timestamp()
        os.utime(path, (stamp, stamp))


def peer_key(cycle: str, reviewer: str, owner: str) -> ReviewKey:
    """The tags of a peer review."""
    return ReviewKey("peer", cycle, reviewer, owner)


def self_key(month: str, member: str, slot: str = "manager-pick") -> ReviewKey:
    """The tags of a self review."""
    return ReviewKey("self", month, member, member, slot)


def result(key: ReviewKey, answers: Sequence[CellValue], *, manager: Sequence[CellValue] | None = None,
           comments: Sequence[str] = (), case_id: str = "1001", modified: str = "2022-01-01T12:00:00+00:00",
           file_id: str | None = None) -> ReadResult:
    """A ReadResult as an adapter returns it, for the pure-core tests."""
    names = CRITERIA[: len(answers)]
    padded = [*comments, *[""] * len(answers)]
    rows = tuple(RubricRow(n, a, c) for n, a, c in zip(names, answers, padded, strict=False))
    manager_rows = None
    if manager is not None:
        manager_rows = tuple(RubricRow(n, a) for n, a in zip(names, manager, strict=False))
    elif key.kind == "self":
        manager_rows = tuple(RubricRow(n, None) for n in names)
    fid = file_id or f"{key.kind}-{key.period}-{key.reviewer}-{key.owner}-{key.slot}"
    file = ReviewFile(file_id=fid, name=key.period, location=f"/ws/{fid}.xlsx", key=key, format="sheet",
                      case_id=case_id, modified=modified)
    header: dict[str, CellValue] = {"case_id": case_id, "reviewer": "", "case_owner": "", "cycle": key.period}
    content = ReviewContent(header=header, rows=rows, manager_rows=manager_rows)
    return ReadResult(file=file, content=content)

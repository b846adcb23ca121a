"""The local adapters satisfy the ports (checked by mypy on this file, and at runtime by using them)."""

from __future__ import annotations

from pathlib import Path

from gworkspace_reviews.adapters.local import LocalLedger, LocalWorkspace
from gworkspace_reviews.ports import Ledger, Workspace

from .helpers import make_workspace


def test_local_adapters_are_a_workspace_and_a_ledger(tmp_path: Path) -> None:
    _check: Workspace = make_workspace(tmp_path)
    _ledger: Ledger = LocalLedger(tmp_path)
    assert isinstance(_check, LocalWorkspace)
    assert _check.list_reviews() == [] and _ledger.entries() == {}

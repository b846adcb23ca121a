"""The sample `init` writes: templates that meet the contract, member folders and a case export."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from gworkspace_reviews.adapters.local import SAMPLE_MANAGERS, SAMPLE_MEMBERS, LocalWorkspace, write_sample
from gworkspace_reviews.adapters.local.sample import SAMPLE_ROOT, SAMPLE_TEMPLATES
from gworkspace_reviews.domain.models import Member

from .helpers import templates_of

TODAY = date(2021, 12, 13)


def test_sample_people(tmp_path: Path) -> None:
    assert len(SAMPLE_MEMBERS) == 13 and len(SAMPLE_MANAGERS) == 2
    emails = [e for _, e, _ in SAMPLE_MEMBERS] + [e for _, e in SAMPLE_MANAGERS]
    assert len(set(emails)) == 15 and all(e.endswith("@example.com") for e in emails)
    assert {m for _, _, m in SAMPLE_MEMBERS} == {e for _, e in SAMPLE_MANAGERS}


def test_write_sample_writes_templates_folders_and_cases(tmp_path: Path) -> None:
    written = write_sample(tmp_path, today=TODAY)

    assert {p.relative_to(tmp_path).as_posix() for p in written} == (
        set(SAMPLE_TEMPLATES.values()) | {f"{SAMPLE_ROOT}/{name}" for name, _, _ in SAMPLE_MEMBERS} | {"cases.csv"}
    )
    assert not (tmp_path / "reviews.toml").exists()
    ws = LocalWorkspace(tmp_path / SAMPLE_ROOT, templates_of(tmp_path))
    assert ws.check_templates(list(templates_of(tmp_path))) == []
    for name, email, manager in SAMPLE_MEMBERS:
        assert ws.resolve_folder(Member(name=name, email=email, manager=manager))

    with open(tmp_path / "cases.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "owner_email", "status", "solved_at", "updated_at"]
    assert 55 <= len(rows) <= 65
    assert len({r["id"] for r in rows}) == len(rows)
    owners = {e for _, e, _ in SAMPLE_MEMBERS}
    assert {r["owner_email"] for r in rows} == owners
    for email in owners:
        assert sum(r["status"] == "open" and r["owner_email"] == email for r in rows) >= 2
    solved = [r for r in rows if r["status"] in ("solved", "closed")]
    assert solved and all(r["solved_at"] for r in solved)
    assert all(not r["solved_at"] for r in rows if r not in solved)
    recent = [r for r in solved if date.fromisoformat(r["solved_at"]) >= TODAY - timedelta(days=7)]
    assert recent  # some cases are eligible for review as recently solved
    assert all(date.fromisoformat(r["updated_at"]) <= TODAY for r in rows)


def test_write_sample_is_deterministic_and_never_overwrites(tmp_path: Path) -> None:
    write_sample(tmp_path / "a", today=TODAY)
    write_sample(tmp_path / "b", today=TODAY)
    assert (tmp_path / "a" / "cases.csv").read_text() == (tmp_path / "b" / "cases.csv").read_text()
    mine = tmp_path / "a" / "templates" / "peer-review.xlsx"
    mine.write_bytes(b"my own template")
    assert write_sample(tmp_path / "a", today=TODAY) == []
    assert mine.read_bytes() == b"my own template"

"""Shared set-up for the local workspace tests: a sample directory, members and specs."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl

from gworkspace_reviews.adapters.local import LocalWorkspace, write_sample
from gworkspace_reviews.adapters.local.sample import SAMPLE_MEMBERS, SAMPLE_ROOT, SAMPLE_TEMPLATES
from gworkspace_reviews.domain.models import Format, Header, Kind, Member, ReviewKey, ReviewSpec


class FixedClock:
    """A clock stuck at one instant."""

    def __init__(self) -> None:
        self.at = datetime(2021, 12, 13, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


def templates_of(base: Path) -> dict[tuple[Kind, Format], Path]:
    out: dict[tuple[Kind, Format], Path] = {}
    for key, rel in SAMPLE_TEMPLATES.items():
        kind, fmt = key.split("_")
        out[(kind, fmt)] = base / rel  # type: ignore[index]
    return out


def make_workspace(base: Path) -> LocalWorkspace:
    write_sample(base)
    return LocalWorkspace(base / SAMPLE_ROOT, templates_of(base), clock=FixedClock())


def members() -> list[Member]:
    return [Member(name=n, email=e, manager=m) for n, e, m in SAMPLE_MEMBERS]


def peer_spec(
    ws: LocalWorkspace,
    reviewer: Member,
    owner: Member,
    *,
    fmt: Format = "sheet",
    cycle: str = "2021-12-13",
    case_id: str = "",
) -> ReviewSpec:
    return ReviewSpec(
        key=ReviewKey(kind="peer", period=cycle, reviewer=reviewer.email, owner=owner.email),
        format=fmt,
        name=cycle,
        header=Header(case_id=case_id, reviewer=reviewer.name, case_owner=owner.name, cycle=cycle),
        folder=ws.resolve_folder(owner),
    )


def self_spec(
    ws: LocalWorkspace, member: Member, *, slot: str, case_id: str, fmt: Format = "sheet", month: str = "2022-01"
) -> ReviewSpec:
    return ReviewSpec(
        key=ReviewKey(kind="self", period=month, reviewer=member.email, owner=member.email, slot=slot),
        format=fmt,
        name=f"{month} self review ({slot})",
        header=Header(case_id=case_id, reviewer=member.name, case_owner=member.name, cycle=month),
        folder=ws.resolve_folder(member),
    )


def custom_props(path: Path) -> dict[str, str]:
    """The custom document properties of an Office file, read independently of the code under test."""
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("docProps/custom.xml"))
    return {p.get("name"): (p[0].text or "") for p in root.findall(f"{ns}property")}  # type: ignore[misc]


def named_cell(wb: openpyxl.Workbook, name: str) -> Any:
    """The first cell a defined name points at, via openpyxl's own API."""
    sheet, coord = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][coord.replace("$", "").split(":")[0]]


def answer_cells(wb: openpyxl.Workbook, name: str = "answers") -> Any:
    """Rows of cells of a rubric range (criterion | answer | comment or answer | comment)."""
    sheet, coord = next(iter(wb.defined_names[name].destinations))
    return list(wb[sheet][coord.replace("$", "")])

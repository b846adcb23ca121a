"""Review spreadsheets on disk: check a template, fill and tag a copy, read the answers back."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.packaging.custom import StringProperty
from openpyxl.utils.exceptions import InvalidFileException

from gworkspace_reviews.adapters.local.defined_names import Area, NameProblem, find_name
from gworkspace_reviews.adapters.local.tags import PREFIX, Tags
from gworkspace_reviews.domain.models import CellValue, Kind, ReviewContent, RubricRow
from gworkspace_reviews.domain.template_contract import ANSWERS, HEADER_FIELDS, MANAGER_ANSWERS
from gworkspace_reviews.errors import WorkspaceError

_FORMULA_PREFIXES = ("=", "+", "-", "@")


def _load(source: Path | bytes, *, data_only: bool = False) -> Any:
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        return openpyxl.load_workbook(stream, data_only=data_only, rich_text=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        where = "template" if isinstance(source, bytes) else str(source)
        raise WorkspaceError(f"{where}: not a readable .xlsx workbook ({exc}); re-save it as .xlsx") from exc


def _save(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def set_text(cell: Any, value: str) -> None:
    """Write ``value`` as literal text: never evaluated as a formula by openpyxl, Excel or LibreOffice."""
    cell.value = value if value != "" else None
    if value:
        cell.data_type = "s"
        if value.startswith(_FORMULA_PREFIXES):
            cell.quotePrefix = True


def contract_problems(wb: Any, kind: Kind) -> list[str]:
    """Each way the workbook misses the spreadsheet template contract for ``kind``."""
    problems: list[str] = []
    areas: dict[str, Area] = {}
    wanted = [*HEADER_FIELDS, ANSWERS] + ([MANAGER_ANSWERS] if kind == "self" else [])
    for name in wanted:
        try:
            areas[name] = find_name(wb, name)
        except NameProblem as exc:
            problems.append(f"defined name {name!r} {exc}")
    for name in HEADER_FIELDS:
        area = areas.get(name)
        if area is not None and (area.width, area.height) != (1, 1):
            problems.append(f"defined name {name!r} must be one cell, not {area.describe()}")
    answers = areas.get(ANSWERS)
    if answers is not None and answers.width != 3:
        problems.append(
            f"defined name 'answers' must be 3 columns (criterion | answer | comment), not {answers.describe()}"
        )
    manager = areas.get(MANAGER_ANSWERS)
    if manager is not None:
        if manager.width != 2:
            problems.append(
                f"defined name 'manager_answers' must be 2 columns (answer | comment), not {manager.describe()}"
            )
        if answers is not None and (manager.min_row, manager.height) != (answers.min_row, answers.height):
            problems.append(
                f"defined name 'manager_answers' ({manager.describe()}) must cover the same rows as "
                f"'answers' ({answers.describe()})"
            )
    return problems


def check_template(path: Path, kind: Kind) -> list[str]:
    """Problems of a spreadsheet template file, each starting with its path."""
    try:
        wb = _load(path.read_bytes())
    except (WorkspaceError, OSError) as exc:
        return [f"{path}: {exc}"]
    return [f"{path}: {p}" for p in contract_problems(wb, kind)]


def _cell(wb: Any, name: str) -> Any:
    area = find_name(wb, name)
    return wb[area.sheet].cell(row=area.min_row, column=area.min_col)


def _write_tags(wb: Any, tags: Tags) -> None:
    props = wb.custom_doc_props
    # CustomPropertyList has append but no remove: keep everyone else's properties, replace ours.
    props.props = [p for p in props.props if not p.name.startswith(PREFIX)]
    for name, value in tags.to_props().items():
        props.append(StringProperty(name=name, value=value))


def edit(
    source: Path | bytes,
    header: Mapping[str, str],
    *,
    overwrite: bool,
    tags: Tags | None,
) -> tuple[bytes | None, bool]:
    """Apply header values (only to empty cells unless ``overwrite``) and tags; None when nothing changed.

    The flag says whether any header cell was written.
    """
    wb = _load(source)
    wrote = False
    for name, value in header.items():
        if not value and not overwrite:
            continue
        try:
            cell = _cell(wb, name)
        except NameProblem as exc:
            raise WorkspaceError(f"{source if isinstance(source, Path) else 'template'}: {name!r} {exc}") from exc
        if (overwrite or _is_empty(cell.value)) and cell.value != (value or None):
            set_text(cell, value)
            wrote = True
    if tags is not None:
        _write_tags(wb, tags)
    if not wrote and tags is None:
        return None, False
    return _save(wb), wrote


def _plain(value: object) -> CellValue:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


class _Values:
    """Typed cell values, falling back to the cached result wherever a cell holds a formula."""

    def __init__(self, path: Path, wb: Any) -> None:
        self._path = path
        self._wb = wb
        self._cached: Any = None

    def get(self, sheet: str, row: int, col: int) -> CellValue:
        cell = self._wb[sheet].cell(row=row, column=col)
        if cell.data_type != "f":
            return _plain(cell.value)
        if self._cached is None:
            self._cached = _load(self._path, data_only=True)
        return _plain(self._cached[sheet].cell(row=row, column=col).value)


def _text(value: CellValue) -> str:
    return "" if value is None else str(value)


def read(path: Path, kind: Kind) -> ReviewContent:
    """Header cells and rubric rows of a review spreadsheet, as people typed them."""
    wb = _load(path)
    values = _Values(path, wb)
    areas: dict[str, Area] = {}
    for name in (*HEADER_FIELDS, ANSWERS, *([MANAGER_ANSWERS] if kind == "self" else [])):
        try:
            areas[name] = find_name(wb, name)
        except NameProblem as exc:
            raise WorkspaceError(
                f"{path}: defined name {name!r} {exc}; restore it as in the template (Formulas > Name Manager)"
            ) from exc
    header = {name: values.get(areas[name].sheet, areas[name].min_row, areas[name].min_col) for name in HEADER_FIELDS}
    answers = areas[ANSWERS]
    manager = areas.get(MANAGER_ANSWERS)
    if answers.width < 3:
        raise WorkspaceError(f"{path}: defined name 'answers' must be 3 columns, not {answers.describe()}")
    if manager is not None and manager.width < 2:
        raise WorkspaceError(f"{path}: defined name 'manager_answers' must be 2 columns, not {manager.describe()}")
    rows: list[RubricRow] = []
    manager_rows: list[RubricRow] = []
    for offset in range(answers.height):
        row = answers.min_row + offset
        criterion = _text(values.get(answers.sheet, row, answers.min_col)).strip()
        if not criterion:
            continue
        answer = values.get(answers.sheet, row, answers.min_col + 1)
        comment = _text(values.get(answers.sheet, row, answers.min_col + 2))
        rows.append(RubricRow(criterion=criterion, answer=answer, comment=comment))
        if manager is not None and offset < manager.height:
            mrow = manager.min_row + offset
            manager_rows.append(
                RubricRow(
                    criterion=criterion,
                    answer=values.get(manager.sheet, mrow, manager.min_col),
                    comment=_text(values.get(manager.sheet, mrow, manager.min_col + 1)),
                )
            )
    return ReviewContent(
        header=header, rows=tuple(rows), manager_rows=tuple(manager_rows) if manager is not None else None
    )

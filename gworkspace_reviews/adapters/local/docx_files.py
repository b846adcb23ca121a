"""Review documents on disk: check a template, fill and tag a copy, read the rubric table back."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.exceptions import OpcError
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from gworkspace_reviews.adapters.local import docx_runs
from gworkspace_reviews.adapters.local.tags import Tags, merge_custom_xml
from gworkspace_reviews.domain.models import CellValue, Kind, ReviewContent, RubricRow
from gworkspace_reviews.domain.template_contract import (
    HEADER_FIELDS,
    HEADER_LABELS,
    doc_table_header,
    placeholder,
)
from gworkspace_reviews.errors import WorkspaceError

BOOKMARK_PREFIX = "gwr_"


@dataclass(frozen=True)
class Label:
    """The text around a header placeholder in the template, used to find the value once it is typed over."""

    prefix: str
    suffix: str


def _load(source: Path | bytes) -> Any:
    stream = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        return docx.Document(stream)
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        where = "template" if isinstance(source, bytes) else str(source)
        raise WorkspaceError(f"{where}: not a readable .docx document ({exc}); re-save it as .docx") from exc


def _save(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraphs(container: Any) -> Iterator[Any]:
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _find_rubric_table(document: Any, kind: Kind) -> Any | None:
    wanted = [_norm(label) for label in doc_table_header(kind)]
    for table in document.tables:
        if not table.rows:
            continue
        header = [_norm(cell.text) for cell in table.rows[0].cells]
        if header[: len(wanted)] == wanted:
            return table
    return None


def contract_problems(document: Any, kind: Kind) -> list[str]:
    """Each way the document misses the document template contract for ``kind``."""
    text = "\n".join(p.text for p in _paragraphs(document))
    problems = [f"placeholder {placeholder(f)} is missing" for f in HEADER_FIELDS if placeholder(f) not in text]
    if _find_rubric_table(document, kind) is None:
        header = " | ".join(doc_table_header(kind))
        problems.append(f"no rubric table whose header row reads {header}")
    return problems


def check_template(path: Path, kind: Kind) -> list[str]:
    """Problems of a document template file, each starting with its path."""
    try:
        document = _load(path.read_bytes())
    except (WorkspaceError, OSError) as exc:
        return [f"{path}: {exc}"]
    return [f"{path}: {p}" for p in contract_problems(document, kind)]


def template_labels(path: Path) -> dict[str, Label]:
    """For each header field, the text before/after its placeholder in the template's paragraph."""
    labels: dict[str, Label] = {}
    for paragraph in _paragraphs(_load(path.read_bytes())):
        text = paragraph.text
        for field in HEADER_FIELDS:
            mark = placeholder(field)
            if mark in text and text.count("{{") == 1 and field not in labels:
                before, after = text.split(mark, 1)
                labels[field] = Label(prefix=before.strip(), suffix=after.strip())
    return labels


def default_labels() -> dict[str, Label]:
    """Labels of the default templates, for documents whose template is not at hand."""
    labels = {field: Label(prefix=f"{label}:", suffix="") for field, label in HEADER_LABELS.items()}
    labels["self_reviewer"] = Label(prefix="Engineer:", suffix="")
    labels["self_cycle"] = Label(prefix="Month:", suffix="")
    return labels


def _replace_placeholder(document: Any, field: str, value: str) -> bool:
    mark = placeholder(field)
    wrote = False
    for paragraph in _paragraphs(document):
        start = 0
        while True:
            index = docx_runs.run_text(paragraph).find(mark, start)
            if index < 0:
                break
            if not docx_runs.replace_span(
                document, paragraph, index, index + len(mark), value, BOOKMARK_PREFIX + field
            ):
                break
            # Search on after the value, which may itself contain the placeholder (a field being cleared).
            start = index + len(value)
            wrote = True
    return wrote


def _label_span(paragraph: Any, label: Label) -> tuple[int, int] | None:
    text = docx_runs.run_text(paragraph)
    stripped = text.lstrip()
    if not label.prefix or not stripped.startswith(label.prefix):
        return None
    start = len(text) - len(stripped) + len(label.prefix)
    end = len(text)
    if label.suffix and text.rstrip().endswith(label.suffix):
        end = len(text.rstrip()) - len(label.suffix)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _labels_for(field: str, labels: Mapping[str, Label]) -> list[Label]:
    return [labels[k] for k in (field, f"self_{field}") if k in labels]


def _header_value(document: Any, field: str, labels: Mapping[str, Label]) -> CellValue:
    body = document.element.body
    marked = docx_runs.bookmark_text(body, BOOKMARK_PREFIX + field)
    if marked is not None and marked.strip() and marked.strip() != placeholder(field):
        return marked.strip()
    paragraphs = list(_paragraphs(document))
    if any(placeholder(field) in p.text for p in paragraphs):
        return None
    for label in _labels_for(field, labels):
        for paragraph in paragraphs:
            span = _label_span(paragraph, label)
            if span is not None:
                value = docx_runs.run_text(paragraph)[span[0] : span[1]].strip()
                return value or None
    return None


def _write_field(document: Any, field: str, value: str, labels: Mapping[str, Label]) -> bool:
    """Overwrite one header field wherever it is: our bookmark, the placeholder, or after its label."""
    shown = value or placeholder(field)
    if docx_runs.set_bookmark_text(document, BOOKMARK_PREFIX + field, shown):
        return True
    if _replace_placeholder(document, field, shown):
        return True
    for label in _labels_for(field, labels):
        for paragraph in _paragraphs(document):
            span = _label_span(paragraph, label)
            if span is None:
                continue
            if span[0] == span[1]:
                paragraph.add_run(" " + shown if not docx_runs.run_text(paragraph).endswith(" ") else shown)
                return True
            return docx_runs.replace_span(document, paragraph, span[0], span[1], shown, BOOKMARK_PREFIX + field)
    return False


def _write_tags(document: Any, tags: Tags) -> None:
    package = document.part.package
    part = next(
        (
            rel.target_part
            for rel in package.rels.values()
            if rel.reltype == RELATIONSHIP_TYPE.CUSTOM_PROPERTIES and not rel.is_external
        ),
        None,
    )
    blob = merge_custom_xml(part.blob if part is not None else None, tags.to_props())
    if part is None:
        part = Part(PackURI("/docProps/custom.xml"), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)
    else:
        # python-docx keeps parts it has no class for as raw bytes; replacing them is the supported way.
        part._blob = blob


def edit(
    source: Path | bytes,
    header: Mapping[str, str],
    *,
    overwrite: bool,
    tags: Tags | None,
    labels: Mapping[str, Label],
) -> tuple[bytes | None, bool]:
    """Fill placeholders still present (or overwrite the fields) and set tags; None when nothing changed."""
    document = _load(source)
    wrote = False
    for field, value in header.items():
        if overwrite:
            if not _write_field(document, field, value, labels):
                where = source if isinstance(source, Path) else "template"
                raise WorkspaceError(
                    f"{where}: cannot find where {field} goes (no {placeholder(field)} placeholder and no "
                    f"line starting with its label); type it in by hand"
                )
            wrote = True
        elif value:
            wrote = _replace_placeholder(document, field, value) or wrote
    if tags is not None:
        _write_tags(document, tags)
    if not wrote and tags is None:
        return None, False
    return _save(document), wrote


def _cell_value(text: str) -> CellValue:
    return text if text.strip() else None


def read(path: Path, kind: Kind, labels: Mapping[str, Label]) -> ReviewContent:
    """Header values and rubric rows of a review document, as people typed them."""
    document = _load(path)
    table = _find_rubric_table(document, kind)
    if table is None:
        header = " | ".join(doc_table_header(kind))
        raise WorkspaceError(f"{path}: no rubric table whose header row reads {header}; restore the table header")
    header_values = {field: _header_value(document, field, labels) for field in HEADER_FIELDS}
    rows: list[RubricRow] = []
    manager_rows: list[RubricRow] = []
    for row in table.rows[1:]:
        cells = [cell.text for cell in row.cells]
        cells += [""] * (5 - len(cells))
        criterion = cells[0].strip()
        if not criterion:
            continue
        rows.append(RubricRow(criterion=criterion, answer=_cell_value(cells[1]), comment=cells[2]))
        if kind == "self":
            manager_rows.append(RubricRow(criterion=criterion, answer=_cell_value(cells[3]), comment=cells[4]))
    return ReviewContent(
        header=header_values, rows=tuple(rows), manager_rows=tuple(manager_rows) if kind == "self" else None
    )

"""Docs v1: the document contract ({{placeholders}}, rubric table), header writes, answer reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gworkspace_reviews.adapters.google.gateway import Gateway, Json
from gworkspace_reviews.domain.models import CellValue, Kind, ReviewContent, RubricRow
from gworkspace_reviews.domain.template_contract import (
    HEADER_FIELDS,
    HEADER_LABELS,
    doc_table_header,
    placeholder,
)


def get_document(gw: Gateway, document_id: str, *, what: str) -> Json:
    """One documents.get."""
    return gw.execute(gw.docs.documents().get(documentId=document_id), what=what, target=document_id)


def batch_update(gw: Gateway, document_id: str, requests: list[Json], *, what: str) -> Json:
    """One documents.batchUpdate."""
    request = gw.docs.documents().batchUpdate(documentId=document_id, body={"requests": requests})
    return gw.execute(request, what=what, target=document_id, quota="docs.write")


def _paragraph_text(paragraph: Json) -> str:
    return "".join(
        str((el.get("textRun") or {}).get("content", "")) for el in paragraph.get("elements") or []
    )


def cell_text(cell: Json) -> str:
    """The text of a table cell, paragraphs joined by newlines, without the trailing newline."""
    parts = [_paragraph_text(el["paragraph"]) for el in cell.get("content") or [] if "paragraph" in el]
    return "".join(parts).rstrip("\n").strip()


def tables(doc: Json) -> list[Json]:
    """The top-level tables of the document body, in order."""
    return [el["table"] for el in (doc.get("body") or {}).get("content") or [] if "table" in el]


def table_rows(table: Json) -> list[list[str]]:
    """A table as rows of cell texts."""
    return [[cell_text(c) for c in row.get("tableCells") or []] for row in table.get("tableRows") or []]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def rubric_table(doc: Json, kind: Kind) -> list[list[str]] | None:
    """The rows of the first table whose header row is the rubric header of ``kind``, or None."""
    want = [_norm(h) for h in doc_table_header(kind)]
    for table in tables(doc):
        rows = table_rows(table)
        if rows and [_norm(c) for c in rows[0][: len(want)]] == want:
            return rows
    return None


def _lines(doc: Json, *, table_pairs: bool = True) -> Iterator[str]:
    """Every paragraph of the body (including inside tables), one line at a time."""

    def walk(content: list[Json]) -> Iterator[str]:
        for el in content:
            if "paragraph" in el:
                yield from _paragraph_text(el["paragraph"]).splitlines()
            elif "table" in el:
                for row in el["table"].get("tableRows") or []:
                    cells = row.get("tableCells") or []
                    texts = [cell_text(c) for c in cells]
                    # A two-column "Label | value" header table reads like "Label: value".
                    if table_pairs and len(texts) == 2:
                        yield f"{texts[0]}: {texts[1]}"
                    for cell in cells:
                        yield from walk(cell.get("content") or [])

    return walk((doc.get("body") or {}).get("content") or [])


def paragraph_lines(doc: Json) -> list[str]:
    """The lines of text as they are in the document (replaceAllText can match within each)."""
    return list(_lines(doc, table_pairs=False))


def full_text(doc: Json) -> str:
    """All text of the body, for placeholder checks."""
    return "\n".join(_lines(doc))


def missing_placeholders(doc: Json) -> list[str]:
    """The header placeholders the document lacks."""
    text = full_text(doc)
    return [placeholder(f) for f in HEADER_FIELDS if placeholder(f) not in text]


def parse_header(doc: Json) -> dict[str, CellValue]:
    """Header values from ``Label: value`` lines; None where the placeholder is still there or no label is."""
    text = full_text(doc)
    header: dict[str, CellValue] = {}
    for name in HEADER_FIELDS:
        if placeholder(name) in text:
            header[name] = None
            continue
        pattern = re.compile(rf"^\s*{re.escape(HEADER_LABELS[name])}\s*:\s*(.*?)\s*$", re.IGNORECASE)
        value = next((m.group(1) for line in _lines(doc) if (m := pattern.match(line))), None)
        header[name] = value or None
    return header


def _answer(text: str) -> CellValue:
    return text if text else None


def parse_content(doc: Json, kind: Kind) -> ReviewContent | None:
    """Header and rubric rows of a review document; None when it has no rubric table."""
    rows = rubric_table(doc, kind)
    if rows is None:
        return None
    mine: list[RubricRow] = []
    theirs: list[RubricRow] = []
    for row in rows[1:]:
        cells = [*row, "", "", "", "", ""]
        if not any(c.strip() for c in row):
            continue
        mine.append(RubricRow(criterion=cells[0], answer=_answer(cells[1]), comment=cells[2]))
        theirs.append(RubricRow(criterion=cells[0], answer=_answer(cells[3]), comment=cells[4]))
    return ReviewContent(
        header=parse_header(doc),
        rows=tuple(mine),
        manager_rows=tuple(theirs) if kind == "self" else None,
    )


def replace_requests(values: dict[str, str]) -> list[Json]:
    """replaceAllText requests swapping each non-empty field's placeholder for its value."""
    return [
        {
            "replaceAllText": {
                "containsText": {"text": placeholder(name), "matchCase": True},
                "replaceText": value,
            }
        }
        for name, value in values.items()
        if value
    ]


def occurrences(reply: Json) -> list[int]:
    """occurrencesChanged of each replaceAllText reply (Google omits the field when it is 0)."""
    out: list[int] = []
    for item in reply.get("replies") or []:
        replace: Any = (item or {}).get("replaceAllText") or {}
        out.append(int(replace.get("occurrencesChanged") or 0))
    return out

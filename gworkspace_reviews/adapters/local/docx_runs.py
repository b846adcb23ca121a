"""Low-level edits of a .docx paragraph's runs and bookmarks that keep each run's formatting."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run


def run_text(paragraph: Any) -> str:
    """The text of a paragraph's direct runs, the text that run offsets refer to."""
    return "".join(run.text for run in paragraph.runs)


def split(run: Any, offset: int) -> Any:
    """Split ``run`` at ``offset``; returns the new run holding the text from ``offset`` on."""
    text = run.text
    clone = copy.deepcopy(run._r)
    run._r.addnext(clone)
    right = Run(clone, run._parent)
    run.text = text[:offset]
    right.text = text[offset:]
    return right


def isolate(paragraph: Any, start: int, end: int) -> list[Any] | None:
    """Split runs so [start, end) of the paragraph's run text is exactly covered by whole runs."""
    position = 0
    for run in list(paragraph.runs):
        length = len(run.text)
        if position < start < position + length:
            split(run, start - position)
            return isolate(paragraph, start, end)
        if position < end < position + length:
            split(run, end - position)
            return isolate(paragraph, start, end)
        position += length
    covered: list[Any] = []
    position = 0
    for run in paragraph.runs:
        length = len(run.text)
        if start <= position and position + length <= end and length:
            covered.append(run)
        position += length
    return covered or None


def next_bookmark_id(document: Any) -> int:
    """A bookmark id not yet used in the document body."""
    ids = [int(el.get(qn("w:id"), "0")) for el in document.element.body.iter(qn("w:bookmarkStart"))]
    return max(ids, default=0) + 1


def bookmark(element: Any, name: str) -> tuple[Any, Any] | None:
    """The start and end marks of the bookmark called ``name``, if any."""
    for start in element.iter(qn("w:bookmarkStart")):
        if start.get(qn("w:name")) == name:
            ident = start.get(qn("w:id"))
            for end in element.iter(qn("w:bookmarkEnd")):
                if end.get(qn("w:id")) == ident:
                    return start, end
    return None


def bookmark_text(element: Any, name: str) -> str | None:
    """The text between a bookmark's marks, or None when there is no such bookmark."""
    found = bookmark(element, name)
    if found is None:
        return None
    start, end = found
    parts: list[str] = []
    inside = False
    for node in element.iter():
        if node is start:
            inside = True
        elif node is end:
            break
        elif inside and node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif inside and node.tag == qn("w:tab"):
            parts.append("\t")
    return "".join(parts)


def set_bookmark_text(document: Any, name: str, value: str) -> bool:
    """Replace the text inside a bookmark that sits within one paragraph; False when it cannot."""
    found = bookmark(document.element.body, name)
    if found is None:
        return False
    start, end = found
    if start.getparent() is not end.getparent():
        return False
    runs = []
    node = start.getnext()
    while node is not None and node is not end:
        if node.tag == qn("w:r"):
            runs.append(node)
        node = node.getnext()
    if node is None:
        return False
    if not runs:
        # A person deleted the bookmarked text: put a fresh run back between the marks.
        new = make_element("w:r", {})
        start.addnext(new)
        runs = [new]
    Run(runs[0], document).text = value
    for extra in runs[1:]:
        extra.getparent().remove(extra)
    return True


def replace_span(document: Any, paragraph: Any, start: int, end: int, value: str, mark: str | None) -> bool:
    """Replace [start, end) of the run text with ``value`` in the first run's formatting, bookmarked as ``mark``."""
    runs = isolate(paragraph, start, end) if end > start else None
    if runs is None:
        return False
    runs[0].text = value
    for extra in runs[1:]:
        extra._r.getparent().remove(extra._r)
    if mark is not None and bookmark(document.element.body, mark) is None:
        ident = str(next_bookmark_id(document))
        begin = make_element("w:bookmarkStart", {"w:id": ident, "w:name": mark})
        finish = make_element("w:bookmarkEnd", {"w:id": ident})
        runs[0]._r.addprevious(begin)
        runs[0]._r.addnext(finish)
    return True


def make_element(tag: str, attrs: Mapping[str, str]) -> Any:
    """A new WordprocessingML element with ``w:``-prefixed attributes."""
    return OxmlElement(tag, attrs={qn(k): v for k, v in attrs.items()})

"""The Docs v1 engine of the fake Google server: documents.create / get / batchUpdate, Google's structures.

Modelled: a body of paragraphs (text runs with textStyle, paragraphStyle with namedStyleType and headingId)
and tables (tableRows[].tableCells[].content[] of paragraphs) after the initial sectionBreak;
startIndex/endIndex in UTF-16 code units as Google counts them (a table, each row and each cell open with one
index; a table is always followed by a paragraph). batchUpdate, all-or-nothing in order: replaceAllText
(matchCase; reply occurrencesChanged), insertText (location.index or endOfSegmentLocation; newlines split
paragraphs), deleteContentRange (text across paragraphs, or whole tables), insertTable (a newline goes before
the table), insertTableRow, insertTableColumn, deleteTableRow, updateParagraphStyle, updateTextStyle.
writeControl requiredRevisionId is checked; every change yields a new revisionId.

Not modelled: headers, footers, footnotes, lists and bullets, inline objects and images, named ranges,
suggestions, merged table cells, tabs; text styles are stored as given (no style inheritance or resolution).

"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from typing import Any

from tests.fakegoogle.store import DOCUMENT, ApiError, Caller, FileRecord, Store

Json = dict[str, Any]

_SECTION = {
    "sectionStyle": {
        "columnSeparatorStyle": "NONE",
        "contentDirection": "LEFT_TO_RIGHT",
        "sectionType": "CONTINUOUS",
    }
}
_DOC_STYLE = {
    "background": {"color": {}},
    "pageNumberStart": 1,
    "marginTop": {"magnitude": 72, "unit": "PT"},
    "marginBottom": {"magnitude": 72, "unit": "PT"},
    "marginRight": {"magnitude": 72, "unit": "PT"},
    "marginLeft": {"magnitude": 72, "unit": "PT"},
    "pageSize": {"height": {"magnitude": 792, "unit": "PT"}, "width": {"magnitude": 612, "unit": "PT"}},
    "marginHeader": {"magnitude": 36, "unit": "PT"},
    "marginFooter": {"magnitude": 36, "unit": "PT"},
    "useCustomHeaderFooterMargins": True,
}
_STYLE_TYPES = [
    "NORMAL_TEXT",
    "HEADING_1",
    "HEADING_2",
    "HEADING_3",
    "HEADING_4",
    "HEADING_5",
    "HEADING_6",
    "TITLE",
    "SUBTITLE",
]


def _bad(message: str) -> ApiError:
    return ApiError(400, message, reason="badRequest")


def u16(text: str) -> int:
    """Length in UTF-16 code units, the unit of Docs indices."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _paragraph(text: str = "\n", style: Json | None = None, pstyle: Json | None = None) -> Json:
    return {"t": "p", "runs": [{"text": text, "style": dict(style or {})}], "pstyle": dict(pstyle or {})}


def _para_text(p: Json) -> str:
    return "".join(r["text"] for r in p["runs"])


def _explode(p: Json) -> list[tuple[str, str]]:
    return [(ch, json.dumps(r["style"], sort_keys=True)) for r in p["runs"] for ch in r["text"]]


def _implode(p: Json, chars: list[tuple[str, str]]) -> None:
    runs: list[Json] = []
    for ch, key in chars:
        if runs and runs[-1]["key"] == key:
            runs[-1]["text"] += ch
        else:
            runs.append({"text": ch, "key": key})
    p["runs"] = [{"text": r["text"], "style": json.loads(r["key"])} for r in runs]


def _offset(text_chars: list[tuple[str, str]], units: int) -> int:
    """A UTF-16 offset inside a paragraph -> a Python index into its characters."""
    pos = 0
    for i, (ch, _) in enumerate(text_chars):
        if pos >= units:
            return i
        pos += 2 if ord(ch) > 0xFFFF else 1
    return len(text_chars)


def _elem_len(e: Json) -> int:
    if e["t"] == "p":
        return u16(_para_text(e))
    return 1 + sum(1 + sum(1 + sum(_elem_len(x) for x in cell["content"]) for cell in row) for row in e["rows"])


class _Spot:
    """Where an index falls: the element list that holds it, the element's position and start index."""

    def __init__(self, container: list[Json], pos: int, start: int) -> None:
        self.container, self.pos, self.start = container, pos, start

    @property
    def elem(self) -> Json:
        return self.container[self.pos]


def _locate(container: list[Json], start: int, index: int) -> _Spot | None:
    """The paragraph (at any table depth) whose range holds ``index``."""
    cur = start
    for pos, e in enumerate(container):
        length = _elem_len(e)
        if cur <= index < cur + length:
            if e["t"] == "p":
                return _Spot(container, pos, cur)
            inner = cur + 1
            for row in e["rows"]:
                inner += 1
                for cell in row:
                    inner += 1
                    size = sum(_elem_len(x) for x in cell["content"])
                    if inner <= index < inner + size:
                        return _locate(cell["content"], inner, index)
                    inner += size
            return None
        cur += length
    return None


def _tables(container: list[Json], start: int) -> list[tuple[Json, int]]:
    out = []
    cur = start
    for e in container:
        if e["t"] == "table":
            out.append((e, cur))
            inner = cur + 1
            for row in e["rows"]:
                inner += 1
                for cell in row:
                    inner += 1
                    out.extend(_tables(cell["content"], inner))
                    inner += sum(_elem_len(x) for x in cell["content"])
        cur += _elem_len(e)
    return out


def _all_paragraphs(container: list[Json]) -> list[Json]:
    out = []
    for e in container:
        if e["t"] == "p":
            out.append(e)
        else:
            for row in e["rows"]:
                for cell in row:
                    out.extend(_all_paragraphs(cell["content"]))
    return out


class Docs:
    """Docs v1 methods over a Store. Document content is a plain dict (deep-copied by Drive copy)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def new_content(self, title: str) -> Any:
        """Content of a new empty document: one empty paragraph after the section break."""
        return {"revision": 1, "body": [_paragraph()], "headings": 0}

    def handle(self, method: str, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        """Answer one Docs method (discovery id) or raise ApiError."""
        handlers: dict[str, Callable[[dict[str, Any], Any, Caller], Any]] = {
            "docs.documents.create": self._create,
            "docs.documents.get": self._get,
            "docs.documents.batchUpdate": self._batch_update,
        }
        handler = handlers.get(method)
        if handler is None:
            raise ApiError(
                501,
                f"Method not implemented by the fake: {method}",
                reason="notImplemented",
                status="UNIMPLEMENTED",
            )
        with self.store.lock:
            return handler(params, body, caller)

    def _file(self, params: dict[str, Any], caller: Caller) -> FileRecord:
        rec = self.store.files.get(params.get("documentId", ""))
        if rec is None:
            raise ApiError(404, "Requested entity was not found.", reason="notFound")
        if not self.store.can_access(rec, caller):
            raise ApiError(403, "The caller does not have permission", reason="forbidden")
        if rec.mimeType != DOCUMENT or not isinstance(rec.content, dict):
            raise _bad("This operation is not supported for this document")
        return rec

    # -- create / get -------------------------------------------------------------

    def _create(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        title = (body or {}).get("title") or "Untitled document"
        file_id = self.store.new_id("d")
        stamp = self.store.now()
        rec = FileRecord(
            id=file_id,
            name=title,
            mimeType=DOCUMENT,
            owner=caller.email,
            createdTime=stamp,
            modifiedTime=stamp,
            content=self.new_content(title),
        )
        self.store.files[file_id] = rec
        return self.render(rec)

    def _get(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        return self.render(self._file(params, caller))

    @staticmethod
    def revision_id(rec: FileRecord) -> str:
        """An opaque revision id that changes with every content change."""
        digest = hashlib.sha1(f"{rec.id}:{rec.content['revision']}".encode()).hexdigest()
        return "ALm37B" + digest[:40]

    def render(self, rec: FileRecord) -> Json:
        """The Document resource, indices computed as Google does."""
        content: list[Json] = [{"endIndex": 1, "sectionBreak": copy.deepcopy(_SECTION)}]
        self._render_elems(rec.content["body"], 1, content)
        named = {
            "styles": [
                {"namedStyleType": t, "textStyle": {}, "paragraphStyle": {"namedStyleType": t}} for t in _STYLE_TYPES
            ]
        }
        return {
            "title": rec.name,
            "body": {"content": content},
            "documentStyle": copy.deepcopy(_DOC_STYLE),
            "namedStyles": named,
            "revisionId": self.revision_id(rec),
            "suggestionsViewMode": "SUGGESTIONS_INLINE",
            "documentId": rec.id,
        }

    def _render_elems(self, elems: list[Json], start: int, out: list[Json]) -> int:
        cur = start
        for e in elems:
            if e["t"] == "p":
                elements = []
                pos = cur
                for run in e["runs"]:
                    n = u16(run["text"])
                    if not n:
                        continue
                    elements.append(
                        {
                            "startIndex": pos,
                            "endIndex": pos + n,
                            "textRun": {"content": run["text"], "textStyle": copy.deepcopy(run["style"])},
                        }
                    )
                    pos += n
                pstyle = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT", **e["pstyle"]}
                out.append(
                    {
                        "startIndex": cur,
                        "endIndex": pos,
                        "paragraph": {"elements": elements, "paragraphStyle": pstyle},
                    }
                )
                cur = pos
                continue
            table_start = cur
            cur += 1
            rows = []
            for row in e["rows"]:
                row_start = cur
                cur += 1
                cells = []
                for cell in row:
                    cell_start = cur
                    cur += 1
                    inner: list[Json] = []
                    cur = self._render_elems(cell["content"], cur, inner)
                    cells.append(
                        {
                            "startIndex": cell_start,
                            "endIndex": cur,
                            "content": inner,
                            "tableCellStyle": {
                                "rowSpan": 1,
                                "columnSpan": 1,
                                "backgroundColor": {},
                                "paddingLeft": {"magnitude": 5, "unit": "PT"},
                                "paddingRight": {"magnitude": 5, "unit": "PT"},
                                "paddingTop": {"magnitude": 5, "unit": "PT"},
                                "paddingBottom": {"magnitude": 5, "unit": "PT"},
                                "contentAlignment": "TOP",
                            },
                        }
                    )
                rows.append(
                    {
                        "startIndex": row_start,
                        "endIndex": cur,
                        "tableCells": cells,
                        "tableRowStyle": {"minRowHeight": {"unit": "PT"}},
                    }
                )
            columns = len(e["rows"][0]) if e["rows"] else 0
            out.append(
                {
                    "startIndex": table_start,
                    "endIndex": cur,
                    "table": {
                        "rows": len(e["rows"]),
                        "columns": columns,
                        "tableRows": rows,
                        "tableStyle": {
                            "tableColumnProperties": [{"widthType": "EVENLY_DISTRIBUTED"} for _ in range(columns)]
                        },
                    },
                }
            )
        return cur

    # -- batchUpdate ----------------------------------------------------------------

    def _batch_update(self, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        rec = self._file(params, caller)
        body = body or {}
        control = body.get("writeControl") or {}
        current = self.revision_id(rec)
        required = control.get("requiredRevisionId")
        if required is not None and required != current:
            raise _bad(
                f"The required revision ID {required} does not match the latest revision ID of the "
                "document. The document was modified by another request."
            )
        if "targetRevisionId" in control and control["targetRevisionId"] != current:
            raise _bad("The target revision ID is not valid for this document.")
        requests = body.get("requests") or []
        if not requests:
            raise _bad("Must specify at least one request.")
        work = copy.deepcopy(rec.content)
        replies = []
        for i, request in enumerate(requests):
            if not isinstance(request, dict) or len(request) != 1:
                raise _bad(f"Invalid requests[{i}]: exactly one kind of request must be set.")
            kind, payload = next(iter(request.items()))
            handler = getattr(self, "_rq_" + kind, None)
            if handler is None:
                raise _bad(f"Invalid requests[{i}].{kind}: this request kind is not modelled by the fake server.")
            replies.append(handler(work, payload or {}, f"requests[{i}].{kind}"))
        work["revision"] += 1
        rec.content = work
        self.store.touch(rec.id)
        return {
            "replies": replies,
            "writeControl": {"requiredRevisionId": self.revision_id(rec)},
            "documentId": rec.id,
        }

    @staticmethod
    def _segment(loc: Json, where: str) -> None:
        if loc.get("segmentId"):
            raise _bad(f"Invalid {where}: the fake server models only the document body (segmentId '').")

    def _end_index(self, work: Json) -> int:
        return 1 + sum(_elem_len(e) for e in work["body"])

    def _insert_point(self, work: Json, rq: Json, where: str) -> int:
        if "location" in rq and "endOfSegmentLocation" in rq:
            raise _bad(f"Invalid {where}: exactly one of location or endOfSegmentLocation must be set.")
        if "endOfSegmentLocation" in rq:
            self._segment(rq["endOfSegmentLocation"] or {}, where)
            return self._end_index(work) - 1
        loc = rq.get("location")
        if loc is None:
            raise _bad(f"Invalid {where}: location or endOfSegmentLocation must be set.")
        self._segment(loc, where)
        index = loc.get("index", 0)
        end = self._end_index(work)
        if index < 1:
            raise _bad(f"Invalid {where}: Index {index} must be greater than or equal to 1.")
        if index >= end:
            raise _bad(
                f"Invalid {where}: Index {index} must be less than the end index of the referenced segment, {end}."
            )
        return int(index)

    def _paragraph_at(self, work: Json, index: int, where: str) -> _Spot:
        spot = _locate(work["body"], 1, index)
        if spot is None:
            raise _bad(
                f"Invalid {where}: The insertion index must be inside the bounds of an existing "
                "paragraph. You can still create new paragraphs by inserting newlines."
            )
        return spot

    def _split(self, spot: _Spot, units: int) -> None:
        """Split the paragraph at ``units`` into two; the tail keeps the paragraph style."""
        p = spot.elem
        chars = _explode(p)
        at = _offset(chars, units)
        style_key = chars[at - 1][1] if at else chars[0][1]
        head = {"t": "p", "runs": [], "pstyle": copy.deepcopy(p["pstyle"])}
        _implode(head, [*chars[:at], ("\n", style_key)])
        tail = {"t": "p", "runs": [], "pstyle": copy.deepcopy(p["pstyle"])}
        _implode(tail, chars[at:])
        spot.container[spot.pos : spot.pos + 1] = [head, tail]

    def _rq_insertText(self, work: Json, rq: Json, where: str) -> Json:
        text = rq.get("text")
        if text is None:
            raise _bad(f"Invalid {where}: text must be set.")
        index = self._insert_point(work, rq, where)
        spot = self._paragraph_at(work, index, where)
        p = spot.elem
        chars = _explode(p)
        at = _offset(chars, index - spot.start)
        # Inserted text takes the style of the text before it (or after it, at a paragraph's start).
        key = chars[at - 1][1] if at else chars[0][1]
        pieces = text.replace("\r\n", "\n").split("\n")
        if len(pieces) == 1:
            _implode(p, [*chars[:at], *((ch, key) for ch in text), *chars[at:]])
            return {}
        new = []
        first = {"t": "p", "runs": [], "pstyle": copy.deepcopy(p["pstyle"])}
        _implode(first, [*chars[:at], *((ch, key) for ch in pieces[0]), ("\n", key)])
        new.append(first)
        for middle in pieces[1:-1]:
            para = {"t": "p", "runs": [], "pstyle": copy.deepcopy(p["pstyle"])}
            _implode(para, [*((ch, key) for ch in middle), ("\n", key)])
            new.append(para)
        last = {"t": "p", "runs": [], "pstyle": copy.deepcopy(p["pstyle"])}
        _implode(last, [*((ch, key) for ch in pieces[-1]), *chars[at:]])
        new.append(last)
        spot.container[spot.pos : spot.pos + 1] = new
        return {}

    def _rq_insertTable(self, work: Json, rq: Json, where: str) -> Json:
        rows, cols = rq.get("rows", 0), rq.get("columns", 0)
        if rows < 1 or cols < 1:
            raise _bad(f"Invalid {where}: The table must have at least one row and one column.")
        if rows * cols > 1000 or cols > 20:
            raise _bad(f"Invalid {where}: The table is too large.")
        index = self._insert_point(work, rq, where)
        spot = self._paragraph_at(work, index, where)
        self._split(spot, index - spot.start)
        table = {
            "t": "table",
            "rows": [[{"content": [_paragraph()]} for _ in range(cols)] for _ in range(rows)],
        }
        spot.container.insert(spot.pos + 1, table)
        return {}

    def _table_at(self, work: Json, loc: Json, where: str) -> Json:
        self._segment(loc, where)
        index = loc.get("index")
        for table, start in _tables(work["body"], 1):
            if start == index:
                return table
        raise _bad(f"Invalid {where}: The provided table start location is invalid.")

    def _cell_location(self, work: Json, rq: Json, where: str) -> tuple[Json, int, int]:
        loc = rq.get("tableCellLocation") or {}
        table = self._table_at(work, loc.get("tableStartLocation") or {}, where)
        r, c = loc.get("rowIndex", 0), loc.get("columnIndex", 0)
        if not (0 <= r < len(table["rows"]) and 0 <= c < len(table["rows"][0])):
            raise _bad(f"Invalid {where}: The table cell location is outside the table.")
        return table, r, c

    def _rq_insertTableRow(self, work: Json, rq: Json, where: str) -> Json:
        table, r, _ = self._cell_location(work, rq, where)
        cols = len(table["rows"][0])
        table["rows"].insert(r + 1 if rq.get("insertBelow") else r, [{"content": [_paragraph()]} for _ in range(cols)])
        return {}

    def _rq_insertTableColumn(self, work: Json, rq: Json, where: str) -> Json:
        table, _, c = self._cell_location(work, rq, where)
        if len(table["rows"][0]) >= 20:
            raise _bad(f"Invalid {where}: A table can have at most 20 columns.")
        for row in table["rows"]:
            row.insert(c + 1 if rq.get("insertRight") else c, {"content": [_paragraph()]})
        return {}

    def _rq_deleteTableRow(self, work: Json, rq: Json, where: str) -> Json:
        table, r, _ = self._cell_location(work, rq, where)
        if len(table["rows"]) == 1:
            self._remove_table(work["body"], table)
            return {}
        del table["rows"][r]
        return {}

    @staticmethod
    def _remove_table(container: list[Json], table: Json) -> bool:
        for pos, e in enumerate(container):
            if e is table:
                del container[pos]
                return True
            if e["t"] == "table":
                for row in e["rows"]:
                    for cell in row:
                        if Docs._remove_table(cell["content"], table):
                            return True
        return False

    def _rq_replaceAllText(self, work: Json, rq: Json, where: str) -> Json:
        crit = rq.get("containsText") or {}
        needle = crit.get("text") or ""
        if not needle:
            raise _bad(f"Invalid {where}: containsText.text must not be empty.")
        if "\n" in needle:
            raise _bad(f"Invalid {where}: containsText.text must not contain a newline.")
        replacement = rq.get("replaceText") or ""
        match_case = bool(crit.get("matchCase"))
        count = 0
        for p in _all_paragraphs(work["body"]):
            chars = _explode(p)
            text = "".join(ch for ch, _ in chars)
            hay = text if match_case else text.lower()
            probe = needle if match_case else needle.lower()
            out: list[tuple[str, str]] = []
            i = 0
            changed = False
            while i < len(chars):
                if hay.startswith(probe, i) and not (text[i : i + len(needle)].endswith("\n")):
                    key = chars[i][1]
                    out.extend((ch, key) for ch in replacement)
                    i += len(needle)
                    count += 1
                    changed = True
                else:
                    out.append(chars[i])
                    i += 1
            if changed:
                _implode(p, out)
        return {"replaceAllText": {"occurrencesChanged": count} if count else {}}

    def _range(self, work: Json, rq: Json, where: str) -> tuple[int, int]:
        rng = rq.get("range") or {}
        self._segment(rng, where)
        start, end = rng.get("startIndex"), rng.get("endIndex")
        if start is None or end is None:
            raise _bad(f"Invalid {where}: range.startIndex and range.endIndex must be set.")
        if start < 1 or end <= start:
            raise _bad(f"Invalid {where}: The range should not be empty and must start at index 1 or later.")
        if end > self._end_index(work):
            raise _bad(
                f"Invalid {where}: Index {end - 1} must be less than the end index of the referenced "
                f"segment, {self._end_index(work)}."
            )
        return int(start), int(end)

    def _rq_deleteContentRange(self, work: Json, rq: Json, where: str) -> Json:
        start, end = self._range(work, rq, where)
        if end == self._end_index(work):
            raise _bad(f"Invalid {where}: The range cannot include the newline character at the end of the segment.")
        container, first = self._container_of(work, start, end, where)
        # Walk the elements of the container that hold the range; whole tables go, paragraphs are cut.
        cur = first[1]
        kept: list[Json] = []
        merged: list[tuple[str, str]] | None = None
        pstyle: Json = {}
        for e in container[first[0] :]:
            length = _elem_len(e)
            e_start, e_end = cur, cur + length
            cur = e_end
            if e_start >= end:
                kept.append(e)
                continue
            if e["t"] == "table":
                if start <= e_start and e_end <= end:
                    continue
                raise _bad(f"Invalid {where}: The range must cover whole tables or stay inside one cell.")
            chars = _explode(e)
            lo = _offset(chars, max(start, e_start) - e_start)
            hi = _offset(chars, min(end, e_end) - e_start)
            remaining = chars[:lo] + chars[hi:]
            if merged is None:
                merged = []
                pstyle = e["pstyle"]
            merged.extend(remaining)
            if remaining and remaining[-1][0] == "\n":
                p = {"t": "p", "runs": [], "pstyle": pstyle}
                _implode(p, merged)
                kept.append(p)
                merged = None
        if merged:
            p = {"t": "p", "runs": [], "pstyle": pstyle}
            _implode(p, merged)
            kept.append(p)
        del container[first[0] :]
        container.extend(kept)
        # A table must stay followed by a paragraph.
        for pos, e in enumerate(container):
            if e["t"] == "table" and (pos + 1 == len(container) or container[pos + 1]["t"] == "table"):
                container.insert(pos + 1, _paragraph())
        return {}

    def _container_of(self, work: Json, start: int, end: int, where: str) -> tuple[list[Json], tuple[int, int]]:
        """The innermost element list holding [start, end), with the first touched element and its start."""
        container, base = work["body"], 1
        while True:
            cur = base
            for pos, e in enumerate(container):
                length = _elem_len(e)
                if not cur <= start < cur + length:
                    cur += length
                    continue
                if e["t"] != "table" or start == cur:
                    return container, (pos, cur)
                inner = cur + 1
                found = None
                for row in e["rows"]:
                    inner += 1
                    for cell in row:
                        inner += 1
                        size = sum(_elem_len(x) for x in cell["content"])
                        if inner <= start < inner + size:
                            if end >= inner + size:
                                raise _bad(
                                    f"Invalid {where}: The range cannot include the newline character "
                                    "at the end of a table cell."
                                )
                            found = (cell["content"], inner)
                        inner += size
                if found is None:
                    raise _bad(f"Invalid {where}: The range must cover whole tables or stay inside one cell.")
                container, base = found
                break
            else:
                raise _bad(f"Invalid {where}: The range is outside the document.")

    def _styled_paragraphs(self, work: Json, start: int, end: int) -> list[tuple[Json, int]]:
        out = []

        def walk(container: list[Json], base: int) -> None:
            cur = base
            for e in container:
                length = _elem_len(e)
                if e["t"] == "p":
                    if cur < end and start < cur + length:
                        out.append((e, cur))
                else:
                    inner = cur + 1
                    for row in e["rows"]:
                        inner += 1
                        for cell in row:
                            inner += 1
                            walk(cell["content"], inner)
                            inner += sum(_elem_len(x) for x in cell["content"])
                cur += length

        walk(work["body"], 1)
        return out

    def _rq_updateParagraphStyle(self, work: Json, rq: Json, where: str) -> Json:
        start, end = self._range(work, rq, where)
        fields = [f.strip() for f in (rq.get("fields") or "").split(",") if f.strip()]
        if not fields:
            raise _bad(f"Invalid {where}: At least one field must be updated, but none were specified.")
        style = rq.get("paragraphStyle") or {}
        for p, _ in self._styled_paragraphs(work, start, end):
            for f in fields if fields != ["*"] else list(style):
                if f in style and style[f] is not None:
                    p["pstyle"][f] = copy.deepcopy(style[f])
                else:
                    p["pstyle"].pop(f, None)
            kind = p["pstyle"].get("namedStyleType", "NORMAL_TEXT")
            if kind not in _STYLE_TYPES:
                raise _bad(f"Invalid {where}: unknown namedStyleType {kind}")
            if kind.startswith("HEADING") or kind in ("TITLE", "SUBTITLE"):
                if "headingId" not in p["pstyle"]:
                    work["headings"] += 1
                    p["pstyle"]["headingId"] = f"h.fake{work['headings']:06d}"
            else:
                p["pstyle"].pop("headingId", None)
        return {}

    def _rq_updateTextStyle(self, work: Json, rq: Json, where: str) -> Json:
        start, end = self._range(work, rq, where)
        fields = [f.strip() for f in (rq.get("fields") or "").split(",") if f.strip()]
        if not fields:
            raise _bad(f"Invalid {where}: At least one field must be updated, but none were specified.")
        style = rq.get("textStyle") or {}
        for p, p_start in self._styled_paragraphs(work, start, end):
            chars = _explode(p)
            lo = _offset(chars, max(start, p_start) - p_start)
            hi = _offset(chars, end - p_start)
            for i in range(lo, min(hi, len(chars))):
                current = json.loads(chars[i][1])
                for f in fields if fields != ["*"] else list(style):
                    if f in style and style[f] is not None:
                        current[f] = copy.deepcopy(style[f])
                    else:
                        current.pop(f, None)
                chars[i] = (chars[i][0], json.dumps(current, sort_keys=True))
            _implode(p, chars)
        return {}

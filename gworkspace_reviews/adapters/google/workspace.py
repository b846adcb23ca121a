"""GoogleWorkspace: review files in Drive, provisioned, headed and read through Drive, Sheets and Docs.

Request budget (each counted by the tests against the fake): a template check is one spreadsheets.get or
documents.get per template per run; a cycle's existing files are one paged files.list; a new review is one
files.copy (named, placed, tagged) plus one header write; an existing review costs one header read and writes
only cells still empty; reading a review is one values.batchGet or documents.get, none when its modifiedTime
is unchanged since it was last read (the cache file survives across runs).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from google.auth.credentials import Credentials

from gworkspace_reviews.adapters.google import docs, drive, folders, sheets, tags
from gworkspace_reviews.adapters.google.apierrors import SystemicError
from gworkspace_reviews.adapters.google.gateway import Gateway, Json
from gworkspace_reviews.adapters.google.ledger import LEDGER_TAB, GoogleLedger
from gworkspace_reviews.adapters.google.readcache import ReadCache
from gworkspace_reviews.config_types import GoogleConfig, WorkspaceConfig
from gworkspace_reviews.domain.models import (
    CellValue,
    Format,
    Header,
    Kind,
    Member,
    Outcome,
    ReadResult,
    ReviewFile,
    ReviewKey,
    ReviewSpec,
    Tab,
)
from gworkspace_reviews.domain.template_contract import (
    HEADER_FIELDS,
    HEADER_LABELS,
    doc_table_header,
    placeholder,
    template_key,
)
from gworkspace_reviews.errors import ConfigError, SetupError, TemplateError, TransientError, WorkspaceError

T = TypeVar("T")
PROGRESS_EVERY = 50
log = logging.getLogger(__name__)
R = TypeVar("R")


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_ref(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


class GoogleWorkspace:
    """The Workspace port on Google Drive (see the module docstring for the request budget)."""

    def __init__(
        self,
        google: GoogleConfig,
        workspace: WorkspaceConfig,
        templates: dict[tuple[Kind, Format], str],
        *,
        clock: Callable[[], float] | None = None,
        credentials: Credentials | None = None,
        cache_path: Path | None = None,
        sleep: Callable[[float], None] | None = None,
        gateway: Gateway | None = None,
    ) -> None:
        self.google = google
        self.workspace = workspace
        self.templates = dict(templates)
        self.gw = gateway or Gateway(
            google,
            credentials=credentials,
            sleep=sleep or time.sleep,
            clock=clock or time.monotonic,
        )
        self.cache = ReadCache(cache_path)
        self._checked: dict[tuple[Kind, Format], list[str]] = {}
        self._children: dict[str, list[str]] | None = None
        self._lock = threading.Lock()

    # -- helpers -----------------------------------------------------------------------------------------

    def _parallel(self, work: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``work`` over ``items`` on a small pool; a SystemicError or ConfigError stops the rest."""
        if len(items) <= 1 or self.google.workers <= 1:
            return [work(item) for item in items]
        with ThreadPoolExecutor(max_workers=self.google.workers, thread_name_prefix="gwr-google") as pool:
            futures: list[Future[R]] = [pool.submit(work, item) for item in items]
            try:
                results = []
                for done, future in enumerate(futures, 1):
                    results.append(future.result())
                    if done % PROGRESS_EVERY == 0 or done == len(futures):
                        log.info("%d/%d file(s) done", done, len(futures))  # progress on a terminal only
                return results
            except BaseException:
                for f in futures:
                    f.cancel()
                raise

    # -- templates ---------------------------------------------------------------------------------------

    def check_templates(self, needed: Sequence[tuple[Kind, Format]]) -> list[str]:
        """Problems with the templates needed (each names the template and what it lacks); empty when fine."""
        problems: list[str] = []
        for kind, fmt in dict.fromkeys(needed):
            with self._lock:
                cached = self._checked.get((kind, fmt))
            if cached is None:
                cached = self._template_problems(kind, fmt)
                with self._lock:
                    self._checked[(kind, fmt)] = cached
            problems.extend(cached)
        return problems

    def _template_problems(self, kind: Kind, fmt: Format) -> list[str]:
        key = template_key(kind, fmt)
        template = self.templates.get((kind, fmt))
        if not template:
            return [
                f"{key}: no {kind} {fmt} template is configured; run `gworkspace-reviews templates create` "
                "and put the printed id here."
            ]
        where = f"{key} ({template})"
        what = f"checking template {key}"
        try:
            if fmt == "sheet":
                have = sheets.named_ranges(self.gw, template, what=what)
                missing = [r for r in sheets.required_ranges(kind) if r not in have]
                if missing:
                    return [
                        f"{where}: the spreadsheet lacks the named range(s) {', '.join(missing)} "
                        "(add them under Data > Named ranges)."
                    ]
                return []
            doc = docs.get_document(self.gw, template, what=what)
        except (SystemicError, TransientError):
            raise  # an outage or an auth problem is not a broken template: rerun, or fix the account
        except WorkspaceError as exc:
            return [f"{where}: {exc}"]
        problems = []
        missing_ph = docs.missing_placeholders(doc)
        if missing_ph:
            problems.append(f"{where}: the document lacks the placeholder(s) {', '.join(missing_ph)}.")
        if docs.rubric_table(doc, kind) is None:
            problems.append(
                f"{where}: the document has no rubric table whose header row reads "
                f"{' | '.join(doc_table_header(kind))}."
            )
        return problems

    def _require_templates(self, needed: Sequence[tuple[Kind, Format]]) -> None:
        problems = self.check_templates(needed)
        if problems:
            lines = "\n".join(f"  - {p}" for p in problems)
            raise TemplateError(f"templates do not meet the template contract; nothing was copied:\n{lines}")

    # -- folders -----------------------------------------------------------------------------------------

    def check_root(self) -> None:
        """One files.get of workspace.root: a folder this account can see, else SetupError (exit 2) naming it."""
        root = self.workspace.root
        fix = (f"check workspace.root in reviews.toml ({root}) and share that folder with "
               f"{self.gw.identity.email} (Content manager of its shared drive)")
        try:
            item = self.gw.execute(
                self.gw.drive.files().get(fileId=root, fields="id,mimeType,trashed", supportsAllDrives=True),
                what="checking the review folder", target=f"folder {root} (workspace.root)")
        except (SystemicError, TransientError):
            raise
        except WorkspaceError as exc:
            raise SetupError(f"workspace.root: the review folder {root} cannot be opened ({exc}); {fix}") from None
        if item.get("mimeType") != drive.FOLDER_MIME or item.get("trashed"):
            raise SetupError(f"workspace.root: {root} is not a folder (or is in the trash); {fix}")

    def _root_children(self, refresh: bool = False) -> dict[str, list[str]]:
        with self._lock:
            children = None if refresh else self._children
        if children is None:
            children = folders.child_folders(self.gw, self.workspace.root)
            with self._lock:
                self._children = children
        return children

    def resolve_folder(self, member: Member) -> str:
        """member.folder if set, else the folder named after the member under the root folder."""
        if member.folder:
            return member.folder
        found = folders.pick(member, self.workspace.root, self._root_children())
        if found is None:
            raise WorkspaceError(
                f"no folder named {member.name!r} under the review folder {self.workspace.root} "
                f'(workspace.root): run `gworkspace-reviews folders sync`, or set folder = "<id>" for '
                f"{member.email} in [[members]]."
            )
        return found

    def ensure_folder(self, member: Member) -> str:
        """The member's review folder, created under the root folder (sharing nothing) when missing."""
        if member.folder:
            return member.folder
        children = self._root_children()
        found = folders.pick(member, self.workspace.root, children)
        if found:
            return found
        folder_id = folders.create_folder(self.gw, self.workspace.root, member.name)
        with self._lock:
            children[member.name] = [folder_id]
        return folder_id

    # -- listing -----------------------------------------------------------------------------------------

    def list_reviews(self, *, kind: Kind | None = None, period: str | None = None) -> list[ReviewFile]:
        """Review files carrying our tags (one paged files.list), optionally one kind and/or period."""
        what = "listing review files" + (f" of {kind}" if kind else "") + (f" {period}" if period else "")
        items = drive.list_files(self.gw, tags.reviews_query(kind, period), what=what, target="Drive search")
        out = [f for f in (drive.review_file(item) for item in items) if f is not None]
        return sorted(out, key=lambda f: (f.key.kind, f.key.period, f.key.owner, f.key.reviewer, f.key.slot))

    def _find_exact(self, key: ReviewKey) -> Json | None:
        """The first file tagged exactly ``key`` (one unretried request: used inside a retried copy)."""
        extra = {"reviewer": key.reviewer, "owner": key.owner, "slot": key.slot}
        request = self.gw.drive.files().list(
            q=tags.reviews_query(key.kind, key.period, extra),
            fields=f"files({drive.FILE_FIELDS})",
            pageSize=10,
            supportsAllDrives=True,
            includeItemsFromAllDrives=True,
            corpora="allDrives",
        )
        for item in self.gw.send(request).get("files") or []:
            found = drive.review_file(item)
            if found is not None and found.key == key:
                return dict(item)
        return None

    # -- provisioning ------------------------------------------------------------------------------------

    def create_reviews(self, specs: Sequence[ReviewSpec]) -> list[Outcome]:
        """Copy, name, place and tag each missing review file, fill empty header cells; an Outcome each."""
        if not specs:
            return []
        self._require_templates([(s.key.kind, s.format) for s in specs])
        existing: dict[ReviewKey, ReviewFile] = {}
        for kind, period in dict.fromkeys((s.key.kind, s.key.period) for s in specs):
            for found in self.list_reviews(kind=kind, period=period):
                existing.setdefault(found.key, found)
        return self._parallel(lambda spec: self._provision(spec, existing.get(spec.key)), list(specs))

    def _provision(self, spec: ReviewSpec, existing: ReviewFile | None) -> Outcome:
        what = f"{spec.key.kind} review {spec.name!r} of {spec.key.owner} (reviewer {spec.key.reviewer})"
        try:
            if existing is not None:
                return Outcome(spec, existing, header_written=self.fill_header(existing, spec.header))
            file = self._copy(spec, what)
        except (SystemicError, ConfigError, TemplateError):
            raise
        except WorkspaceError as exc:
            return Outcome(spec, error=str(exc))
        try:
            written = self._write_new_header(file, spec.header, what)
        except (SystemicError, ConfigError):
            raise
        except WorkspaceError as exc:
            return Outcome(spec, file, error=str(exc), created=True)
        return Outcome(spec, file, created=True, header_written=written)

    def _copy(self, spec: ReviewSpec, what: str) -> ReviewFile:
        template = self.templates[(spec.key.kind, spec.format)]
        encoded = tags.encode(spec.key, spec.header.case_id)
        body: dict[str, Any] = {
            "name": spec.name,
            "parents": [spec.folder],
            "appProperties": encoded.app_properties,
        }
        if encoded.description:
            body["description"] = encoded.description
        request = self.gw.drive.files().copy(
            fileId=template,
            body=body,
            fields=drive.FILE_FIELDS,
            supportsAllDrives=True,
        )
        attempts = 0

        def attempt() -> Json:
            nonlocal attempts
            attempts += 1
            # A copy whose reply was lost may have been made: look before copying again.
            if attempts > 1:
                made = self._find_exact(spec.key)
                if made is not None:
                    return made
            return self.gw.send(request)

        item = self.gw.run(
            attempt, what=f"copying {what}", target=f"folder {spec.folder} (or template {template})"
        )
        file = drive.review_file(item)
        if file is None:
            raise WorkspaceError(f"copying {what}: the copy {item.get('id')} came back without our tags.")
        return file

    def _write_new_header(self, file: ReviewFile, header: Header, what: str) -> bool:
        values = sheets.header_values(header)
        if file.format == "sheet":
            return (
                sheets.write_header(self.gw, file.file_id, values, what=f"writing the header of {what}") > 0
            )
        requests = docs.replace_requests(values)
        if not requests:
            return False
        reply = docs.batch_update(self.gw, file.file_id, requests, what=f"writing the header of {what}")
        self._check_occurrences(file, [n for n, v in values.items() if v], reply)
        return True

    @staticmethod
    def _check_occurrences(file: ReviewFile, names: list[str], reply: Json) -> None:
        missing = [
            placeholder(n) for n, count in zip(names, docs.occurrences(reply), strict=False) if count == 0
        ]
        if missing:
            raise WorkspaceError(
                f"{file.name} ({file.location}): the placeholder(s) {', '.join(missing)} were not found, so "
                "those "
                "header fields are empty; fill them by hand or fix the template."
            )

    def fill_header(self, file: ReviewFile, header: Header) -> bool:
        """Write the header cells that are still empty (one read, at most one write); True when any was."""
        what = f"filling the header of {file.name} ({file.file_id})"
        values = sheets.header_values(header)
        if file.format == "sheet":
            rows = sheets.read_ranges(self.gw, file.file_id, HEADER_FIELDS, what=what)
            current = {name: sheets.first_cell(rows[i]) for i, name in enumerate(HEADER_FIELDS)}
            todo = {n: v for n, v in values.items() if v and _blank(current[n])}
            if not todo:
                return False
            sheets.write_header(self.gw, file.file_id, todo, what=what)
        else:
            text = docs.full_text(docs.get_document(self.gw, file.file_id, what=what))
            todo = {n: v for n, v in values.items() if v and placeholder(n) in text}
            if not todo:
                return False
            reply = docs.batch_update(self.gw, file.file_id, docs.replace_requests(todo), what=what)
            self._check_occurrences(file, list(todo), reply)
        if "case_id" in todo and file.case_id != header.case_id:
            self._retag(file, file.key, header.case_id, what=what)
        return True

    def _retag(
        self,
        file: ReviewFile,
        key: ReviewKey,
        case_id: str,
        *,
        what: str,
        name: str | None = None,
        move_to: str | None = None,
    ) -> Json:
        encoded = tags.encode(key, case_id)
        # A null value deletes an appProperty, so tags that became empty do not linger.
        props: dict[str, str | None] = {n: encoded.app_properties.get(n) for n in tags.TAG_NAMES}
        body: dict[str, Any] = {"appProperties": props}
        if encoded.description:
            body["description"] = encoded.description
        if name is not None:
            body["name"] = name
        moving = move_to is not None and move_to != file.folder
        return drive.update_file(
            self.gw,
            file.file_id,
            body,
            what=what,
            add_parents=move_to if moving else None,
            remove_parents=file.folder if moving and file.folder else None,
        )

    # -- editing -----------------------------------------------------------------------------------------

    def set_case(self, file: ReviewFile, case_id: str) -> ReviewFile:
        """Set or replace the case ID in the header and the tags."""
        what = f"setting the case of {file.name} ({file.file_id})"
        if file.format == "sheet":
            sheets.write_ranges(self.gw, file.file_id, {"case_id": [[case_id]]}, what=what)
        else:
            self._doc_set_fields(file, {"case_id": case_id}, what=what)
        item = self._retag(file, file.key, case_id, what=what)
        return drive.review_file(item) or dataclasses.replace(file, case_id=case_id)

    def reassign(self, file: ReviewFile, spec: ReviewSpec) -> ReviewFile:
        """Retag, rename, move (one files.update) and re-head an untouched file to match ``spec``."""
        what = f"reassigning {file.name} ({file.file_id})"
        values = sheets.header_values(spec.header)
        if file.format == "sheet":
            sheets.write_ranges(self.gw, file.file_id, {n: [[v]] for n, v in values.items()}, what=what)
        else:
            self._doc_set_fields(file, values, what=what)
        item = self._retag(
            file, spec.key, spec.header.case_id, what=what, name=spec.name, move_to=spec.folder
        )
        return drive.review_file(item) or dataclasses.replace(file, key=spec.key, name=spec.name)

    def _doc_set_fields(self, file: ReviewFile, values: dict[str, str], *, what: str) -> None:
        """Set header fields of a document: replace a placeholder, or the value after the field's label."""
        doc = docs.get_document(self.gw, file.file_id, what=what)
        text = docs.full_text(doc)
        lines = docs.paragraph_lines(doc)
        requests: list[Json] = []
        unknown: list[str] = []
        for name, value in values.items():
            mark = placeholder(name)
            if mark in text:
                if value:
                    requests.extend(docs.replace_requests({name: value}))
                continue
            pattern = re.compile(rf"^(\s*{re.escape(HEADER_LABELS[name])}\s*:\s*)(.*?)\s*$", re.IGNORECASE)
            match = next((m for line in lines if (m := pattern.match(line))), None)
            if match is None:
                unknown.append(HEADER_LABELS[name])
                continue
            # An emptied field gets its placeholder back, so a later fill finds it.
            new_line = match.group(1) + (value or mark)
            if new_line != match.group(0).rstrip():
                requests.append(
                    {
                        "replaceAllText": {
                            "containsText": {"text": match.group(0).rstrip(), "matchCase": True},
                            "replaceText": new_line,
                        }
                    }
                )
        if unknown:
            raise WorkspaceError(
                f"{file.name} ({file.location}): found neither a placeholder nor a '<label>: value' line for "
                f"{', '.join(unknown)}; edit the header by hand."
            )
        if requests:
            docs.batch_update(self.gw, file.file_id, requests, what=what)

    # -- reading -----------------------------------------------------------------------------------------

    def read_reviews(self, files: Sequence[ReviewFile]) -> list[ReadResult]:
        """Read header and answers of each file: one request per file, none when unchanged since last read."""
        results = self._parallel(self._read_one, list(files))
        self.cache.save()
        return results

    def _read_one(self, file: ReviewFile) -> ReadResult:
        cached = self.cache.get(file.file_id, file.modified)
        if cached is not None:
            return ReadResult(file, cached)
        what = f"reading {file.name} ({file.location})"
        try:
            if file.format == "sheet":
                ranges = sheets.required_ranges(file.key.kind)
                content = sheets.parse_content(
                    file.key.kind, sheets.read_ranges(self.gw, file.file_id, ranges, what=what)
                )
            else:
                doc = docs.get_document(self.gw, file.file_id, what=what)
                parsed = docs.parse_content(doc, file.key.kind)
                if parsed is None:
                    return ReadResult(
                        file,
                        error=f"{what}: no rubric table with the header row of the template "
                        "was found; restore the table from the template.",
                    )
                content = parsed
                if content.header.get("case_id") is None and file.case_id:
                    header = {**content.header, "case_id": file.case_id}
                    content = dataclasses.replace(content, header=header)
        except (SystemicError, ConfigError):
            raise
        except WorkspaceError as exc:
            return ReadResult(file, error=str(exc))
        self.cache.put(file.file_id, file.modified, content)
        return ReadResult(file, content)

    # -- rollup ------------------------------------------------------------------------------------------

    def write_rollup(self, tabs: Sequence[Tab], *, target: str | None = None) -> str:
        """Replace every tab (but the ledger's) with ``tabs``: one get, one batchUpdate, one values write.

        ``target`` ``per-person:<manager email>`` is that manager's own spreadsheet, from [workspace.per_person].
        """
        spreadsheet = target or self.workspace.rollup
        if target and target.startswith("per-person:"):
            manager = target.removeprefix("per-person:")
            spreadsheet = self.workspace.per_person.get(manager, "")
            if not spreadsheet:
                raise WorkspaceError(
                    f"no per-person spreadsheet for {manager}: create a spreadsheet shared only with them and "
                    f"{self.gw.identity.email}, and add it to reviews.toml as [workspace.per_person] "
                    f'"{manager}" = "<spreadsheet id>"'
                )
        if not spreadsheet:
            raise WorkspaceError(
                f"workspace.rollup is not set: create a spreadsheet, share it with {self.gw.identity.email} "
                "(Editor), and put its id under [workspace] rollup in reviews.toml."
            )
        what = "writing the rollup"
        request = self.gw.sheets.spreadsheets().get(
            spreadsheetId=spreadsheet, fields="sheets.properties(sheetId,title)"
        )
        meta = self.gw.execute(request, what=what, target=spreadsheet, quota="sheets.read")
        existing = [
            (int(s["properties"]["sheetId"]), str(s["properties"].get("title", "")))
            for s in meta.get("sheets") or []
        ]
        old = [(sid, title) for sid, title in existing if title != LEDGER_TAB]
        if not tabs:
            return self._spreadsheet_url(spreadsheet)
        requests, values = rollup_requests(tabs, old, {sid for sid, _ in existing})
        sheets.batch_update(self.gw, spreadsheet, requests, what=what)
        sheets.write_ranges(self.gw, spreadsheet, values, what=what)
        return self._spreadsheet_url(spreadsheet)

    @staticmethod
    def _spreadsheet_url(spreadsheet_id: str) -> str:
        return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"

    def ledger(self) -> GoogleLedger:
        """The service's ledger: workspace.ledger's spreadsheet, else the rollup's ``_ledger`` tab."""
        spreadsheet = self.workspace.ledger or self.workspace.rollup
        if not spreadsheet:
            raise WorkspaceError(
                "neither workspace.ledger nor workspace.rollup is set: the Google backend keeps its record "
                "(draws, notices) in a spreadsheet; create one, share it with "
                f"{self.gw.identity.email} (Editor) and put its id under [workspace] rollup (or ledger) "
                "in reviews.toml."
            )
        return GoogleLedger(self.gw, spreadsheet, LEDGER_TAB)

    def close(self) -> None:
        """Save the read cache and close HTTP sessions."""
        self.cache.save()
        self.gw.close()


def _grid(sheet_id: int, r0: int, r1: int, col: int) -> Json:
    return {
        "sheetId": sheet_id,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }


def chart_request(tab: Tab, sheet_id: int) -> Json | None:
    """addChart for ``tab.chart``: a line chart whose series are named by the header row (row 0)."""
    chart = tab.chart
    if chart is None or chart.last_row <= chart.first_row:
        return None

    def source(col: int) -> Json:
        # Header cell + data rows as two in-order sources: series take their names from row 0 even when
        # the data starts lower (the rollup puts a headline and a blank row in between).
        if chart.first_row <= 1:
            return {"sources": [_grid(sheet_id, 0, chart.last_row, col)]}
        return {
            "sources": [_grid(sheet_id, 0, 1, col), _grid(sheet_id, chart.first_row, chart.last_row, col)]
        }

    width = max((len(r) for r in tab.rows), default=1)
    return {
        "addChart": {
            "chart": {
                "spec": {
                    "title": chart.title,
                    "basicChart": {
                        "chartType": "LINE",
                        "legendPosition": "BOTTOM_LEGEND",
                        "headerCount": 1,
                        "axis": [{"position": "BOTTOM_AXIS"}, {"position": "LEFT_AXIS"}],
                        "domains": [{"domain": {"sourceRange": source(chart.x_column)}}],
                        "series": [
                            {"series": {"sourceRange": source(y)}, "targetAxis": "LEFT_AXIS"}
                            for y in chart.y_columns
                        ],
                    },
                },
                "position": {
                    "overlayPosition": {
                        "anchorCell": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": width + 1}
                    }
                },
            }
        }
    }


def _cell_out(value: CellValue) -> CellValue:
    return "" if value is None else value


def rollup_requests(
    tabs: Sequence[Tab],
    old: Sequence[tuple[int, str]],
    used_ids: set[int],
) -> tuple[list[Json], dict[str, list[list[Any]]]]:
    """The one batchUpdate (rename old tabs aside, add new tabs with chosen ids, delete old, add charts)
    and the values to write. Choosing the new sheetIds ourselves lets the charts reference them in the
    same batch."""
    requests: list[Json] = [
        {"updateSheetProperties": {"properties": {"sheetId": sid, "title": f"_old_{sid}"}, "fields": "title"}}
        for sid, _ in old
    ]
    next_id = max(used_ids, default=0) + 1
    charts: list[Json] = []
    values: dict[str, list[list[Any]]] = {}
    for index, tab in enumerate(tabs):
        sheet_id = next_id + index
        width = max((len(r) for r in tab.rows), default=1)
        grid: Json = {}
        if tab.frozen_rows > 0:
            grid["frozenRowCount"] = tab.frozen_rows
        if len(tab.rows) >= 1000:  # a new sheet has 1000 rows and 26 columns
            grid["rowCount"] = len(tab.rows) + 1
        if width > 26:
            grid["columnCount"] = width
        requests.append(
            {
                "addSheet": {
                    "properties": {
                        "sheetId": sheet_id,
                        "title": tab.name,
                        "index": index,
                        "gridProperties": grid,
                    }
                }
            }
        )
        if tab.rows:
            values[f"{_sheet_ref(tab.name)}!A1"] = [[_cell_out(v) for v in row] for row in tab.rows]
        chart = chart_request(tab, sheet_id)
        if chart:
            charts.append(chart)
    requests.extend({"deleteSheet": {"sheetId": sid}} for sid, _ in old)
    requests.extend(charts)
    return requests, values

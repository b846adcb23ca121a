"""The embedded local workspace: a folder on disk standing for the shared Drive review folder."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from gworkspace_reviews.adapters.clock import SystemClock
from gworkspace_reviews.adapters.local import docx_files, xlsx
from gworkspace_reviews.adapters.local.atomic import create_bytes_exclusive, write_bytes_atomic
from gworkspace_reviews.adapters.local.manifest import Entry, Manifest
from gworkspace_reviews.adapters.local.rollup import rollup_bytes
from gworkspace_reviews.adapters.local.tags import Tags, read_file_tags
from gworkspace_reviews.domain.models import (
    Format,
    Header,
    Kind,
    Member,
    Outcome,
    ReadResult,
    ReviewContent,
    ReviewFile,
    ReviewKey,
    ReviewSpec,
    Tab,
)
from gworkspace_reviews.domain.template_contract import EXTENSIONS, format_of, template_key
from gworkspace_reviews.errors import SetupError, TemplateError, WorkspaceError
from gworkspace_reviews.ports import Clock

_MAX_NAME_TRIES = 1000


def _header_dict(header: Header) -> dict[str, str]:
    return {
        "case_id": header.case_id,
        "reviewer": header.reviewer,
        "case_owner": header.case_owner,
        "cycle": header.cycle,
    }


class LocalWorkspace:
    """Review files as real .xlsx/.docx files under ``root``, one folder per member, tagged in the files."""

    def __init__(
        self,
        root: Path,
        templates: Mapping[tuple[Kind, Format], Path],
        rollup_name: str = "rollup.xlsx",
        clock: Clock | None = None,
    ) -> None:
        self.root = Path(root).absolute()  # folder paths handed out must not depend on the cwd later
        self.templates = dict(templates)
        self.rollup_name = rollup_name
        self.clock: Clock = clock or SystemClock()
        self._manifest = Manifest(self.root)
        self._read_cache: dict[tuple[str, int, int], ReviewContent] = {}
        self._labels: dict[Path, dict[str, docx_files.Label]] = {}
        self.files_opened = 0  # full parses of review files (not tag reads): how tests see the cache work

    # -- folders -----------------------------------------------------------------------------------------

    def _member_path(self, member: Member) -> Path:
        folder = Path(member.folder) if member.folder else Path(member.name)
        path = folder if folder.is_absolute() else self.root / folder
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise WorkspaceError(
                f"{path}: review folder of {member.name} <{member.email}> is outside the workspace root "
                f"{self.root}; set members.folder to a folder inside it"
            )
        return path

    def resolve_folder(self, member: Member) -> str:
        """The path of a member's review folder; raises WorkspaceError naming it when missing."""
        path = self._member_path(member)
        if not path.is_dir():
            raise WorkspaceError(
                f"{path}: review folder of {member.name} <{member.email}> does not exist; create it with "
                f"`gworkspace-reviews folders sync` (or set members.folder in reviews.toml)"
            )
        return str(path)

    def ensure_folder(self, member: Member) -> str:
        """Create a member's review folder if needed and return its path."""
        path = self._member_path(member)
        path.mkdir(parents=True, exist_ok=True)
        return str(path)

    def _folder(self, folder: str) -> Path:
        path = Path(folder)
        return path if path.is_absolute() else self.root / path

    # -- listing -------------------------------------------------------------------------------------------

    def _scan(self) -> list[tuple[Path, Tags, os.stat_result]]:
        if not self.root.is_dir():
            return []
        known = self._manifest.load()
        entries: dict[str, Entry] = {}
        found: list[tuple[Path, Tags, os.stat_result]] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                if filename.startswith((".", "~$")) or format_of(filename) is None:
                    continue
                path = Path(dirpath) / filename
                rel = path.relative_to(self.root).as_posix()
                try:
                    stat = path.stat()
                except OSError:
                    continue
                cached = known.get(rel)
                if cached is not None and (cached.mtime_ns, cached.size) == (stat.st_mtime_ns, stat.st_size):
                    tags: Tags | None = cached.tags
                else:
                    tags = read_file_tags(path)
                    if tags is None and cached is not None:
                        # Saved in place by an editor that dropped our document properties: the manifest
                        # still knows what the file is.
                        tags = cached.tags
                if tags is None:
                    continue
                entries[rel] = Entry(stat.st_mtime_ns, stat.st_size, tags)
                found.append((path, tags, stat))
        self._manifest.save(entries)
        return found

    def _file(self, path: Path, tags: Tags, stat: os.stat_result) -> ReviewFile:
        fmt = format_of(path.name)
        assert fmt is not None  # the scan only yields .xlsx/.docx
        modified = datetime.fromtimestamp(stat.st_mtime_ns / 1e9, UTC).isoformat()
        return ReviewFile(
            file_id=path.relative_to(self.root).as_posix(),
            name=path.name[: -len(EXTENSIONS[fmt])],
            location=str(path),
            key=tags.key,
            format=fmt,
            case_id=tags.case_id,
            modified=modified,
            folder=str(path.parent),
        )

    def list_reviews(self, *, kind: Kind | None = None, period: str | None = None) -> list[ReviewFile]:
        """Review files carrying our tags anywhere under the root, optionally one kind and/or period."""
        return [
            self._file(path, tags, stat)
            for path, tags, stat in self._scan()
            if (kind is None or tags.key.kind == kind) and (period is None or tags.key.period == period)
        ]

    def _path_of(self, file: ReviewFile) -> Path:
        path = Path(file.location)
        if path.is_file():
            return path
        # Moved or renamed by a person since it was listed: find it again by its tags.
        for found, tags, _ in self._scan():
            if tags.key == file.key:
                return found
        raise WorkspaceError(
            f"{path}: review file not found (moved out of {self.root} or deleted?); put it back or rerun "
            "the job to provision it again"
        )

    # -- templates -----------------------------------------------------------------------------------------

    def check_templates(self, needed: Sequence[tuple[Kind, Format]]) -> list[str]:
        """Problems with the templates needed (each names the template file and what it lacks)."""
        problems: list[str] = []
        for kind, fmt in dict.fromkeys(needed):
            key = template_key(kind, fmt)
            path = self.templates.get((kind, fmt))
            if path is None:
                problems.append(f"{key}: no template set for {kind} reviews as {fmt}; set it in reviews.toml")
            elif not path.is_file():
                problems.append(
                    f"{path}: template for {kind} reviews as {fmt} ({key}) not found; fix the path or write "
                    "the defaults with `gworkspace-reviews init`"
                )
            elif fmt == "sheet":
                problems.extend(f"{p} ({key})" for p in xlsx.check_template(path, kind))
            else:
                problems.extend(f"{p} ({key})" for p in docx_files.check_template(path, kind))
        return problems

    def _labels_for(self, kind: Kind) -> dict[str, docx_files.Label]:
        path = self.templates.get((kind, "doc"))
        if path is None or not path.is_file():
            return docx_files.default_labels()
        if path not in self._labels:
            try:
                self._labels[path] = docx_files.template_labels(path) | {
                    k: v for k, v in docx_files.default_labels().items() if k.startswith("self_")
                }
            except WorkspaceError:
                self._labels[path] = docx_files.default_labels()
        return self._labels[path]

    def _edit(
        self,
        source: Path | bytes,
        fmt: Format,
        kind: Kind,
        header: Mapping[str, str],
        *,
        overwrite: bool,
        tags: Tags | None,
    ) -> tuple[bytes | None, bool]:
        if fmt == "sheet":
            return xlsx.edit(source, header, overwrite=overwrite, tags=tags)
        return docx_files.edit(source, header, overwrite=overwrite, tags=tags, labels=self._labels_for(kind))

    # -- provisioning --------------------------------------------------------------------------------------

    def _free_path(self, folder: Path, name: str, fmt: Format, taken: Path | None = None) -> Path:
        ext = EXTENSIONS[fmt]
        for n in range(1, _MAX_NAME_TRIES):
            candidate = folder / (f"{name}{ext}" if n == 1 else f"{name} ({n}){ext}")
            if candidate == taken or not candidate.exists():
                return candidate
        raise WorkspaceError(f"{folder}: no free file name for {name}{ext}; tidy the folder")

    @staticmethod
    def _check_name(spec: ReviewSpec) -> None:
        if not spec.name or spec.name in (".", "..") or "/" in spec.name or "\\" in spec.name:
            raise WorkspaceError(f"{spec.name!r}: not a usable file name for a review; use e.g. 2021-12-13")

    def _create(self, spec: ReviewSpec, template: bytes) -> Outcome:
        self._check_name(spec)
        folder = self._folder(spec.folder)
        if not folder.is_dir():
            raise WorkspaceError(
                f"{folder}: destination folder does not exist; create it with `gworkspace-reviews folders sync`"
            )
        tags = Tags(key=spec.key, case_id=spec.header.case_id, created=self.clock.now().isoformat())
        data, wrote = self._edit(
            template, spec.format, spec.key.kind, _header_dict(spec.header), overwrite=False, tags=tags
        )
        assert data is not None  # tags are always written
        for _ in range(_MAX_NAME_TRIES):
            path = self._free_path(folder, spec.name, spec.format)
            # Exclusive create: a file that appeared meanwhile under that name is never replaced.
            if create_bytes_exclusive(path, data):
                file = self._file(path, tags, path.stat())
                return Outcome(spec=spec, file=file, created=True, header_written=wrote)
        raise WorkspaceError(f"{folder}: could not find a free name for {spec.name}")

    def create_reviews(self, specs: Sequence[ReviewSpec]) -> list[Outcome]:
        """Copy the template for each spec, name, place, tag it and fill its header; one Outcome per spec."""
        needed = list(dict.fromkeys((s.key.kind, s.format) for s in specs))
        problems = self.check_templates(needed)
        if problems:
            raise TemplateError("templates do not meet the template contract:\n  - " + "\n  - ".join(problems))
        templates = {pair: self.templates[pair].read_bytes() for pair in needed}
        existing: dict[ReviewKey, ReviewFile] = {}
        for file in self.list_reviews():
            existing.setdefault(file.key, file)
        outcomes: list[Outcome] = []
        for spec in specs:
            try:
                found = existing.get(spec.key)
                if found is not None:
                    wrote = self.fill_header(found, spec.header)
                    outcomes.append(Outcome(spec=spec, file=found, created=False, header_written=wrote))
                    continue
                outcome = self._create(spec, templates[(spec.key.kind, spec.format)])
                assert outcome.file is not None
                existing[spec.key] = outcome.file
                outcomes.append(outcome)
            except (WorkspaceError, OSError) as exc:
                outcomes.append(Outcome(spec=spec, error=str(exc)))
        self._scan()  # record the new files in the manifest
        return outcomes

    def fill_header(self, file: ReviewFile, header: Header) -> bool:
        """Write the header cells/placeholders that are still empty; True when anything was written."""
        path = self._path_of(file)
        data, wrote = self._edit(path, file.format, file.key.kind, _header_dict(header), overwrite=False, tags=None)
        if data is not None and wrote:
            write_bytes_atomic(path, data)
        return wrote

    @staticmethod
    def _created(path: Path) -> str:
        old = read_file_tags(path)
        return old.created if old is not None else ""

    def set_case(self, file: ReviewFile, case_id: str) -> ReviewFile:
        """Set or replace the case ID in the header and the tags."""
        path = self._path_of(file)
        tags = Tags(key=file.key, case_id=case_id, created=self._created(path))
        data, _ = self._edit(path, file.format, file.key.kind, {"case_id": case_id}, overwrite=True, tags=tags)
        assert data is not None
        write_bytes_atomic(path, data)
        return self._file(path, tags, path.stat())

    def reassign(self, file: ReviewFile, spec: ReviewSpec) -> ReviewFile:
        """Retag, rename, move and re-head an untouched file to match ``spec`` (used by swap)."""
        self._check_name(spec)
        path = self._path_of(file)
        folder = self._folder(spec.folder)
        if not folder.is_dir():
            raise WorkspaceError(f"{folder}: destination folder does not exist; run `gworkspace-reviews folders sync`")
        tags = Tags(key=spec.key, case_id=spec.header.case_id, created=self._created(path))
        data, _ = self._edit(path, file.format, spec.key.kind, _header_dict(spec.header), overwrite=True, tags=tags)
        assert data is not None
        # Retag in place first: a crash before the move leaves a correctly tagged file a rerun can move.
        write_bytes_atomic(path, data)
        target = self._move(path, folder, spec.name, file.format)
        self._scan()
        return self._file(target, tags, target.stat())

    def _move(self, path: Path, folder: Path, name: str, fmt: Format) -> Path:
        """Move ``path`` to a free ``name`` in ``folder`` (itself if it already has that place)."""
        for _ in range(_MAX_NAME_TRIES):
            target = self._free_path(folder, name, fmt, taken=path)
            if target == path:
                return path
            try:
                # A hard link never replaces a file that appeared meanwhile; the rename fallback is for
                # filesystems without links.
                os.link(path, target)
            except FileExistsError:
                continue
            except OSError:
                if target.exists():
                    continue
                os.rename(path, target)
                return target
            os.unlink(path)
            return target
        raise WorkspaceError(f"{folder}: could not find a free name for {name}")

    # -- reading -------------------------------------------------------------------------------------------

    def read_reviews(self, files: Sequence[ReviewFile]) -> list[ReadResult]:
        """Header and rubric answers of each file, cached by path and modified time."""
        results: list[ReadResult] = []
        for file in files:
            try:
                path = self._path_of(file)
                stat = path.stat()
                cache_key = (str(path), stat.st_mtime_ns, stat.st_size)
                content = self._read_cache.get(cache_key)
                if content is None:
                    self.files_opened += 1
                    if file.format == "sheet":
                        content = xlsx.read(path, file.key.kind)
                    else:
                        content = docx_files.read(path, file.key.kind, self._labels_for(file.key.kind))
                    self._read_cache[cache_key] = content
                results.append(ReadResult(file=file, content=content))
            except (WorkspaceError, OSError) as exc:
                results.append(ReadResult(file=file, error=str(exc)))
        return results

    # -- rollup ----------------------------------------------------------------------------------------------

    def check_root(self) -> None:
        """The workspace folder must exist (``init`` makes it); SetupError naming it otherwise."""
        if not self.root.is_dir():
            raise SetupError(f"workspace.root: the folder {self.root} does not exist; fix workspace.root in "
                             "reviews.toml (relative to it), or run `gworkspace-reviews init DIR` for a sample")

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""

    def write_rollup(self, tabs: Sequence[Tab], *, target: str | None = None) -> str:
        """Write the rollup workbook (``root/rollup.xlsx`` or ``target``) holding exactly ``tabs``."""
        path = Path(target) if target else Path(self.rollup_name)
        if not path.is_absolute():
            path = self.root / path
        write_bytes_atomic(path, rollup_bytes(tabs))
        return str(path)

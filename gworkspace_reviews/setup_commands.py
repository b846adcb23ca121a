"""One-time setup commands: default templates and members' folders, on either backend."""

from __future__ import annotations

from pathlib import Path

from gworkspace_reviews.adapters.clock import SystemClock
from gworkspace_reviews.bootstrap import build_workspace, local_root
from gworkspace_reviews.config_types import Config
from gworkspace_reviews.domain.models import Kind
from gworkspace_reviews.domain.principles import GUIDING_PRINCIPLES

_LOCAL_NAMES: dict[str, tuple[Kind, str]] = {
    "peer_sheet": ("peer", "peer-review.xlsx"),
    "peer_doc": ("peer", "peer-review.docx"),
    "self_sheet": ("self", "self-review.xlsx"),
    "self_doc": ("self", "self-review.docx"),
}


def create_templates(config: Config, folder: str | None) -> dict[str, str]:
    """Create the default peer and self templates; returns the [templates] keys with their paths or ids."""
    if config.workspace.backend == "google":
        from gworkspace_reviews.adapters.google.templates import create_templates as create_google
        from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace

        gws = build_workspace(config, SystemClock())
        assert isinstance(gws, GoogleWorkspace)
        try:
            made = create_google(gws.gw, folder or config.workspace.root, criteria=GUIDING_PRINCIPLES)
        finally:
            gws.close()
        return {t.config_key: t.file_id for t in made}
    from gworkspace_reviews.adapters.local.templates import write_doc_template, write_sheet_template

    target = Path(folder) if folder else config.base_dir / "templates"
    target.mkdir(parents=True, exist_ok=True)
    out: dict[str, str] = {}
    for key, (kind, name) in _LOCAL_NAMES.items():
        path = target / name
        if path.exists():
            out[key] = str(path)  # never overwrite a template someone may have edited
            continue
        writer = write_sheet_template if name.endswith(".xlsx") else write_doc_template
        writer(path, kind=kind, criteria=GUIDING_PRINCIPLES)
        out[key] = str(path)
    return out


def sync_folders(config: Config, *, dry_run: bool = False) -> list[tuple[str, str, str]]:
    """Create each member's review folder when missing; returns (email, folder, action) rows."""
    from gworkspace_reviews.errors import WorkspaceError

    workspace = build_workspace(config, SystemClock())
    rows = []
    for member in config.members:
        try:
            rows.append((member.email, workspace.resolve_folder(member), "exists"))
            continue
        except WorkspaceError:
            pass
        if dry_run:
            where = str(local_root(config) / (member.folder or member.name)) \
                if config.workspace.backend == "local" else member.name
            rows.append((member.email, where, "missing"))
            continue
        rows.append((member.email, workspace.ensure_folder(member), "created"))
    workspace.close()
    return rows

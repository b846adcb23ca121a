"""Members' review folders under the shared peer-review folder: find them by name, create the missing ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gworkspace_reviews.adapters.google import drive, tags
from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.domain.models import Member
from gworkspace_reviews.errors import WorkspaceError


@dataclass(frozen=True)
class FolderResult:
    """One member's folder after ``folders sync``: its id and whether it was just created."""

    email: str
    name: str
    folder_id: str
    created: bool = False
    configured: bool = False  # the id came from the member's ``folder`` key


def child_folders(gw: Gateway, root: str) -> dict[str, list[str]]:
    """Folder name -> ids of the folders directly inside ``root`` (one paged files.list)."""
    found: dict[str, list[str]] = {}
    items = drive.list_files(
        gw,
        tags.folders_query(root),
        fields="id,name",
        what="listing the member folders",
        target=f"folder {root} (workspace.root)",
    )
    for item in items:
        found.setdefault(str(item.get("name", "")), []).append(str(item["id"]))
    return found


def pick(member: Member, root: str, children: dict[str, list[str]]) -> str | None:
    """The id of the folder named after ``member``, None when there is none; WorkspaceError if ambiguous."""
    if member.folder:
        return member.folder
    ids = children.get(member.name) or []
    if len(ids) > 1:
        raise WorkspaceError(
            f'{len(ids)} folders named {member.name!r} under {root}: {", ".join(ids)}. Set folder = "<id>" '
            f"for {member.email} in [[members]] of reviews.toml, or rename the extra folders."
        )
    return ids[0] if ids else None


def create_folder(gw: Gateway, root: str, name: str) -> str:
    """Create the folder ``name`` inside ``root`` (inheriting root's sharing, adding none); its id."""
    item = drive.create_file(
        gw, name=name, mime=drive.FOLDER_MIME, parent=root, what=f"creating the review folder {name!r}"
    )
    return str(item["id"])


def sync_folders(
    gw: Gateway, root: str, members: Sequence[Member], *, dry_run: bool = False
) -> list[FolderResult]:
    """Create each member's folder under ``root`` when missing (named after the member) and report every id.

    Members with a configured ``folder`` id are reported as configured and left alone. Nothing is shared:
    new folders only inherit the permissions of ``root``. With ``dry_run`` nothing is created: the
    missing ones are reported created with an empty id.
    """
    children = child_folders(gw, root)
    out: list[FolderResult] = []
    for member in members:
        existing = pick(member, root, children)
        if existing:
            out.append(FolderResult(member.email, member.name, existing, configured=bool(member.folder)))
            continue
        folder_id = "" if dry_run else create_folder(gw, root, member.name)
        if folder_id:
            children[member.name] = [folder_id]
        out.append(FolderResult(member.email, member.name, folder_id, created=True))
    return out

"""Drive v3 calls: list (paged), copy, create, update; and turning a Drive file into a ReviewFile."""

from __future__ import annotations

from typing import Any

from gworkspace_reviews.adapters.google import tags
from gworkspace_reviews.adapters.google.gateway import Gateway, Json
from gworkspace_reviews.domain.models import Format, ReviewFile

FOLDER_MIME = "application/vnd.google-apps.folder"
SHEET_MIME = "application/vnd.google-apps.spreadsheet"
DOC_MIME = "application/vnd.google-apps.document"
MIME_BY_FORMAT: dict[Format, str] = {"sheet": SHEET_MIME, "doc": DOC_MIME}
FILE_FIELDS = "id,name,mimeType,modifiedTime,webViewLink,parents,appProperties,description"
PAGE_SIZE = 1000  # Drive's maximum


def format_of(mime: str) -> Format | None:
    """The review format of a Drive mime type, or None."""
    return next((fmt for fmt, m in MIME_BY_FORMAT.items() if m == mime), None)


def location(item: Json) -> str:
    """The link people open for a Drive file."""
    link = item.get("webViewLink")
    if link:
        return str(link)
    kind = {SHEET_MIME: "spreadsheets", DOC_MIME: "document"}.get(str(item.get("mimeType")), "file")
    return f"https://docs.google.com/{kind}/d/{item['id']}/edit"


def review_file(item: Json) -> ReviewFile | None:
    """The ReviewFile for a Drive file carrying our tags, or None when it is not a review file."""
    fmt = format_of(str(item.get("mimeType", "")))
    decoded = tags.decode(item.get("appProperties"), item.get("description"))
    if fmt is None or decoded is None:
        return None
    key, case_id = decoded
    parents = item.get("parents") or [""]
    return ReviewFile(
        file_id=str(item["id"]),
        name=str(item.get("name", "")),
        location=location(item),
        key=key,
        format=fmt,
        case_id=case_id,
        modified=str(item.get("modifiedTime", "")),
        folder=str(parents[0]),
    )


def list_files(gw: Gateway, q: str, *, fields: str = FILE_FIELDS, what: str, target: str) -> list[Json]:
    """Every file matching ``q`` across My Drive and shared drives, one request per page of 1000."""
    found: list[Json] = []
    token: str | None = None
    while True:
        request = gw.drive.files().list(
            q=q,
            fields=f"nextPageToken,files({fields})",
            pageSize=PAGE_SIZE,
            pageToken=token,
            supportsAllDrives=True,
            includeItemsFromAllDrives=True,
            corpora="allDrives",
        )
        page = gw.execute(request, what=what, target=target)
        found.extend(page.get("files") or [])
        token = page.get("nextPageToken")
        if not token:
            return found


def copy_file(
    gw: Gateway, template: str, *, name: str, parent: str, encoded: tags.Encoded, what: str
) -> Json:
    """One files.copy that names, places and tags the copy."""
    body: dict[str, Any] = {"name": name, "parents": [parent], "appProperties": encoded.app_properties}
    if encoded.description:
        body["description"] = encoded.description
    request = gw.drive.files().copy(fileId=template, body=body, fields=FILE_FIELDS, supportsAllDrives=True)
    return gw.execute(request, what=what, target=f"template {template} / folder {parent}")


def create_file(gw: Gateway, *, name: str, mime: str, parent: str | None, what: str) -> Json:
    """Create an empty Drive file (folder, spreadsheet or document) named ``name`` in ``parent``."""
    body: dict[str, Any] = {"name": name, "mimeType": mime}
    if parent:
        body["parents"] = [parent]
    request = gw.drive.files().create(body=body, fields=FILE_FIELDS, supportsAllDrives=True)
    return gw.execute(request, what=what, target=f"folder {parent}" if parent else "My Drive")


def update_file(
    gw: Gateway,
    file_id: str,
    body: Json,
    *,
    what: str,
    add_parents: str | None = None,
    remove_parents: str | None = None,
) -> Json:
    """files.update of metadata (name, appProperties) and, optionally, the parent folder."""
    request = gw.drive.files().update(
        fileId=file_id,
        body=body,
        addParents=add_parents,
        removeParents=remove_parents,
        fields=FILE_FIELDS,
        supportsAllDrives=True,
    )
    return gw.execute(request, what=what, target=file_id)


def get_file(gw: Gateway, file_id: str, *, what: str, fields: str = FILE_FIELDS) -> Json:
    """files.get of metadata."""
    request = gw.drive.files().get(fileId=file_id, fields=fields, supportsAllDrives=True)
    return gw.execute(request, what=what, target=file_id)

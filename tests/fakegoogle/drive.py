"""Drive v3 semantics of the fake: files, shared drives, permissions, about (see server.py for the scope)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import zlib
from collections.abc import Callable
from typing import Any

from tests.fakegoogle import query
from tests.fakegoogle.discovery import ParamError
from tests.fakegoogle.store import FOLDER, ApiError, Caller, FileRecord, SharedDrive, Store

DOCUMENT_MIMES = {
    "application/vnd.google-apps.spreadsheet": "https://docs.google.com/spreadsheets/d/{id}/edit?usp=drivesdk",
    "application/vnd.google-apps.document": "https://docs.google.com/document/d/{id}/edit?usp=drivesdk",
    "application/vnd.google-apps.presentation": "https://docs.google.com/presentation/d/{id}/edit?usp=drivesdk",
    FOLDER: "https://drive.google.com/drive/folders/{id}",
}
ALL_ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
DEFAULT_FILE_FIELDS = ("kind", "id", "name", "mimeType", "driveId", "teamDriveId")
# Writable through create/copy/update; other schema fields are Google-computed.
NOT_WRITABLE = {
    "kind",
    "driveId",
    "teamDriveId",
    "webViewLink",
    "webContentLink",
    "iconLink",
    "owners",
    "version",
    "size",
    "capabilities",
    "spaces",
    "lastModifyingUser",
    "ownedByMe",
    "shared",
    "permissions",
    "permissionIds",
    "exportLinks",
    "hasThumbnail",
    "thumbnailLink",
    "quotaBytesUsed",
    "trashingUser",
    "trashedTime",
    "explicitlyTrashed",
    "md5Checksum",
    "sha1Checksum",
    "sha256Checksum",
    "headRevisionId",
    "fileExtension",
    "fullFileExtension",
    "isAppAuthorized",
    "sharingUser",
    "modifiedByMe",
    "resourceKey",
    "hasAugmentedPermissions",
}
ORDER_KEYS = {"name", "name_natural", "modifiedTime", "createdTime", "folder", "recency", "starred"}

ContentFactory = Callable[[str, str], Any]  # (mimeType, title) -> content object, or None


def perm_id(email: str) -> str:
    """A stable Drive-like permission id for an email."""
    return f"{zlib.crc32(email.encode()):020d}"


def _user(email: str, caller: Caller) -> dict[str, Any]:
    return {
        "kind": "drive#user",
        "displayName": email.split("@", 1)[0],
        "emailAddress": email,
        "me": email == caller.email,
        "permissionId": perm_id(email),
    }


def _not_writable(field: str) -> ApiError:
    return ApiError(
        403, "The resource body includes fields which are not directly writable.", reason="fieldNotWritable"
    )


class Drive:
    """Handlers for ``drive.*`` method ids; they run under the store lock."""

    def __init__(self, store: Store, content_factory: ContentFactory, service_account_mode: Callable[[], bool]) -> None:
        self.store = store
        self.content_factory = content_factory
        self.service_account_mode = service_account_mode
        self.roots: dict[str, str] = {}  # caller email -> id of their My Drive root folder
        self.request_ids: dict[str, str] = {}  # drives.create requestId -> drive id
        self.drive_created: dict[str, str] = {}  # shared drive id -> createdTime
        self.comments: dict[str, list[dict[str, Any]]] = {}  # file id -> comments
        self._seen: set[str] = set()  # file ids already checked by _adopt_orphans

    # ----- dispatch ---------------------------------------------------------------------------------------

    def handle(self, method_id: str, params: dict[str, Any], body: Any, caller: Caller) -> Any:
        """Run one Drive method; the return value is the JSON answer (None for 204 No Content)."""
        name = method_id.removeprefix("drive.").replace(".", "_")
        handler = getattr(self, "_" + name, None)
        if handler is None:
            raise ApiError(
                501,
                f"The fake Google server does not implement {method_id}.",
                reason="notImplemented",
                status="UNIMPLEMENTED",
            )
        if params.get("_upload"):
            raise ApiError(
                501,
                "The fake Google server does not model media uploads; create the file without media (metadata only).",
                reason="notImplemented",
                status="UNIMPLEMENTED",
            )
        self._adopt_orphans()
        return handler(params, body or {}, caller)

    # ----- helpers ----------------------------------------------------------------------------------------

    def root(self, caller: Caller) -> FileRecord:
        """The caller's My Drive root folder (created on first use)."""
        return self.root_of(caller.email)

    def root_of(self, email: str) -> FileRecord:
        """The My Drive root folder of ``email`` (created on first use)."""
        rid = self.roots.get(email)
        if rid is None:
            rid = self.store.new_id("0AroOt")
            stamp = self.store.now()
            self.store.files[rid] = FileRecord(
                id=rid, name="My Drive", mimeType=FOLDER, owner=email, createdTime=stamp, modifiedTime=stamp
            )
            self.roots[email] = rid
        return self.store.files[rid]

    def _adopt_orphans(self) -> None:
        # Files made by sheets.spreadsheets.create / docs.documents.create carry no parents; Google puts
        # them in the creator's My Drive root, so Drive shows them there.
        # Only files not seen before are looked at, so a big benchmark store costs one set difference.
        for fid in self.store.files.keys() - self._seen:
            rec = self.store.files[fid]
            if not rec.parents and not rec.driveId and rec.owner and self.roots.get(rec.owner) != rec.id:
                rec.parents = [self.root_of(rec.owner).id]
        self._seen = set(self.store.files)

    def is_root(self, rec: FileRecord) -> bool:
        """Whether ``rec`` is somebody's My Drive root."""
        return self.roots.get(rec.owner) == rec.id

    def _drive_folder(self, drive: SharedDrive) -> FileRecord:
        return FileRecord(id=drive.id, name=drive.name, mimeType=FOLDER, driveId=drive.id)

    def _shared_drive(self, drive_id: str, caller: Caller) -> SharedDrive:
        drive = self.store.drives.get(drive_id)
        if drive is None or (self.store.enforce_sharing and caller.email not in drive.members):
            raise ApiError(404, f"Shared drive not found: {drive_id}", reason="notFound")
        return drive

    def file(self, file_id: str, params: dict[str, Any], caller: Caller) -> FileRecord:
        """A file the caller may see, honouring ``supportsAllDrives`` (shared-drive items 404 without it)."""
        if file_id == "root":
            return self.root(caller)
        if file_id in self.store.drives:
            drive = self._shared_drive(file_id, caller)
            if not params.get("supportsAllDrives"):
                raise ApiError(404, f"File not found: {file_id}.", reason="notFound")
            return self._drive_folder(drive)
        rec = self.store.check(file_id, caller)
        if rec.driveId and not params.get("supportsAllDrives"):
            raise ApiError(404, f"File not found: {file_id}.", reason="notFound")
        return rec

    def roles(self, rec: FileRecord, email: str) -> set[str]:
        """The roles ``email`` holds explicitly on ``rec`` (for ``'x' in writers`` queries; link grants aside)."""
        return self.store.roles(rec, email, links=False)

    def _require_write(self, rec: FileRecord, caller: Caller) -> None:
        if not self.store.can_write(rec, caller):
            raise ApiError(
                403,
                "The user does not have sufficient permissions for this file.",
                reason="insufficientFilePermissions",
            )

    def _parent(self, pid: str, params: dict[str, Any], caller: Caller) -> FileRecord:
        rec = self.file(pid, params, caller)
        if rec.mimeType != FOLDER:
            raise ApiError(403, f"The specified parent is not a folder: {pid}.", reason="notAFolder")
        if not self.store.can_write(rec, caller):
            # Google words a read-only destination folder differently from a read-only file.
            raise ApiError(
                403, "Insufficient permissions for the specified parent.", reason="insufficientParentPermissions"
            )
        return rec

    def _placement(self, parents: list[str], params: dict[str, Any], caller: Caller) -> tuple[list[str], str | None]:
        if len(parents) > 1:
            raise ApiError(403, "Increasing the number of parents is not allowed.", reason="cannotAddParent")
        parent = self._parent(parents[0], params, caller) if parents else self.root(caller)
        return [parent.id], parent.driveId

    def _check_quota(self, mime: str, drive_id: str | None, caller: Caller) -> None:
        if self.service_account_mode() and caller.service_account and drive_id is None and mime != FOLDER:
            raise ApiError(
                403,
                "Service Accounts do not have storage quota. Leverage shared drives "
                "(https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or "
                "use OAuth delegation (http://support.google.com/a/answer/7281227) instead.",
                reason="storageQuotaExceeded",
                domain="usageLimits",
            )

    def _writable(self, body: dict[str, Any], extra_forbidden: tuple[str, ...] = ()) -> None:
        for key in body:
            if key in NOT_WRITABLE or key in extra_forbidden:
                raise _not_writable(key)

    def resource(self, rec: FileRecord, caller: Caller) -> dict[str, Any]:
        """Every field of ``rec`` the fake models, as Drive v3 names them."""
        link = DOCUMENT_MIMES.get(rec.mimeType, "https://drive.google.com/file/d/{id}/view?usp=drivesdk")
        out: dict[str, Any] = {
            "kind": "drive#file",
            "id": rec.id,
            "name": rec.name,
            "mimeType": rec.mimeType,
            "starred": False,
            "trashed": rec.trashed,
            "explicitlyTrashed": rec.trashed,
            "parents": list(rec.parents),
            "spaces": ["drive"],
            "version": str(rec.version),
            "webViewLink": link.format(id=rec.id),
            "iconLink": f"https://drive-thirdparty.googleusercontent.com/16/type/{rec.mimeType}",
            "hasThumbnail": False,
            "viewedByMe": True,
            "createdTime": rec.createdTime,
            "modifiedTime": rec.modifiedTime,
            "modifiedByMe": True,
            "lastModifyingUser": _user(rec.owner or caller.email, caller),
            "shared": bool(rec.shared_with or rec.permissions),
            "ownedByMe": rec.owner == caller.email,
            "quotaBytesUsed": "0",
            "isAppAuthorized": True,
            "writersCanShare": True,
            "capabilities": self._capabilities(rec, caller),
        }
        if not rec.parents:
            del out["parents"]
        if rec.driveId:
            out["driveId"] = out["teamDriveId"] = rec.driveId
        else:
            out["owners"] = [_user(rec.owner, caller)]
        if rec.appProperties:
            out["appProperties"] = dict(rec.appProperties)
        if rec.properties:
            out["properties"] = dict(rec.properties)
        if rec.description is not None:
            out["description"] = rec.description
        if isinstance(rec.content, bytes):
            out["size"] = str(len(rec.content))
        return out

    def _capabilities(self, rec: FileRecord, caller: Caller) -> dict[str, bool]:
        can_write = self.store.can_write(rec, caller)
        return {
            "canEdit": can_write,
            "canCopy": rec.mimeType != FOLDER,
            "canDelete": can_write,
            "canAddChildren": rec.mimeType == FOLDER and can_write,
            "canRename": can_write,
            "canShare": can_write,
            "canTrash": can_write,
        }

    def _default(self, res: dict[str, Any], params: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
        if "fields" in params:
            return res
        return {k: res[k] for k in keys if k in res}

    # ----- files ------------------------------------------------------------------------------------------

    def _files_get(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        rec = self.file(p["fileId"], p, caller)
        if p.get("alt") == "media":
            raise ApiError(
                403,
                "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
                reason="fileNotDownloadable",
            )
        return self._default(self.resource(rec, caller), p, DEFAULT_FILE_FIELDS)

    def _files_create(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        self._writable(body)
        name = body.get("name") or "Untitled"
        mime = body.get("mimeType") or "application/octet-stream"
        parents, drive_id = self._placement(list(body.get("parents") or []), p, caller)
        self._check_quota(mime, drive_id, caller)
        fid = body.get("id") or self.store.new_id("1")
        if fid in self.store.files:
            raise ApiError(409, f"A file already exists with the provided ID: {fid}.", reason="duplicate")
        stamp = self.store.now()
        rec = FileRecord(
            id=fid,
            name=name,
            mimeType=mime,
            parents=parents,
            driveId=drive_id,
            owner="" if drive_id else caller.email,
            createdTime=body.get("createdTime") or stamp,
            modifiedTime=body.get("modifiedTime") or stamp,
            description=body.get("description"),
            appProperties=_props(body.get("appProperties")),
            properties=_props(body.get("properties")),
        )
        rec.content = self.content_factory(mime, name)
        self.store.files[fid] = rec
        return self._default(self.resource(rec, caller), p, DEFAULT_FILE_FIELDS)

    def _files_copy(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        src = self.file(p["fileId"], p, caller)
        self._writable(body)
        if src.mimeType == FOLDER or self.is_root(src):
            raise ApiError(403, "This file cannot be copied by the user.", reason="cannotCopyFile")
        wanted = body.get("parents")
        if wanted is None:
            # Drive: a copy without parents inherits the source's discoverable parents.
            visible = [
                pid
                for pid in src.parents
                if pid in self.store.drives
                or (pid in self.store.files and self.store.can_access(self.store.files[pid], caller))
            ]
            wanted = visible[:1]
        parents, drive_id = self._placement(list(wanted), p, caller)
        self._check_quota(src.mimeType, drive_id, caller)
        stamp = self.store.now()
        rec = FileRecord(
            id=self.store.new_id("1"),
            name=body.get("name") or f"Copy of {src.name}",
            mimeType=src.mimeType,
            parents=parents,
            driveId=drive_id,
            owner="" if drive_id else caller.email,
            createdTime=stamp,
            modifiedTime=stamp,
            description=body.get("description", src.description),
            appProperties=_props(body.get("appProperties")),
            properties={**src.properties, **_props(body.get("properties"))},
        )
        rec.content = copy.deepcopy(src.content)
        self.store.files[rec.id] = rec
        return self._default(self.resource(rec, caller), p, DEFAULT_FILE_FIELDS)

    def _files_update(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        rec = self.file(p["fileId"], p, caller)
        if rec.id in self.store.drives or self.is_root(rec):
            raise ApiError(
                403,
                "The user does not have sufficient permissions for this file.",
                reason="insufficientFilePermissions",
            )
        if "parents" in body:
            raise ApiError(
                403,
                "The parents field is not directly writable in update requests. Use the addParents "
                "and removeParents parameters instead.",
                reason="fieldNotWritable",
            )
        self._writable(body, ("id", "createdTime"))
        self._require_write(rec, caller)
        add = [x for x in str(p.get("addParents") or "").split(",") if x]
        remove = [x for x in str(p.get("removeParents") or "").split(",") if x]
        parents = [x for x in rec.parents if x not in remove]
        new_parent: FileRecord | None = None
        for pid in add:
            new_parent = self._parent(pid, p, caller)
            if new_parent.id not in parents:
                parents.append(new_parent.id)
        if len(parents) > 1:
            raise ApiError(403, "Increasing the number of parents is not allowed.", reason="cannotAddParent")
        if not parents and rec.parents:
            parents = [self.root(caller).id]
        changed = False
        if "name" in body and body["name"] is not None:
            rec.name = body["name"]
            changed = True
        if "description" in body:
            rec.description = body["description"]
            changed = True
        if "mimeType" in body and body["mimeType"] not in (None, rec.mimeType):
            raise ApiError(403, "The mimeType of a file cannot be changed this way.", reason="fieldNotWritable")
        for attr in ("appProperties", "properties"):
            if attr in body:
                target: dict[str, str] = getattr(rec, attr)
                for key, value in (body[attr] or {}).items():
                    if value is None:
                        target.pop(key, None)
                    else:
                        _check_prop(key, str(value))
                        target[key] = str(value)
                changed = True
        if "trashed" in body and body["trashed"] is not None:
            rec.trashed = bool(body["trashed"])
            changed = True
        if parents != rec.parents:
            rec.parents = parents
            self._move(rec, new_parent.driveId if new_parent else rec.driveId)
            changed = True
        if changed:
            self.store.touch(rec.id)
        return self._default(self.resource(rec, caller), p, DEFAULT_FILE_FIELDS)

    def _move(self, rec: FileRecord, drive_id: str | None) -> None:
        todo = [rec]
        while todo:
            cur = todo.pop()
            cur.driveId = drive_id
            todo.extend(f for f in self.store.files.values() if cur.id in f.parents)

    def _files_delete(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        rec = self.file(p["fileId"], p, caller)
        if rec.id in self.store.drives or self.is_root(rec):
            raise ApiError(
                403,
                "The user does not have sufficient permissions for this file.",
                reason="insufficientFilePermissions",
            )
        self._require_write(rec, caller)
        todo = [rec.id]
        while todo:
            cur = todo.pop()
            self.store.files.pop(cur, None)
            todo.extend(f.id for f in self.store.files.values() if cur in f.parents)
        return None

    def _files_list(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        q = str(p.get("q", ""))
        pred = query.parse(q)
        corpora = p.get("corpora") or "user"
        all_drives = bool(p.get("includeItemsFromAllDrives") or p.get("includeTeamDriveItems"))
        supports = bool(p.get("supportsAllDrives") or p.get("supportsTeamDrives"))
        drive_id = p.get("driveId") or p.get("teamDriveId")
        corpora_set = set(corpora.split(","))
        if not corpora_set <= {"user", "domain", "drive", "allDrives"}:
            raise ParamError(f"Invalid Value: corpora={corpora!r}", "corpora", reason="invalid")
        if bool(drive_id) != ("drive" in corpora_set):
            raise ParamError(
                "The driveId parameter must be specified if and only if corpora is set to drive.",
                "driveId",
                reason="invalid",
            )
        if all_drives and not supports:
            raise ApiError(
                403,
                "The includeItemsFromAllDrives parameter can only be set to true when the "
                "supportsAllDrives parameter is also set to true.",
                reason="teamDrivesParameterInvalid",
            )
        if corpora_set & {"drive", "allDrives"} and not all_drives:
            raise ApiError(
                403,
                "The includeItemsFromAllDrives parameter must be set to true when corpora is set "
                "to drive or allDrives.",
                reason="teamDrivesParameterInvalid",
            )
        if drive_id:
            self._shared_drive(str(drive_id), caller)
        spaces = str(p.get("spaces", "drive"))
        if spaces != "drive":
            raise ParamError(f"The fake supports only spaces=drive, got {spaces!r}.", "spaces", reason="invalid")
        env = query.Env(root_id=self.root(caller).id, roles=self.roles, me=caller.email)
        hits: list[FileRecord] = []
        for rec in self.store.files.values():
            if self.is_root(rec) or not self.store.can_access(rec, caller, listing=True):
                continue
            if drive_id:
                if rec.driveId != drive_id:
                    continue
            elif rec.driveId and not (
                all_drives
                and (not self.store.enforce_sharing or caller.email in self.store.drives[rec.driveId].members)
            ):
                continue
            if pred(rec, env):
                hits.append(rec)
        hits = _order(hits, str(p.get("orderBy") or ""))
        size = min(int(p.get("pageSize", 100)), 1000)
        scope = hashlib.sha256(json.dumps([q, p.get("orderBy"), corpora, drive_id, caller.email]).encode()).hexdigest()
        start = _page_start(p.get("pageToken"), scope)
        page = hits[start : start + size]
        out: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
        if start + size < len(hits):
            out["nextPageToken"] = _page_token(start + size, scope)
        files = [self.resource(r, caller) for r in page]
        if "fields" not in p:
            files = [{k: f[k] for k in DEFAULT_FILE_FIELDS if k in f} for f in files]
        out["files"] = files
        return out

    def _files_generateIds(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        count = min(int(p.get("count", 10)), 1000)
        return {
            "kind": "drive#generatedIds",
            "space": "drive",
            "ids": [self.store.new_id("1") for _ in range(count)],
        }

    # ----- shared drives ----------------------------------------------------------------------------------

    def drive_resource(self, drive: SharedDrive, params: dict[str, Any]) -> dict[str, Any]:
        """A shared drive as Drive v3 answers it."""
        full = {
            "kind": "drive#drive",
            "id": drive.id,
            "name": drive.name,
            "hidden": False,
            "createdTime": self.drive_created.get(drive.id, ""),
            "capabilities": {"canAddChildren": True},
        }
        return self._default(full, params, ("kind", "id", "name"))

    def _drives_create(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        request_id = str(p["requestId"])
        if request_id in self.request_ids:
            raise ApiError(409, f"A shared drive with the request ID {request_id} already exists.", reason="duplicate")
        if not body.get("name"):
            raise ApiError(400, "A shared drive name is required.", reason="required")
        drive = SharedDrive(id=self.store.new_id("0AdRv"), name=body["name"], members={caller.email: "organizer"})
        self.drive_created[drive.id] = self.store.now()
        self.store.drives[drive.id] = drive
        self.request_ids[request_id] = drive.id
        return self.drive_resource(drive, p)

    def _drives_get(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        return self.drive_resource(self._shared_drive(p["driveId"], caller), p)

    def _drives_list(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        q = str(p.get("q") or "")
        pred = query.parse(q)
        env = query.Env(root_id="", roles=lambda f, e: set())
        drives = [
            d
            for d in self.store.drives.values()
            if (not self.store.enforce_sharing or caller.email in d.members)
            and pred(
                FileRecord(
                    id=d.id,
                    name=d.name,
                    mimeType=FOLDER,
                    createdTime=self.drive_created.get(d.id, ""),
                    modifiedTime=self.drive_created.get(d.id, ""),
                ),
                env,
            )
        ]
        size = min(int(p.get("pageSize", 10)), 100)
        scope = hashlib.sha256(json.dumps(["drives", q, caller.email]).encode()).hexdigest()
        start = _page_start(p.get("pageToken"), scope)
        out: dict[str, Any] = {
            "kind": "drive#driveList",
            "drives": [self.drive_resource(d, p) for d in drives[start : start + size]],
        }
        if start + size < len(drives):
            out["nextPageToken"] = _page_token(start + size, scope)
        return out

    def _drives_delete(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        drive = self._shared_drive(p["driveId"], caller)
        if any(f.driveId == drive.id for f in self.store.files.values()):
            raise ApiError(
                403,
                "The shared drive cannot be deleted because it contains one or more items.",
                reason="cannotDeleteNonemptyDrive",
            )
        del self.store.drives[drive.id]
        return None

    # ----- permissions ------------------------------------------------------------------------------------

    def _all_permissions(self, file_id: str, p: dict[str, Any], caller: Caller) -> list[dict[str, Any]]:
        if file_id in self.store.drives:
            drive = self._shared_drive(file_id, caller)
            return [
                {"kind": "drive#permission", "id": perm_id(e), "type": "user", "emailAddress": e, "role": r}
                for e, r in drive.members.items()
            ]
        rec = self.file(file_id, p, caller)
        own: list[dict[str, Any]] = []
        if rec.owner and not rec.driveId:
            own.append(
                {
                    "kind": "drive#permission",
                    "id": perm_id(rec.owner),
                    "type": "user",
                    "emailAddress": rec.owner,
                    "role": "owner",
                }
            )
        if rec.driveId and rec.driveId in self.store.drives:
            own.extend(
                {"kind": "drive#permission", "id": perm_id(e), "type": "user", "emailAddress": e, "role": r}
                for e, r in self.store.drives[rec.driveId].members.items()
            )
        return own + [dict(x) for x in rec.permissions]

    def _permissions_list(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        return {"kind": "drive#permissionList", "permissions": self._all_permissions(p["fileId"], p, caller)}

    def _permissions_get(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        for perm in self._all_permissions(p["fileId"], p, caller):
            if perm["id"] == p["permissionId"]:
                return perm
        raise ApiError(404, f"Permission not found: {p['permissionId']}.", reason="notFound")

    def _permissions_create(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        kind, role = body.get("type"), body.get("role")
        if not kind:
            raise ApiError(400, "The permission type field is required.", reason="required")
        if not role:
            raise ApiError(400, "The permission role field is required.", reason="required")
        if kind not in ("user", "group", "domain", "anyone"):
            raise ParamError(
                f"Invalid Value: permission type {kind!r}",
                "permission.type",
                reason="invalid",
                location_type="other",
            )
        if role not in ALL_ROLES:
            raise ParamError(
                f"Invalid Value: permission role {role!r}",
                "permission.role",
                reason="invalid",
                location_type="other",
            )
        email = body.get("emailAddress")
        if kind in ("user", "group") and not email:
            raise ApiError(
                400,
                "The permission emailAddress field is required for type user or group.",
                reason="required",
            )
        if kind == "domain" and not body.get("domain"):
            raise ApiError(400, "The permission domain field is required for type domain.", reason="required")
        if role == "owner" and not p.get("transferOwnership"):
            raise ApiError(
                403,
                "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
                reason="forbidden",
            )
        perm: dict[str, Any] = {"kind": "drive#permission", "type": kind, "role": role}
        perm["id"] = perm_id(email) if email else (f"{kind}WithLink" if kind == "anyone" else perm_id(body["domain"]))
        if email:
            perm["emailAddress"] = email
        if kind == "domain":
            perm["domain"] = body["domain"]
        if kind in ("domain", "anyone"):
            perm["allowFileDiscovery"] = bool(body.get("allowFileDiscovery", False))
        file_id = p["fileId"]
        if file_id in self.store.drives:
            drive = self._shared_drive(file_id, caller)
            if kind != "user" and kind != "group":
                raise ApiError(403, "Shared drive members must be users or groups.", reason="invalidSharingRequest")
            drive.members[str(email)] = str(role)
        else:
            rec = self.file(file_id, p, caller)
            self._require_write(rec, caller)
            # The permission itself carries the role (store.roles reads it), so a reader stays a reader.
            rec.permissions = [x for x in rec.permissions if x["id"] != perm["id"]] + [perm]
        return self._default(perm, p, ("kind", "id", "type", "role"))

    def _permissions_delete(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        file_id, pid = p["fileId"], p["permissionId"]
        if file_id in self.store.drives:
            drive = self._shared_drive(file_id, caller)
            for email in list(drive.members):
                if perm_id(email) == pid:
                    del drive.members[email]
                    return None
        else:
            rec = self.file(file_id, p, caller)
            for perm in rec.permissions:
                if perm["id"] == pid:
                    rec.permissions.remove(perm)
                    return None
        raise ApiError(404, f"Permission not found: {pid}.", reason="notFound")

    # ----- comments (only what gspread's copy needs: list and create plain comments) ------------------------

    def _comments_list(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        _need_fields(p)
        rec = self.file(p["fileId"], {"supportsAllDrives": True}, caller)
        return {"kind": "drive#commentList", "comments": [dict(c) for c in self.comments.get(rec.id, [])]}

    def _comments_create(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        _need_fields(p)
        rec = self.file(p["fileId"], {"supportsAllDrives": True}, caller)
        if not body.get("content"):
            raise ApiError(400, "The comment content is required.", reason="required")
        stamp = self.store.now()
        comment = {
            "kind": "drive#comment",
            "id": self.store.new_id("AAA"),
            "content": body["content"],
            "htmlContent": body["content"],
            "createdTime": stamp,
            "modifiedTime": stamp,
            "author": _user(caller.email, caller),
            "deleted": False,
            "resolved": False,
            "replies": [],
        }
        if body.get("anchor"):
            comment["anchor"] = body["anchor"]
        self.comments.setdefault(rec.id, []).append(comment)
        return comment

    # ----- about ------------------------------------------------------------------------------------------

    def _about_get(self, p: dict[str, Any], body: dict[str, Any], caller: Caller) -> Any:
        if "fields" not in p:
            raise ParamError("The 'fields' parameter is required for this method.", "fields", reason="required")
        return {
            "kind": "drive#about",
            "user": _user(caller.email, caller),
            "storageQuota": {"limit": "0" if caller.service_account else "16106127360", "usage": "0"},
            "canCreateDrives": True,
        }


def _need_fields(params: dict[str, Any]) -> None:
    if not params.get("fields"):
        raise ParamError("The 'fields' parameter is required for this method.", "fields", reason="required")


def _props(raw: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (raw or {}).items():
        if value is not None:
            _check_prop(key, str(value))
            out[key] = str(value)
    return out


def _check_prop(key: str, value: str) -> None:
    if len(key.encode()) + len(value.encode()) > 124:
        raise ApiError(
            400,
            f"The size of a property key+value pair exceeds the limit of 124 bytes: {key}.",
            reason="invalidProperty",
        )


def _order(hits: list[FileRecord], order_by: str) -> list[FileRecord]:
    keys = [k.strip() for k in order_by.split(",") if k.strip()]
    for spec in reversed(keys):
        field, _, direction = spec.partition(" ")
        direction = direction.strip().lower()
        if field not in ORDER_KEYS or direction not in ("", "asc", "desc"):
            raise ParamError(
                f"Invalid Value: orderBy={order_by!r} (the fake sorts by "
                f"{', '.join(sorted(ORDER_KEYS))}, each optionally 'desc').",
                "orderBy",
                reason="invalid",
            )
        key: Callable[[FileRecord], Any] = {
            "name": lambda f: f.name,
            "name_natural": lambda f: f.name.lower(),
            "modifiedTime": lambda f: f.modifiedTime,
            "recency": lambda f: f.modifiedTime,
            "createdTime": lambda f: f.createdTime,
            "folder": lambda f: f.mimeType != FOLDER,
            "starred": lambda f: 0,
        }[field]
        hits = sorted(hits, key=key, reverse=direction == "desc")
    return hits


def _page_token(offset: int, scope: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "s": scope[:16]}).encode()).decode().rstrip("=")


def _page_start(token: Any, scope: str) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(str(token) + "=" * (-len(str(token)) % 4)))
        if data["s"] != scope[:16]:
            raise ValueError("token from another query")
        return int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise ParamError(
            f"Invalid Value: pageToken {token!r} does not belong to this query.",
            "pageToken",
            reason="invalid",
        ) from None

"""Sharing as Google enforces it (store.enforce_sharing): roles from ownership, permissions (direct or from a
folder), shared-drive membership; no role -> 404 in Drive / 403 in Sheets, a read-only role -> 403 on writes.

Driven through the real googleapiclient clients: the service account (reviews-bot) and grace@example.com
(the service account acting for her through domain-wide delegation), who owns the My Drive files here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.fakegoogle.fixtures import GoogleClients, build_clients
from tests.fakegoogle.server import FakeGoogle
from tests.fakegoogle.store import FOLDER, SPREADSHEET

SA = "reviews-bot@fake-project.iam.gserviceaccount.com"
GRACE = "grace@example.com"


def _error(exc: pytest.ExceptionInfo[HttpError]) -> tuple[int, str, str]:
    error = json.loads(exc.value.content)["error"]
    return int(exc.value.resp.status), error["errors"][0]["reason"], error["message"]


@pytest.fixture
def grace(fake_google: FakeGoogle, google_key_file: Any) -> GoogleClients:
    """Clients acting as grace@example.com."""
    return build_clients(fake_google.base_url, google_key_file, subject=GRACE)


@pytest.fixture
def graces_folder(grace: GoogleClients, fake_google: FakeGoogle) -> dict[str, str]:
    """Grace's My Drive folder "Grace Hopper" with her spreadsheet "2026-12-07" in it; sharing enforced."""
    folder = grace.drive.files().create(body={"name": "Grace Hopper", "mimeType": FOLDER}, fields="id").execute()
    sheet = (
        grace.drive.files()
        .create(body={"name": "2026-12-07", "mimeType": SPREADSHEET, "parents": [folder["id"]]}, fields="id")
        .execute()
    )
    fake_google.store.enforce_sharing = True
    return {"folder": folder["id"], "sheet": sheet["id"]}


def _share(grace: GoogleClients, file_id: str, role: str, **extra: Any) -> dict[str, Any]:
    body = {"type": "user", "role": role, "emailAddress": SA, **extra}
    return dict(grace.drive.permissions().create(fileId=file_id, body=body, sendNotificationEmail=False).execute())


def _copy_template_into(c: GoogleClients, fake_google: FakeGoogle, folder_id: str) -> Any:
    return (
        c.drive.files()
        .copy(
            fileId=fake_google.seed["template_sheet_id"],
            body={"name": "2026-12-07", "parents": [folder_id]},
            supportsAllDrives=True,
        )
        .execute()
    )


def test_a_folder_shared_read_only_is_visible_but_copying_into_it_is_403(
    google_clients: GoogleClients, grace: GoogleClients, graces_folder: dict[str, str], fake_google: FakeGoogle
) -> None:
    _share(grace, graces_folder["folder"], "reader")
    got = google_clients.drive.files().get(fileId=graces_folder["folder"], fields="name,capabilities").execute()
    assert got["name"] == "Grace Hopper"
    assert got["capabilities"]["canAddChildren"] is False and got["capabilities"]["canEdit"] is False
    fake_google.reset_counters()
    with pytest.raises(HttpError) as err:
        _copy_template_into(google_clients, fake_google, graces_folder["folder"])
    assert _error(err) == (403, "insufficientParentPermissions", "Insufficient permissions for the specified parent.")
    with pytest.raises(HttpError) as err:
        google_clients.drive.files().create(
            body={"name": "x", "mimeType": FOLDER, "parents": [graces_folder["folder"]]}
        ).execute()
    assert _error(err)[:2] == (403, "insufficientParentPermissions")
    assert fake_google.counters["drive.files.copy"] == 1 and fake_google.counters["drive.files.create"] == 1


def test_the_reader_role_is_inherited_by_the_folders_files_for_reads_only(
    google_clients: GoogleClients, grace: GoogleClients, graces_folder: dict[str, str]
) -> None:
    _share(grace, graces_folder["folder"], "reader")
    sid = graces_folder["sheet"]
    assert google_clients.drive.files().get(fileId=sid, fields="name").execute() == {"name": "2026-12-07"}
    values = google_clients.sheets.spreadsheets().values()
    assert values.get(spreadsheetId=sid, range="A1").execute() == {"range": "Sheet1!A1", "majorDimension": "ROWS"}
    with pytest.raises(HttpError) as err:
        google_clients.drive.files().update(fileId=sid, body={"name": "renamed"}).execute()
    assert _error(err) == (
        403,
        "insufficientFilePermissions",
        "The user does not have sufficient permissions for this file.",
    )
    with pytest.raises(HttpError) as err:
        values.update(spreadsheetId=sid, range="A1", valueInputOption="RAW", body={"values": [["x"]]}).execute()
    assert _error(err)[0] == 403 and _error(err)[2] == "The caller does not have permission"
    with pytest.raises(HttpError) as err:
        google_clients.sheets.spreadsheets().batchUpdate(
            spreadsheetId=sid, body={"requests": [{"addSheet": {"properties": {"title": "t"}}}]}
        ).execute()
    assert _error(err)[0] == 403
    assert values.get(spreadsheetId=sid, range="A1").execute().get("values") is None


def test_upgrading_to_writer_allows_writes_and_copy_then_fails_only_on_storage(
    google_clients: GoogleClients, grace: GoogleClients, graces_folder: dict[str, str], fake_google: FakeGoogle
) -> None:
    _share(grace, graces_folder["folder"], "reader")
    _share(grace, graces_folder["folder"], "writer")  # same email: the grant is replaced, not added
    perms = grace.drive.permissions().list(fileId=graces_folder["folder"]).execute()["permissions"]
    assert sorted((p.get("emailAddress"), p["role"]) for p in perms) == [(GRACE, "owner"), (SA, "writer")]
    sid = graces_folder["sheet"]
    google_clients.sheets.spreadsheets().values().update(
        spreadsheetId=sid, range="A1", valueInputOption="RAW", body={"values": [["ok"]]}
    ).execute()
    assert google_clients.drive.files().update(fileId=sid, body={"name": "renamed"}, fields="name").execute() == {
        "name": "renamed"
    }
    # Writer on a My Drive folder: the copy now passes the permission check and meets the service account's
    # missing storage quota, as on Google.
    with pytest.raises(HttpError) as err:
        _copy_template_into(google_clients, fake_google, graces_folder["folder"])
    assert _error(err)[:2] == (403, "storageQuotaExceeded")


def test_nothing_shared_is_404_in_drive_and_403_in_sheets_until_granted_and_again_after_revoking(
    google_clients: GoogleClients, grace: GoogleClients, graces_folder: dict[str, str], fake_google: FakeGoogle
) -> None:
    sid = graces_folder["sheet"]
    with pytest.raises(HttpError) as err:
        google_clients.drive.files().get(fileId=sid).execute()
    assert _error(err)[:2] == (404, "notFound")
    with pytest.raises(HttpError) as err:
        _copy_template_into(google_clients, fake_google, graces_folder["folder"])
    assert _error(err) == (404, "notFound", f"File not found: {graces_folder['folder']}.")
    with pytest.raises(HttpError) as err:
        google_clients.sheets.spreadsheets().get(spreadsheetId=sid).execute()
    assert _error(err)[0] == 403
    perm = _share(grace, sid, "commenter")
    assert google_clients.sheets.spreadsheets().get(spreadsheetId=sid, fields="properties.title").execute() == {
        "properties": {"title": "2026-12-07"}
    }
    grace.drive.permissions().delete(fileId=sid, permissionId=perm["id"]).execute()
    with pytest.raises(HttpError) as err:
        google_clients.drive.files().get(fileId=sid).execute()
    assert _error(err)[0] == 404


@pytest.mark.parametrize(
    ("role", "copies"),
    [("reader", False), ("commenter", False), ("writer", True), ("fileOrganizer", True), ("organizer", True)],
)
def test_shared_drive_membership_role_decides_whether_the_account_may_add_files(
    google_clients: GoogleClients, grace: GoogleClients, fake_google: FakeGoogle, role: str, copies: bool
) -> None:
    drive = grace.drive.drives().create(requestId=f"req-{role}", body={"name": "Grace's team"}).execute()
    folder = (
        grace.drive.files()
        .create(
            body={"name": "Grace Hopper", "mimeType": FOLDER, "parents": [drive["id"]]},
            supportsAllDrives=True,
            fields="id",
        )
        .execute()
    )
    grace.drive.permissions().create(
        fileId=drive["id"], supportsAllDrives=True, body={"type": "user", "role": role, "emailAddress": SA}
    ).execute()
    fake_google.store.enforce_sharing = True
    seen = google_clients.drive.files().get(fileId=folder["id"], supportsAllDrives=True, fields="name").execute()
    assert seen == {"name": "Grace Hopper"}
    if copies:
        made = _copy_template_into(google_clients, fake_google, folder["id"])
        assert made["name"] == "2026-12-07"
    else:
        with pytest.raises(HttpError) as err:
            _copy_template_into(google_clients, fake_google, folder["id"])
        assert _error(err)[:2] == (403, "insufficientParentPermissions")


def test_a_link_share_opens_by_id_but_does_not_make_the_file_searchable(
    google_clients: GoogleClients, grace: GoogleClients, graces_folder: dict[str, str]
) -> None:
    sid = graces_folder["sheet"]
    grace.drive.permissions().create(fileId=sid, body={"type": "anyone", "role": "reader"}).execute()
    assert google_clients.drive.files().get(fileId=sid, fields="name").execute() == {"name": "2026-12-07"}
    assert google_clients.drive.files().list(q="name = '2026-12-07'").execute()["files"] == []
    _share(grace, sid, "reader")
    listed = google_clients.drive.files().list(q="name = '2026-12-07'", fields="files(id)").execute()
    assert listed == {"files": [{"id": sid}]}

"""Drive v3 behaviour of the fake, driven through the real googleapiclient and gspread clients."""

from __future__ import annotations

import json

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from tests.fakegoogle.fixtures import build_clients
from tests.fakegoogle.store import DOCUMENT, FOLDER, SPREADSHEET

SA = "reviews-bot@fake-project.iam.gserviceaccount.com"


def _error(exc: HttpError) -> dict:
    return json.loads(exc.content)["error"]


def _create(drive, name, parent, mime=SPREADSHEET, **extra):
    body = {"name": name, "mimeType": mime, "parents": [parent], **extra}
    return drive.files().create(body=body, supportsAllDrives=True, fields="id,name,modifiedTime").execute()


def _list(drive, seed, q, **kw):
    return (
        drive.files()
        .list(
            q=q,
            corpora="drive",
            driveId=seed["drive_id"],
            includeItemsFromAllDrives=True,
            supportsAllDrives=True,
            **kw,
        )
        .execute()
    )


def test_create_answers_drive_default_fields_with_shared_drive_ids(fake_google, google_clients):
    seed = fake_google.seed
    got = (
        google_clients.drive.files()
        .create(
            body={"name": "Cycle 2021-12-13", "mimeType": FOLDER, "parents": [seed["folder_id"]]},
            supportsAllDrives=True,
        )
        .execute()
    )
    assert set(got) == {"kind", "id", "name", "mimeType", "driveId", "teamDriveId"}
    assert (got["kind"], got["name"], got["mimeType"], got["driveId"]) == (
        "drive#file",
        "Cycle 2021-12-13",
        FOLDER,
        seed["drive_id"],
    )
    full = (
        google_clients.drive.files()
        .get(fileId=got["id"], supportsAllDrives=True, fields="parents,webViewLink,trashed")
        .execute()
    )
    assert full == {
        "parents": [seed["folder_id"]],
        "trashed": False,
        "webViewLink": f"https://drive.google.com/drive/folders/{got['id']}",
    }
    assert fake_google.counters["drive.files.create"] == 1


def test_web_view_links_follow_the_file_type(fake_google, google_clients):
    folder = fake_google.seed["folder_id"]
    sheet = (
        google_clients.drive.files()
        .create(
            body={"name": "s", "mimeType": SPREADSHEET, "parents": [folder]},
            supportsAllDrives=True,
            fields="id,webViewLink",
        )
        .execute()
    )
    doc = (
        google_clients.drive.files()
        .create(
            body={"name": "d", "mimeType": DOCUMENT, "parents": [folder]},
            supportsAllDrives=True,
            fields="id,webViewLink",
        )
        .execute()
    )
    assert sheet["webViewLink"] == f"https://docs.google.com/spreadsheets/d/{sheet['id']}/edit?usp=drivesdk"
    assert doc["webViewLink"] == f"https://docs.google.com/document/d/{doc['id']}/edit?usp=drivesdk"


def test_shared_drive_items_are_not_found_without_supports_all_drives(fake_google, google_clients):
    made = _create(google_clients.drive, "x", fake_google.seed["folder_id"])
    with pytest.raises(HttpError) as err:
        google_clients.drive.files().get(fileId=made["id"]).execute()
    assert err.value.resp.status == 404
    assert _error(err.value)["errors"][0]["reason"] == "notFound"


def test_service_account_cannot_store_outside_a_shared_drive(fake_google, google_clients):
    drive = google_clients.drive
    with pytest.raises(HttpError) as err:
        drive.files().create(body={"name": "mine", "mimeType": SPREADSHEET}, supportsAllDrives=True).execute()
    assert err.value.resp.status == 403
    assert _error(err.value)["errors"][0]["reason"] == "storageQuotaExceeded"
    template = fake_google.seed["template_sheet_id"]
    with pytest.raises(HttpError) as err:
        drive.files().copy(fileId=template, body={"name": "c", "parents": ["root"]}, supportsAllDrives=True).execute()
    assert _error(err.value)["errors"][0]["reason"] == "storageQuotaExceeded"
    fake_google.service_account_mode = False
    assert drive.files().create(body={"name": "mine", "mimeType": SPREADSHEET}).execute()["name"] == "mine"


def test_delegated_user_stores_in_their_my_drive(fake_google, google_key_file):
    ada = build_clients(fake_google.base_url, google_key_file, subject="ada@example.com")
    made = (
        ada.drive.files().create(body={"name": "ada's", "mimeType": SPREADSHEET}, fields="id,owners,parents").execute()
    )
    assert made["owners"][0]["emailAddress"] == "ada@example.com"
    assert ada.drive.about().get(fields="user(emailAddress)").execute() == {"user": {"emailAddress": "ada@example.com"}}
    mine = ada.drive.files().list(q="'root' in parents", fields="files(id)").execute()
    assert mine == {"files": [{"id": made["id"]}]}
    assert fake_google.requests[-1].caller == "ada@example.com"


def test_copy_keeps_content_names_places_tags_and_has_its_own_modified_time(fake_google, google_clients):
    seed = fake_google.seed
    gc = google_clients.gc
    template = gc.open_by_key(seed["template_sheet_id"])
    template.sheet1.update([["criterion", "answer"], ["impact", "Yes"]], "A1:B2", value_input_option="RAW")
    source = (
        google_clients.drive.files()
        .get(fileId=seed["template_sheet_id"], supportsAllDrives=True, fields="modifiedTime")
        .execute()
    )
    copy = (
        google_clients.drive.files()
        .copy(
            fileId=seed["template_sheet_id"],
            supportsAllDrives=True,
            body={
                "name": "Peer review ada->grace",
                "parents": [seed["folder_id"]],
                "appProperties": {"cycle": "2021-12-13", "kind": "peer"},
            },
            fields="id,name,parents,appProperties,modifiedTime",
        )
        .execute()
    )
    assert copy["name"] == "Peer review ada->grace"
    assert copy["parents"] == [seed["folder_id"]]
    assert copy["appProperties"] == {"cycle": "2021-12-13", "kind": "peer"}
    assert copy["modifiedTime"] > source["modifiedTime"]
    assert gc.open_by_key(copy["id"]).sheet1.get("A1:B2") == [["criterion", "answer"], ["impact", "Yes"]]
    gc.open_by_key(copy["id"]).sheet1.update([["No"]], "B2", value_input_option="RAW")
    assert template.sheet1.acell("B2").value == "Yes"
    after = (
        google_clients.drive.files()
        .get(fileId=seed["template_sheet_id"], supportsAllDrives=True, fields="modifiedTime")
        .execute()
    )
    assert after == source
    assert fake_google.counters["drive.files.copy"] == 1


def test_copy_without_name_or_parents_inherits_like_drive(fake_google, google_clients):
    seed = fake_google.seed
    copy = (
        google_clients.drive.files()
        .copy(fileId=seed["template_sheet_id"], body={}, supportsAllDrives=True, fields="name,parents")
        .execute()
    )
    assert copy == {"name": "Copy of Peer review template", "parents": [seed["templates_folder_id"]]}


def test_update_renames_moves_tags_and_trashes(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    made = _create(drive, "draft", seed["folder_id"], appProperties={"cycle": "c1", "owner": "ada"})
    other = (
        drive.files()
        .create(body={"name": "done", "mimeType": FOLDER, "parents": [seed["drive_id"]]}, supportsAllDrives=True)
        .execute()
    )
    got = (
        drive.files()
        .update(
            fileId=made["id"],
            body={"name": "final", "appProperties": {"owner": None, "state": "submitted"}},
            addParents=other["id"],
            removeParents=seed["folder_id"],
            supportsAllDrives=True,
            fields="name,parents,appProperties,modifiedTime",
        )
        .execute()
    )
    assert got["name"] == "final"
    assert got["parents"] == [other["id"]]
    assert got["appProperties"] == {"cycle": "c1", "state": "submitted"}
    assert got["modifiedTime"] > made["modifiedTime"]
    trashed = (
        drive.files()
        .update(fileId=made["id"], body={"trashed": True}, supportsAllDrives=True, fields="trashed")
        .execute()
    )
    assert trashed == {"trashed": True}
    live = _list(drive, seed, f"'{other['id']}' in parents and trashed = false")
    assert live["files"] == []


def test_update_refuses_parents_in_the_body_and_a_second_parent(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    made = _create(drive, "x", seed["folder_id"])
    with pytest.raises(HttpError) as err:
        drive.files().update(fileId=made["id"], body={"parents": [seed["drive_id"]]}, supportsAllDrives=True).execute()
    assert (err.value.resp.status, _error(err.value)["errors"][0]["reason"]) == (403, "fieldNotWritable")
    with pytest.raises(HttpError) as err:
        drive.files().update(
            fileId=made["id"], body={}, addParents=seed["templates_folder_id"], supportsAllDrives=True
        ).execute()
    assert _error(err.value)["errors"][0]["reason"] == "cannotAddParent"


def test_delete_removes_the_file_and_its_children(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    folder = (
        drive.files()
        .create(body={"name": "tmp", "mimeType": FOLDER, "parents": [seed["folder_id"]]}, supportsAllDrives=True)
        .execute()
    )
    child = _create(drive, "child", folder["id"])
    assert drive.files().delete(fileId=folder["id"], supportsAllDrives=True).execute() == ""
    for gone in (folder["id"], child["id"]):
        with pytest.raises(HttpError) as err:
            drive.files().get(fileId=gone, supportsAllDrives=True).execute()
        assert err.value.resp.status == 404


def test_list_pages_with_next_page_token(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    names = [f"review-{i:02d}" for i in range(7)]
    for name in names:
        _create(drive, name, seed["folder_id"])
    seen, token, pages = [], None, 0
    while True:
        page = _list(
            drive,
            seed,
            f"'{seed['folder_id']}' in parents",
            pageSize=3,
            orderBy="name",
            pageToken=token,
            fields="nextPageToken,files(name)",
        )
        pages += 1
        seen += [f["name"] for f in page["files"]]
        token = page.get("nextPageToken")
        if not token:
            break
    assert seen == names
    assert pages == 3
    assert fake_google.counters["drive.files.list"] == 3


def test_list_default_page_is_100_and_page_size_is_capped_at_1000(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    for start in range(0, 1001, 100):
        batch = BatchHttpRequest(batch_uri=google_clients.batch_uri)
        for i in range(start, min(start + 100, 1001)):
            batch.add(
                drive.files().create(
                    body={"name": f"f{i:04d}", "mimeType": SPREADSHEET, "parents": [seed["folder_id"]]},
                    supportsAllDrives=True,
                )
            )
        batch.execute()
    q = f"'{seed['folder_id']}' in parents"
    assert len(_list(drive, seed, q)["files"]) == 100
    big = _list(drive, seed, q, pageSize=5000, fields="nextPageToken,files(id)")
    assert len(big["files"]) == 1000
    assert "nextPageToken" in big
    assert fake_google.counters["drive.batch"] == 11
    assert fake_google.counters["drive.files.create"] == 1001


def test_list_default_fields_and_partial_fields(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    made = _create(drive, "one", seed["folder_id"], appProperties={"cycle": "c1"})
    default = _list(drive, seed, f"'{seed['folder_id']}' in parents")
    assert default == {
        "kind": "drive#fileList",
        "incompleteSearch": False,
        "files": [
            {
                "kind": "drive#file",
                "id": made["id"],
                "name": "one",
                "mimeType": SPREADSHEET,
                "driveId": seed["drive_id"],
                "teamDriveId": seed["drive_id"],
            }
        ],
    }
    partial = _list(drive, seed, f"'{seed['folder_id']}' in parents", fields="files(id,appProperties)")
    assert partial == {"files": [{"id": made["id"], "appProperties": {"cycle": "c1"}}]}
    slash = _list(drive, seed, f"'{seed['folder_id']}' in parents", fields="files/name")
    assert slash == {"files": [{"name": "one"}]}
    with pytest.raises(HttpError) as err:
        _list(drive, seed, "trashed = false", fields="files(id,nmae)")
    assert err.value.resp.status == 400
    assert "nmae" in _error(err.value)["message"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("name = 'Peer review: ada'", ["Peer review: ada"]),
        ('name = "Peer review: ada"', ["Peer review: ada"]),
        ("name contains 'peer'", ["Peer review: ada", "Peer review: grace"]),
        ("name contains 'view'", []),
        ("name contains 'grace'", ["Peer review: grace"]),
        ("name = 'O\\'Brien notes'", ["O'Brien notes"]),
        ("mimeType != 'application/vnd.google-apps.spreadsheet'", ["O'Brien notes"]),
        ("mimeType = 'application/vnd.google-apps.document' and not name contains 'peer'", ["O'Brien notes"]),
        ("appProperties has { key='cycle' and value='2021-12-13' }", ["Peer review: ada"]),
        (
            "(name contains 'O' or appProperties has {key='cycle' and value='2021-12-27'}) and trashed = false",
            ["O'Brien notes", "Peer review: grace"],
        ),
        ("trashed = true", []),
    ],
)
def test_list_query_language(fake_google, google_clients, q, expected):
    drive, seed = google_clients.drive, fake_google.seed
    _create(drive, "Peer review: ada", seed["folder_id"], appProperties={"cycle": "2021-12-13"})
    _create(drive, "Peer review: grace", seed["folder_id"], appProperties={"cycle": "2021-12-27"})
    _create(drive, "O'Brien notes", seed["folder_id"], mime=DOCUMENT)
    q = f"'{seed['folder_id']}' in parents and ({q})"
    got = _list(drive, seed, q, orderBy="name", fields="files(name)")
    assert [f["name"] for f in got["files"]] == sorted(expected)


def test_list_modified_time_filter_and_order(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    first = _create(drive, "first", seed["folder_id"])
    second = _create(drive, "second", seed["folder_id"])
    q = f"modifiedTime > '{first['modifiedTime']}' and '{seed['folder_id']}' in parents"
    later = _list(drive, seed, q, fields="files(name)")
    assert later == {"files": [{"name": "second"}]}
    newest = _list(drive, seed, f"'{seed['folder_id']}' in parents", orderBy="modifiedTime desc", fields="files(name)")
    assert [f["name"] for f in newest["files"]] == ["second", "first"]
    assert second["modifiedTime"] > first["modifiedTime"]


@pytest.mark.parametrize(
    "q",
    [
        "sharedWithMe",
        "name > 'a'",
        "visibility = 'anyoneCanFind'",
        "'x' in labels",
        "name = 'unterminated",
        "(name = 'a'",
        "trashed = 'false'",
        "name = 'a' xor name = 'b'",
    ],
)
def test_unsupported_or_malformed_queries_are_400_not_silent(fake_google, google_clients, q):
    with pytest.raises(HttpError) as err:
        _list(google_clients.drive, fake_google.seed, q)
    assert err.value.resp.status == 400
    assert _error(err.value)["errors"][0]["location"] == "q"


def test_list_rules_for_shared_drive_parameters(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    _create(drive, "in shared drive", seed["folder_id"])
    without = drive.files().list(q="name = 'in shared drive'").execute()
    assert without["files"] == []
    across = (
        drive.files()
        .list(
            q="name = 'in shared drive'",
            includeItemsFromAllDrives=True,
            supportsAllDrives=True,
            fields="files(name)",
        )
        .execute()
    )
    assert across == {"files": [{"name": "in shared drive"}]}
    with pytest.raises(HttpError) as err:
        drive.files().list(driveId=seed["drive_id"], supportsAllDrives=True, includeItemsFromAllDrives=True).execute()
    assert err.value.resp.status == 400
    with pytest.raises(HttpError) as err:
        drive.files().list(includeItemsFromAllDrives=True).execute()
    assert err.value.resp.status == 403
    with pytest.raises(HttpError) as err:
        drive.files().list(orderBy="viewedByMeTime desc").execute()
    assert err.value.resp.status == 400


def test_not_shared_files_are_404_until_shared(fake_google, google_clients, google_key_file):
    grace = build_clients(fake_google.base_url, google_key_file, subject="grace@example.com")
    private = grace.drive.files().create(body={"name": "grace only", "mimeType": SPREADSHEET}, fields="id").execute()
    fake_google.store.enforce_sharing = True
    with pytest.raises(HttpError) as err:
        google_clients.drive.files().get(fileId=private["id"]).execute()
    assert err.value.resp.status == 404
    perm = (
        grace.drive.permissions()
        .create(
            fileId=private["id"],
            sendNotificationEmail=False,
            body={"type": "user", "role": "writer", "emailAddress": SA},
        )
        .execute()
    )
    assert perm == {"kind": "drive#permission", "id": perm["id"], "type": "user", "role": "writer"}
    got = google_clients.drive.files().get(fileId=private["id"], fields="name").execute()
    assert got == {"name": "grace only"}


def test_permissions_record_every_type_including_anyone(fake_google, google_clients):
    drive = google_clients.drive
    made = _create(drive, "shared", fake_google.seed["folder_id"])
    drive.permissions().create(
        fileId=made["id"], supportsAllDrives=True, body={"type": "anyone", "role": "reader"}
    ).execute()
    drive.permissions().create(
        fileId=made["id"],
        supportsAllDrives=True,
        sendNotificationEmail=False,
        body={"type": "user", "role": "commenter", "emailAddress": "ada@example.com"},
    ).execute()
    perms = drive.permissions().list(fileId=made["id"], supportsAllDrives=True).execute()["permissions"]
    assert {(p["type"], p["role"], p.get("emailAddress")) for p in perms} == {
        ("user", "organizer", SA),
        ("anyone", "reader", None),
        ("user", "commenter", "ada@example.com"),
    }
    with pytest.raises(HttpError) as err:
        drive.permissions().create(
            fileId=made["id"], supportsAllDrives=True, body={"type": "user", "role": "writer"}
        ).execute()
    assert err.value.resp.status == 400


def test_shared_drives_create_list_get(fake_google, google_clients):
    drive = google_clients.drive
    made = drive.drives().create(requestId="req-1", body={"name": "Second drive"}).execute()
    assert made == {"kind": "drive#drive", "id": made["id"], "name": "Second drive"}
    listed = drive.drives().list(fields="drives(id,name)").execute()
    assert {d["name"] for d in listed["drives"]} == {"Customer Support Reviews", "Second drive"}
    assert drive.drives().get(driveId=made["id"], fields="name").execute() == {"name": "Second drive"}
    with pytest.raises(HttpError) as err:
        drive.drives().create(requestId="req-1", body={"name": "again"}).execute()
    assert err.value.resp.status == 409
    with pytest.raises(HttpError) as err:
        drive.drives().get(driveId="nope").execute()
    assert err.value.resp.status == 404


def test_gspread_creates_lists_and_copies_in_a_shared_folder(fake_google, google_clients):
    gc, seed = google_clients.gc, fake_google.seed
    sheet = gc.create("KR1 rollup", folder_id=seed["folder_id"])
    sheet.sheet1.update([["week", "rate"]], "A1:B1")
    listed = gc.list_spreadsheet_files(folder_id=seed["folder_id"])
    assert [f["name"] for f in listed] == ["KR1 rollup"]
    copied = gc.copy(sheet.id, title="KR1 rollup (copy)", folder_id=seed["folder_id"])
    assert copied.sheet1.get_all_values()[0] == ["week", "rate"]
    assert fake_google.counters["drive.files.copy"] == 1


def test_owner_alias_and_files_made_through_sheets_land_in_my_drive(fake_google, google_key_file):
    ada = build_clients(fake_google.base_url, google_key_file, subject="ada@example.com")
    made = ada.sheets.spreadsheets().create(body={"properties": {"title": "ada via sheets"}}).execute()
    listed = ada.drive.files().list(q="'me' in owners and 'root' in parents", fields="files(id,name)").execute()
    assert listed == {"files": [{"id": made["spreadsheetId"], "name": "ada via sheets"}]}
    assert ada.drive.files().list(q="'grace@example.com' in owners").execute()["files"] == []


def test_service_account_cannot_create_through_sheets_or_docs_outside_shared_drives(fake_google, google_clients):
    with pytest.raises(HttpError) as err:
        google_clients.sheets.spreadsheets().create(body={"properties": {"title": "x"}}).execute()
    assert err.value.resp.status == 403
    with pytest.raises(HttpError) as err:
        google_clients.docs.documents().create(body={"title": "x"}).execute()
    assert err.value.resp.status == 403
    assert fake_google.counters["sheets.spreadsheets.create"] == 1
    assert fake_google.counters["docs.documents.create"] == 1


def test_more_query_terms(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    _create(drive, "top level", seed["drive_id"], properties={"team": "support"}, description="rollup of KR1")
    got = _list(
        drive,
        seed,
        f"'{seed['drive_id']}' in parents and properties has {{ key='team' and value='support' }}",
        fields="files(name)",
    )
    assert got == {"files": [{"name": "top level"}]}
    assert _list(drive, seed, "fullText contains 'KR1'", fields="files(name)") == {"files": [{"name": "top level"}]}
    assert _list(drive, seed, "createdTime < '2000-01-01T00:00:00'", fields="files(name)") == {"files": []}

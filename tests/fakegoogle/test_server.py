"""The fake server's contract checks, batch endpoint, instrumentation and standalone mode, through real
clients (googleapiclient, gspread) and raw requests where a client would refuse to send the bad request."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import gspread
import pytest
import requests
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from tests.fakegoogle.fixtures import google_client_options
from tests.fakegoogle.server import FakeGoogle
from tests.fakegoogle.store import SPREADSHEET

SA = "reviews-bot@fake-project.iam.gserviceaccount.com"


def _error(exc: HttpError) -> dict:
    return json.loads(exc.content)["error"]


def _raw(fake: FakeGoogle, method: str, path: str, **kw) -> requests.Response:
    token = fake.token_for(SA, service_account=True)
    return requests.request(
        method, fake.base_url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10, **kw
    )


def test_fixture_clients_reach_the_seeded_drive(fake_google, google_clients):
    got = google_clients.drive.drives().get(driveId=fake_google.seed["drive_id"]).execute()
    assert got == {
        "kind": "drive#drive",
        "id": fake_google.seed["drive_id"],
        "name": "Customer Support Reviews",
    }
    assert fake_google.counters["drive.drives.get"] == 1
    assert fake_google.counters["oauth2.token"] == 1


def test_client_options_name_each_service_endpoint():
    assert google_client_options("http://127.0.0.1:9/") == {
        "drive": {"api_endpoint": "http://127.0.0.1:9/drive/v3/"},
        "sheets": {"api_endpoint": "http://127.0.0.1:9/"},
        "docs": {"api_endpoint": "http://127.0.0.1:9/"},
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "drive/v3/filez"),
        ("PUT", "drive/v3/files"),
        ("GET", "drive/v2/files"),
        ("GET", "v4/spreadsheets"),
    ],
)
def test_unknown_paths_and_methods_are_404(fake_google, method, path):
    answer = _raw(fake_google, method, path)
    assert answer.status_code == 404
    assert answer.json()["error"]["status"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("path", "params", "word"),
    [
        ("drive/v3/files", {"bogusParam": "1"}, "bogusParam"),
        ("drive/v3/files", {"pageSize": "ten"}, "page_size"),
        ("drive/v3/files", {"supportsAllDrives": "yes"}, "supports_all_drives"),
        ("drive/v3/files", {"pageSize": "0"}, "at least 1"),
    ],
)
def test_bad_query_parameters_are_400(fake_google, path, params, word):
    answer = _raw(fake_google, "GET", path, params=params)
    assert answer.status_code == 400
    assert word in answer.json()["error"]["message"]
    assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_drive_ignores_parameters_of_other_drive_methods_as_google_does(fake_google, google_clients):
    made = (
        google_clients.drive.files()
        .create(
            body={"name": "x", "mimeType": SPREADSHEET, "parents": [fake_google.seed["folder_id"]]},
            supportsAllDrives=True,
        )
        .execute()
    )
    answer = _raw(
        fake_google,
        "GET",
        f"drive/v3/files/{made['id']}",
        params={"supportsAllDrives": "True", "includeItemsFromAllDrives": "True", "fields": "id"},
    )
    assert (answer.status_code, answer.json()) == (200, {"id": made["id"]})


def test_sheets_rejects_unknown_parameter_and_bad_enum_through_gspread(fake_google, google_clients):
    gc = google_clients.gc
    sheet = gc.create("contract", folder_id=fake_google.seed["folder_id"])
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{sheet.id}/values/A1"
    with pytest.raises(gspread.exceptions.APIError) as err:
        gc.http_client.request("get", url, params={"valueRenderOption": "PRETTY"})
    assert err.value.code == 400
    assert "PRETTY" in err.value.error["message"]
    with pytest.raises(gspread.exceptions.APIError) as err:
        gc.http_client.request("get", url, params={"majorDim": "ROWS"})
    assert err.value.code == 400
    assert "majorDim" in err.value.error["message"]


def test_request_body_keys_are_checked_at_every_depth(fake_google, google_clients):
    drive, sheets = google_clients.drive, google_clients.sheets
    with pytest.raises(HttpError) as err:
        drive.files().create(body={"nmae": "typo"}, supportsAllDrives=True).execute()
    assert err.value.resp.status == 400
    assert 'Unknown name "nmae"' in _error(err.value)["message"]
    sheet = google_clients.gc.create("depth", folder_id=fake_google.seed["folder_id"])
    with pytest.raises(HttpError) as err:
        sheets.spreadsheets().batchUpdate(
            spreadsheetId=sheet.id, body={"requests": [{"addSheet": {"properties": {"titel": "Answers"}}}]}
        ).execute()
    assert err.value.resp.status == 400
    assert 'Unknown name "titel"' in _error(err.value)["message"]
    assert "requests[0].add_sheet.properties" in _error(err.value)["message"]
    with pytest.raises(HttpError) as err:
        sheets.spreadsheets().batchUpdate(
            spreadsheetId=sheet.id,
            body={"requests": [{"addSheet": {"properties": {"title": "x", "sheetType": "SPREADSHEET"}}}]},
        ).execute()
    assert err.value.resp.status == 400
    with pytest.raises(HttpError) as err:
        drive.files().create(body={"name": 5}, supportsAllDrives=True).execute()
    assert err.value.resp.status == 400
    assert fake_google.counters["sheets.spreadsheets.batchUpdate"] == 2


def test_map_values_are_checked_against_additional_properties(fake_google, google_clients):
    with pytest.raises(HttpError) as err:
        google_clients.drive.files().create(
            body={"name": "m", "appProperties": {"k": {"nested": 1}}}, supportsAllDrives=True
        ).execute()
    assert err.value.resp.status == 400


def test_requests_without_a_valid_token_are_401(fake_google):
    bare = requests.get(fake_google.base_url + "drive/v3/files", timeout=10)
    assert bare.status_code == 401
    assert bare.json()["error"]["status"] == "UNAUTHENTICATED"
    forged = requests.get(
        fake_google.base_url + "drive/v3/files", timeout=10, headers={"Authorization": "Bearer ya29.made-up"}
    )
    assert forged.status_code == 401
    assert fake_google.requests[-1].status == 401


def test_token_endpoint_rejects_a_key_it_did_not_issue(fake_google, google_key_file, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from google.auth.exceptions import RefreshError
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account

    info = json.loads(google_key_file.read_text())
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    info["private_key"] = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    creds = service_account.Credentials.from_service_account_info(
        info, scopes=["https://www.googleapis.com/auth/drive"]
    )
    with pytest.raises(RefreshError, match="Invalid JWT Signature"):
        creds.refresh(Request())
    assert fake_google.requests[-1].method_id == "oauth2.token"
    assert fake_google.requests[-1].status == 400


def test_key_file_is_private_and_names_the_fake_token_uri(fake_google, google_key_file):
    info = json.loads(google_key_file.read_text())
    assert oct(os.stat(google_key_file).st_mode & 0o777) == "0o600"
    assert info["token_uri"] == fake_google.base_url + "token"
    assert info["client_email"] == SA
    assert info["type"] == "service_account"


def test_denied_delegation_and_missing_scopes(fake_google, google_key_file):
    from google.auth.exceptions import RefreshError
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account

    fake_google.auth.denied_subjects.add("mallory@example.com")
    creds = service_account.Credentials.from_service_account_file(
        str(google_key_file), scopes=["https://www.googleapis.com/auth/drive"], subject="mallory@example.com"
    )
    with pytest.raises(RefreshError, match="unauthorized_client"):
        creds.refresh(Request())
    readonly = service_account.Credentials.from_service_account_file(
        str(google_key_file), scopes=["https://www.googleapis.com/auth/drive.readonly"]
    )
    readonly.refresh(Request())
    answer = requests.post(
        fake_google.base_url + "v4/spreadsheets",
        json={},
        timeout=10,
        headers={"Authorization": f"Bearer {readonly.token}"},
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["errors"][0]["reason"] == "insufficientPermissions"


def test_batch_answers_each_part_with_its_own_status_and_counts_each_call(fake_google, google_clients):
    drive, seed = google_clients.drive, fake_google.seed
    made = (
        drive.files()
        .create(
            body={"name": "b", "mimeType": SPREADSHEET, "parents": [seed["folder_id"]]},
            supportsAllDrives=True,
        )
        .execute()
    )
    fake_google.reset_counters()
    answers: dict[str, tuple] = {}
    batch = BatchHttpRequest(
        callback=lambda rid, resp, exc: answers.__setitem__(rid, (resp, exc)),
        batch_uri=google_clients.batch_uri,
    )
    batch.add(drive.files().get(fileId=made["id"], supportsAllDrives=True, fields="name"), request_id="ok")
    batch.add(drive.files().get(fileId="missing", supportsAllDrives=True), request_id="gone")
    batch.add(
        drive.files().update(fileId=made["id"], body={"name": "renamed"}, supportsAllDrives=True, fields="name"),
        request_id="rename",
    )
    batch.execute()
    assert answers["ok"] == ({"name": "b"}, None)
    assert answers["gone"][1].resp.status == 404
    assert answers["rename"] == ({"name": "renamed"}, None)
    assert fake_google.counters == {"drive.batch": 1, "drive.files.get": 2, "drive.files.update": 1}
    assert [r.in_batch for r in fake_google.requests] == [True, True, True, False]


def test_batch_of_more_than_100_calls_is_400(fake_google, google_clients):
    drive = google_clients.drive
    batch = BatchHttpRequest(batch_uri=google_clients.batch_uri)
    for _ in range(101):
        batch.add(drive.files().get(fileId=fake_google.seed["folder_id"], supportsAllDrives=True))
    with pytest.raises(HttpError) as err:
        batch.execute()
    assert err.value.resp.status == 400
    assert fake_google.counters["drive.files.get"] == 0


def test_faults_are_deterministic_by_seed(tmp_path):
    def statuses(seed: int) -> list[int]:
        fake = FakeGoogle()
        fake.start()
        try:
            fake.faults.configure(0.5, ["429", "500", "503", "403-userRateLimitExceeded"], seed=seed)
            return [_raw(fake, "GET", "drive/v3/files").status_code for _ in range(20)]
        finally:
            fake.stop()

    first, again, other = statuses(7), statuses(7), statuses(8)
    assert first == again
    assert first != other
    assert {s for s in first} <= {200, 429, 500, 503, 403}
    assert 0 < sum(s != 200 for s in first) < 20


def test_fail_next_targets_a_method_and_retries_recover(fake_google, google_clients, monkeypatch):
    monkeypatch.setattr("googleapiclient.http.time.sleep", lambda seconds: None)
    drive, folder = google_clients.drive, fake_google.seed["folder_id"]
    fake_google.faults.fail_next(2, "503", method_id="drive.files.get")
    got = drive.files().get(fileId=folder, supportsAllDrives=True, fields="name").execute(num_retries=3)
    assert got == {"name": "peer-reviews"}
    assert fake_google.counters["drive.files.get"] == 3
    assert [r.status for r in fake_google.requests if r.method_id == "drive.files.get"] == [503, 503, 200]
    fake_google.faults.fail_next(1, "403-userRateLimitExceeded")
    with pytest.raises(HttpError) as err:
        drive.files().get(fileId=folder, supportsAllDrives=True).execute()
    assert _error(err.value)["errors"][0]["reason"] == "userRateLimitExceeded"
    # googleapiclient retries 403 rate-limit reasons, so the fault is shaped the way it recognises.
    fake_google.faults.fail_next(1, "403-userRateLimitExceeded")
    got = drive.files().get(fileId=folder, supportsAllDrives=True, fields="name").execute(num_retries=1)
    assert got == {"name": "peer-reviews"}


def test_retry_after_and_dropped_connections(fake_google):
    fake_google.faults.fail_next(1, "429-retry-after")
    limited = _raw(fake_google, "GET", "drive/v3/files")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")
    assert limited.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    fake_google.faults.fail_next(1, "drop")
    with pytest.raises(requests.ConnectionError):
        _raw(fake_google, "GET", "drive/v3/files")
    assert _raw(fake_google, "GET", "drive/v3/files").status_code == 200
    assert fake_google.faults.injected == {"429-retry-after": 1, "drop": 1}


def test_quota_limits_each_caller_separately(fake_google, google_clients, google_key_file):
    from tests.fakegoogle.fixtures import build_clients

    sheet = google_clients.gc.create("quota", folder_id=fake_google.seed["folder_id"])
    fake_google.quota(3, 3600, methods_prefix="sheets.")
    values = google_clients.sheets.spreadsheets().values()
    for _ in range(3):
        values.get(spreadsheetId=sheet.id, range="A1").execute()
    with pytest.raises(HttpError) as err:
        values.get(spreadsheetId=sheet.id, range="A1").execute()
    assert err.value.resp.status == 429
    assert _error(err.value)["status"] == "RESOURCE_EXHAUSTED"
    assert _error(err.value)["errors"][0]["reason"] == "rateLimitExceeded"
    got = google_clients.drive.files().get(fileId=sheet.id, supportsAllDrives=True).execute()
    assert got["id"] == sheet.id
    ada = build_clients(fake_google.base_url, google_key_file, subject="ada@example.com")
    assert ada.sheets.spreadsheets().values().get(spreadsheetId=sheet.id, range="A1").execute()["range"]
    assert fake_google.quotas.rejected == {SA: 1}


def test_latency_setting_keeps_answers_correct(fake_google, google_clients):
    fake_google.latency_s = 0.001
    got = (
        google_clients.drive.files()
        .get(fileId=fake_google.seed["folder_id"], supportsAllDrives=True, fields="name")
        .execute()
    )
    assert got == {"name": "peer-reviews"}


def test_standalone_prints_its_base_url_and_serves(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakegoogle", "--port", "0"], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        assert requests.get(base + "drive/v3/files", timeout=10).status_code == 401
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)


def test_quota_by_kind_and_per_project(fake_google, google_clients, google_key_file):
    from tests.fakegoogle.fixtures import build_clients

    sheet = google_clients.gc.create("kinds", folder_id=fake_google.seed["folder_id"])
    values = google_clients.sheets.spreadsheets().values()
    fake_google.quota(1, 3600, kind="write")
    values.update(spreadsheetId=sheet.id, range="A1", valueInputOption="RAW", body={"values": [["x"]]}).execute()
    for _ in range(3):
        values.get(spreadsheetId=sheet.id, range="A1").execute()
    with pytest.raises(HttpError) as err:
        values.update(spreadsheetId=sheet.id, range="A1", valueInputOption="RAW", body={"values": [["y"]]}).execute()
    assert err.value.resp.status == 429
    fake_google.quotas.clear()
    fake_google.quota(2, 3600, per_project=True)
    ada = build_clients(fake_google.base_url, google_key_file, subject="ada@example.com")
    values.get(spreadsheetId=sheet.id, range="A1").execute()
    ada.sheets.spreadsheets().values().get(spreadsheetId=sheet.id, range="A1").execute()
    with pytest.raises(HttpError) as err:
        ada.sheets.spreadsheets().values().get(spreadsheetId=sheet.id, range="A1").execute()
    assert "per project" in _error(err.value)["message"]
    assert fake_google.quotas.rejected == {SA: 1, "ada@example.com": 1}

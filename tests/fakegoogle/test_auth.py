"""The fake's OAuth token endpoint and bearer checks, through google-auth (and raw JWTs it signs)."""

from __future__ import annotations

import json
import time

import gspread
import pytest
import requests
from google.auth import crypt, jwt
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account

from tests.fakegoogle.fixtures import routed_session

SA = "reviews-bot@fake-project.iam.gserviceaccount.com"
DRIVE = "https://www.googleapis.com/auth/drive"


def _assertion(key_file, **claims) -> str:
    info = json.loads(key_file.read_text())
    signer = crypt.RSASigner.from_service_account_info(info)
    now = int(time.time())
    payload = {
        "iss": info["client_email"],
        "aud": info["token_uri"],
        "scope": DRIVE,
        "iat": now,
        "exp": now + 3600,
        **claims,
    }
    return jwt.encode(signer, payload).decode()


def _grant(fake, assertion: str) -> requests.Response:
    return requests.post(
        fake.base_url + "token",
        timeout=10,
        data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion},
    )


def test_token_endpoint_accepts_its_own_token_uri_as_audience(fake_google, google_key_file):
    answer = _grant(fake_google, _assertion(google_key_file))
    assert answer.status_code == 200
    token = answer.json()
    assert (token["token_type"], token["expires_in"]) == ("Bearer", 3600)
    files = requests.get(
        fake_google.base_url + "drive/v3/files",
        timeout=10,
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert files.status_code == 200
    assert fake_google.requests[-1].caller == SA


@pytest.mark.parametrize(
    ("claims", "error"),
    [
        ({"aud": "https://example.com/token"}, "invalid_grant"),
        ({"iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}, "invalid_grant"),
        ({"exp": int(time.time()) + 7200}, "invalid_grant"),
        ({"scope": ""}, "invalid_scope"),
        ({"iss": "someone-else@fake-project.iam.gserviceaccount.com"}, "invalid_grant"),
    ],
)
def test_token_endpoint_checks_the_claims(fake_google, google_key_file, claims, error):
    answer = _grant(fake_google, _assertion(google_key_file, **claims))
    assert answer.status_code == 400
    assert answer.json()["error"] == error
    assert fake_google.counters["oauth2.token"] == 1


def test_other_grant_types_are_refused(fake_google):
    answer = requests.post(fake_google.base_url + "token", data={"grant_type": "password"}, timeout=10)
    assert (answer.status_code, answer.json()["error"]) == (400, "unsupported_grant_type")


def test_self_signed_jwt_is_a_valid_bearer(fake_google, google_key_file):
    creds = jwt.Credentials.from_service_account_file(str(google_key_file), audience="https://sheets.googleapis.com/")
    gc = gspread.Client(auth=creds, session=routed_session(fake_google.base_url, creds))
    sheet = gc.create("self-signed", folder_id=fake_google.seed["folder_id"])
    assert gc.open_by_key(sheet.id).title == "self-signed"
    assert fake_google.counters["oauth2.token"] == 0
    assert {r.caller for r in fake_google.requests} == {SA}


def test_no_scopes_and_no_audience_is_refused_like_google(fake_google, google_key_file):
    creds = service_account.Credentials.from_service_account_file(str(google_key_file))
    gc = gspread.Client(auth=creds, session=routed_session(fake_google.base_url, creds))
    with pytest.raises(RefreshError, match="invalid_scope"):
        gc.open_by_key(fake_google.seed["template_sheet_id"])


def test_delegated_token_acts_as_the_subject(fake_google, google_key_file):
    answer = _grant(fake_google, _assertion(google_key_file, sub="ada@example.com"))
    token = answer.json()["access_token"]
    about = requests.get(
        fake_google.base_url + "drive/v3/about",
        params={"fields": "user"},
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert about.json()["user"]["emailAddress"] == "ada@example.com"
    assert about.json()["user"]["me"] is True

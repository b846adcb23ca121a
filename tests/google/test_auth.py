"""Credentials: key files (good, missing, garbage, too open), delegation, and the fake's real token endpoint."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from gworkspace_reviews.adapters.google import drive
from gworkspace_reviews.adapters.google.auth import DOCS_SCOPE, DRIVE_SCOPE, SCOPES, SHEETS_SCOPE, load_credentials
from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.config_types import GoogleConfig
from gworkspace_reviews.errors import ConfigError
from tests.fakegoogle.server import FakeGoogle
from tests.google.conftest import endpoints


def test_scopes_are_drive_spreadsheets_and_documents() -> None:
    assert SCOPES == (DRIVE_SCOPE, SHEETS_SCOPE, DOCS_SCOPE)
    assert DRIVE_SCOPE.endswith("/auth/drive") and SHEETS_SCOPE.endswith("/auth/spreadsheets")


def test_a_missing_key_file_is_a_configuration_error_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(ConfigError) as err:
        load_credentials(GoogleConfig(credentials=missing))
    assert err.value.exit_code == 2
    assert str(missing) in str(err.value) and "does not exist" in str(err.value) and "JSON key" in str(err.value)


def test_a_garbage_key_file_is_named_without_echoing_its_content(tmp_path: Path) -> None:
    garbage = tmp_path / "key.json"
    garbage.write_text("-----BEGIN PRIVATE KEY-----\nMIIsecretsecret\n")
    garbage.chmod(0o600)
    with pytest.raises(ConfigError) as err:
        load_credentials(GoogleConfig(credentials=garbage))
    assert str(garbage) in str(err.value) and "not a JSON key file" in str(err.value)
    assert "MIIsecret" not in str(err.value)
    half = tmp_path / "half.json"
    half.write_text(json.dumps({"type": "service_account", "client_email": "x@y"}))
    half.chmod(0o600)
    with pytest.raises(ConfigError, match="missing private_key, token_uri"):
        load_credentials(GoogleConfig(credentials=half))


def test_a_key_readable_by_others_is_warned_about(google_key_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    google_key_file.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        load_credentials(GoogleConfig(credentials=google_key_file))
    assert f"chmod 600 {google_key_file}" in caplog.text
    caplog.clear()
    google_key_file.chmod(0o600)
    with caplog.at_level(logging.WARNING):
        load_credentials(GoogleConfig(credentials=google_key_file))
    assert caplog.text == ""


def test_the_key_file_comes_from_the_environment_when_not_configured(
        google_key_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(google_key_file))
    _creds, identity = load_credentials(GoogleConfig())
    assert identity.email == "reviews-bot@fake-project.iam.gserviceaccount.com"
    assert identity.source == str(google_key_file)


def test_no_credentials_at_all_says_how_to_provide_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path))  # no gcloud application-default file
    monkeypatch.setenv("NO_GCE_CHECK", "True")  # and not on Google Compute Engine
    with pytest.raises(ConfigError, match=r"set google\.credentials") as err:
        load_credentials(GoogleConfig())
    assert err.value.exit_code == 2


def test_calls_authenticate_through_the_fake_token_endpoint_and_never_log_the_token(
        fake_google: FakeGoogle, google_key_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    gw = Gateway(GoogleConfig(credentials=google_key_file, endpoints=endpoints(fake_google.base_url)))
    with caplog.at_level(logging.DEBUG):
        item = drive.get_file(gw, fake_google.seed["folder_id"], what="t")
    assert item["name"] == "peer-reviews"
    assert fake_google.requests[-1].caller == "reviews-bot@fake-project.iam.gserviceaccount.com"
    token = gw.credentials.token
    assert token and token not in caplog.text
    assert json.loads(google_key_file.read_text())["private_key"][40:80] not in caplog.text
    gw.close()


def test_delegation_acts_as_the_subject(fake_google: FakeGoogle, google_key_file: Path) -> None:
    config = GoogleConfig(credentials=google_key_file, subject="ada@example.com",
                          endpoints=endpoints(fake_google.base_url))
    gw = Gateway(config)
    assert gw.identity.email == "ada@example.com"
    # A delegated user owns My Drive storage: creating a spreadsheet there works (a service account cannot).
    item = drive.create_file(gw, name="mine", mime=drive.SHEET_MIME, parent=None, what="t")
    assert fake_google.store.files[item["id"]].owner == "ada@example.com"
    assert fake_google.requests[-1].caller == "ada@example.com"
    gw.close()


def test_refused_delegation_is_a_configuration_error_with_the_fix(fake_google: FakeGoogle,
                                                                  google_key_file: Path) -> None:
    fake_google.auth.denied_subjects.add("eve@example.com")
    config = GoogleConfig(credentials=google_key_file, subject="eve@example.com",
                          endpoints=endpoints(fake_google.base_url))
    gw = Gateway(config)
    with pytest.raises(ConfigError) as err:
        drive.get_file(gw, fake_google.seed["folder_id"], what="t")
    assert err.value.exit_code == 2
    assert "Google refused a token for eve@example.com" in str(err.value)
    assert "Domain-wide delegation" in str(err.value)
    gw.close()

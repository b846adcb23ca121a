"""Pytest plugin: a started, seeded fake Google, a service-account key for it, and real clients pointed at it.

Register with ``pytest_plugins = ["tests.fakegoogle.fixtures"]``.

How real clients reach the fake (checked in googleapiclient 2.202 discovery.py / http.py):
- ``build(..., client_options={"api_endpoint": E})`` replaces rootUrl+servicePath with E, and method paths
  are joined to it: Drive paths are ``files/{fileId}`` (so E = ``<base>drive/v3/``), Sheets
  ``v4/spreadsheets/...`` and Docs ``v1/documents/...`` (so E = ``<base>``). See google_client_options().
- ``drive.new_batch_http_request()`` ignores api_endpoint: it posts to rootUrl + batchPath =
  ``https://www.googleapis.com/batch/drive/v3``. Build the batch yourself:
  ``googleapiclient.http.BatchHttpRequest(callback=..., batch_uri=drive_batch_uri(base))``.
- gspread calls https://sheets.googleapis.com/v4/... and https://www.googleapis.com/drive/v3/...; a requests
  session with RouteToFake mounted for both hosts sends them to the fake unchanged in path and query.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.fakegoogle.server import ALL_SCOPES, FakeGoogle

GOOGLE_HOSTS = (
    "https://sheets.googleapis.com/",
    "https://www.googleapis.com/",
    "https://docs.googleapis.com/",
)


def google_client_options(base_url: str) -> dict[str, dict[str, str]]:
    """``client_options`` per service ("drive", "sheets", "docs") for googleapiclient against the fake."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return {
        "drive": {"api_endpoint": base + "drive/v3/"},
        "sheets": {"api_endpoint": base},
        "docs": {"api_endpoint": base},
    }


def drive_batch_uri(base_url: str) -> str:
    """The Drive batch endpoint on the fake (pass as ``BatchHttpRequest(batch_uri=...)``)."""
    return (base_url if base_url.endswith("/") else base_url + "/") + "batch/drive/v3"


class RouteToFake(HTTPAdapter):
    """A requests adapter that sends https://*.googleapis.com/... to the fake, same path and query."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base = base_url.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        """Rewrite the URL's scheme and host, then send as usual."""
        split = urllib.parse.urlsplit(request.url or "")
        request.url = self.base + split.path + (f"?{split.query}" if split.query else "")
        return super().send(request, *args, **kwargs)


def routed_session(base_url: str, credentials: Any = None) -> requests.Session:
    """A session (authorized when ``credentials`` is given) whose Google hosts are routed to the fake."""
    if credentials is not None:
        from google.auth.transport.requests import AuthorizedSession

        session: requests.Session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
    else:
        session = requests.Session()
    adapter = RouteToFake(base_url)
    for host in GOOGLE_HOSTS:
        session.mount(host, adapter)
    return session


class GoogleClients(NamedTuple):
    """Real clients wired to the fake."""

    drive: Any
    sheets: Any
    docs: Any
    gc: Any  # gspread.Client
    credentials: Any  # google.oauth2.service_account.Credentials
    base_url: str
    batch_uri: str


def build_clients(base_url: str, key_file: str | os.PathLike[str], subject: str | None = None) -> GoogleClients:
    """googleapiclient services and a gspread client authenticated with ``key_file`` (maybe delegated)."""
    import gspread
    from google.oauth2 import service_account
    from googleapiclient.discovery import build

    creds = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
        os.fspath(key_file), scopes=list(ALL_SCOPES)
    )
    if subject:
        creds = creds.with_subject(subject)
    opts = google_client_options(base_url)
    services = {
        name: build(
            name,
            version,
            credentials=creds,
            client_options=opts[name],
            static_discovery=True,
            cache_discovery=False,
        )
        for name, version in (("drive", "v3"), ("sheets", "v4"), ("docs", "v1"))
    }
    gc = gspread.Client(auth=creds, session=routed_session(base_url, creds))
    return GoogleClients(
        services["drive"],
        services["sheets"],
        services["docs"],
        gc,
        creds,
        base_url,
        drive_batch_uri(base_url),
    )


@pytest.fixture
def fake_google() -> Iterator[FakeGoogle]:
    """A fake Google on a free port, seeded (see FakeGoogle.seed_workspace; ids in ``.seed``), with
    ``service_account_mode`` on as on real Google: service accounts store files only in shared drives."""
    fake = FakeGoogle()
    fake.start(0)
    fake.seed_workspace()
    fake.service_account_mode = True
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def google_key_file(fake_google: FakeGoogle, tmp_path: Path) -> Path:
    """A service-account key file (mode 0600) for reviews-bot@fake-project.iam.gserviceaccount.com."""
    return Path(fake_google.make_service_account_key(tmp_path / "service-account.json"))


@pytest.fixture
def google_clients(fake_google: FakeGoogle, google_key_file: Path) -> GoogleClients:
    """Real googleapiclient (drive, sheets, docs) and gspread clients acting as the service account."""
    return build_clients(fake_google.base_url, google_key_file)

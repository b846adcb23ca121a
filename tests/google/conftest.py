"""Fixtures for the Google adapter tests: real googleapiclient clients through our Gateway, against the fake.

The fake's plugin (fake_google, google_key_file, google_clients) is registered in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.adapters.google.templates import create_templates
from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace
from gworkspace_reviews.config_types import GoogleConfig, WorkspaceConfig
from gworkspace_reviews.domain.models import Format, Kind
from tests.fakegoogle.fixtures import google_client_options
from tests.fakegoogle.server import FakeGoogle


class FakeTime:
    """A clock that only moves when something sleeps: retries and the rate limiter never really wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def endpoints(base_url: str) -> dict[str, str]:
    """google.endpoints for the fake."""
    return {name: opts["api_endpoint"] for name, opts in google_client_options(base_url).items()}


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def gconfig(fake_google: FakeGoogle, google_key_file: Path) -> GoogleConfig:
    return GoogleConfig(credentials=google_key_file, endpoints=endpoints(fake_google.base_url), max_attempts=4,
                        max_retry_seconds=60.0, requests_per_minute=600, workers=4)


@pytest.fixture
def gateway(gconfig: GoogleConfig, fake_time: FakeTime) -> Iterator[Gateway]:
    gw = Gateway(gconfig, sleep=fake_time.sleep, clock=fake_time.clock, rng=lambda: 0.5)
    yield gw
    gw.close()


@pytest.fixture
def templates(gateway: Gateway, fake_google: FakeGoogle) -> dict[tuple[Kind, Format], str]:
    """The default templates, made by `templates create` in the seeded templates folder."""
    made = create_templates(gateway, fake_google.seed["templates_folder_id"])
    return {(t.kind, t.format): t.file_id for t in made}


@pytest.fixture
def rollup_id(gateway: Gateway, fake_google: FakeGoogle) -> str:
    from gworkspace_reviews.adapters.google import drive

    item = drive.create_file(gateway, name="KR1 rollup", mime=drive.SHEET_MIME,
                             parent=fake_google.seed["folder_id"], what="test setup")
    return str(item["id"])


@pytest.fixture
def workspace(gconfig: GoogleConfig, gateway: Gateway, fake_google: FakeGoogle,
              templates: dict[tuple[Kind, Format], str], rollup_id: str, tmp_path: Path) -> GoogleWorkspace:
    ws_config = WorkspaceConfig(backend="google", root=fake_google.seed["folder_id"], rollup=rollup_id)
    return GoogleWorkspace(gconfig, ws_config, templates, gateway=gateway, cache_path=tmp_path / "read-cache.json")

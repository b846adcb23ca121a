"""The one retry policy and the rate limiter, through the real clients against the fake's injected faults."""

from __future__ import annotations

from pathlib import Path

import pytest

from gworkspace_reviews.adapters.google import drive
from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace
from gworkspace_reviews.config_types import GoogleConfig, WorkspaceConfig
from gworkspace_reviews.errors import TransientError
from tests.fakegoogle.server import FakeGoogle
from tests.google.conftest import FakeTime
from tests.google.helpers import CYCLE, members, peer_spec


def copies_in(fake: FakeGoogle, folder: str) -> int:
    return sum(1 for f in fake.store.files.values() if f.parents == [folder] and f.mimeType == drive.SHEET_MIME)


@pytest.mark.parametrize("kind", ["503", "429", "500", "403-userRateLimitExceeded", "503-retry-after"])
def test_retryable_answers_are_retried_until_the_copy_succeeds(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, fake_time: FakeTime, kind: str) -> None:
    ada, bob = members()[:2]
    folder = workspace.ensure_folder(bob)
    fake_google.reset_counters()
    fake_google.faults.fail_next(2, kind, method_id="drive.files.copy")
    (outcome,) = workspace.create_reviews([peer_spec(ada, bob, folder)])
    assert outcome.created and outcome.error is None
    assert copies_in(fake_google, folder) == 1
    assert fake_google.faults.injected[kind] == 2
    assert len(fake_time.sleeps) == 2
    if kind.endswith("retry-after"):
        assert min(fake_time.sleeps) >= 1.0  # the fake's Retry-After: 1


def test_a_dropped_connection_is_retried_without_copying_twice(
        workspace: GoogleWorkspace, fake_google: FakeGoogle) -> None:
    ada, bob = members()[:2]
    folder = workspace.ensure_folder(bob)
    fake_google.reset_counters()
    fake_google.faults.fail_next(1, "drop", method_id="drive.files.copy")
    (outcome,) = workspace.create_reviews([peer_spec(ada, bob, folder)])
    assert outcome.created and outcome.header_written
    assert copies_in(fake_google, folder) == 1
    # Before copying again, the adapter looks for a copy the lost reply may have made: one more files.list.
    assert fake_google.counters["drive.files.list"] == 2


def test_reads_stop_at_the_attempt_cap_with_an_error_naming_the_file(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, fake_time: FakeTime, gconfig: GoogleConfig) -> None:
    ada, bob = members()[:2]
    (made,) = workspace.create_reviews([peer_spec(ada, bob, workspace.ensure_folder(bob))])
    assert made.file is not None
    files = workspace.list_reviews(period=CYCLE)
    fake_google.reset_counters()
    fake_time.sleeps.clear()
    fake_google.faults.fail_next(100, "503", method_id="sheets.spreadsheets.values.batchGet")
    (result,) = workspace.read_reviews(files)
    assert result.content is None and result.error is not None
    assert made.file.file_id in result.error and "4 attempt(s)" in result.error
    assert fake_google.counters["sheets.spreadsheets.values.batchGet"] == gconfig.max_attempts == 4
    assert len(fake_time.sleeps) == 3


def test_the_time_budget_caps_retries_too(gconfig: GoogleConfig, fake_google: FakeGoogle) -> None:
    t = FakeTime()
    config = GoogleConfig(credentials=gconfig.credentials, endpoints=gconfig.endpoints, max_attempts=50,
                          max_retry_seconds=20)
    gw = Gateway(config, sleep=t.sleep, clock=t.clock, rng=lambda: 1.0)
    fake_google.faults.fail_next(100, "429", method_id="drive.files.get")
    with pytest.raises(TransientError, match="gave up"):
        drive.get_file(gw, fake_google.seed["folder_id"], what="reading the root folder")
    # waits 1, 2, 4, 8 = 15 s; the next (16 s) would pass the 20 s budget
    assert t.sleeps == [1, 2, 4, 8] and fake_google.counters["drive.files.get"] == 5
    gw.close()


def test_sheets_writes_are_paced_under_the_per_minute_quota(
        gconfig: GoogleConfig, fake_google: FakeGoogle, templates: dict, tmp_path: Path) -> None:
    t = FakeTime()
    config = GoogleConfig(credentials=gconfig.credentials, endpoints=gconfig.endpoints, requests_per_minute=12,
                          workers=1)
    gw = Gateway(config, sleep=t.sleep, clock=t.clock)
    ws = GoogleWorkspace(config, WorkspaceConfig("google", fake_google.seed["folder_id"]), templates, gateway=gw)
    people = members()
    folder = ws.ensure_folder(people[0])
    specs = [peer_spec(people[0], people[0], folder, cycle=f"2022-01-{d:02d}") for d in range(3, 13)]
    outcomes = ws.create_reviews(specs)
    assert all(o.header_written for o in outcomes)
    bucket = gw.quotas.buckets["sheets.write"]
    # 10 writes: the burst goes at once, the rest wait for tokens at (12 - burst) per minute.
    assert sum(t.sleeps) == pytest.approx((10 - bucket.burst) / bucket.rate)
    assert fake_google.counters["sheets.spreadsheets.values.batchUpdate"] == 10
    gw.close()

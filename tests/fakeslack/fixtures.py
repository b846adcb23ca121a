"""Pytest plugin with the ``fake_slack`` fixture: ``pytest_plugins = ["tests.fakeslack.fixtures"]``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakeslack.server import OTHER_CHANNEL, SEEDED_USERS, TEAM_CHANNEL, TEAM_CHANNEL_ID, FakeSlack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack: the team channel (bot is in it), #general (bot is not) and SEEDED_USERS."""
    fake = FakeSlack()
    fake.add_channel(TEAM_CHANNEL, channel_id=TEAM_CHANNEL_ID, member=True)
    fake.add_channel(OTHER_CHANNEL, member=False)
    for email, uid in SEEDED_USERS.items():
        fake.add_user(email, uid)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()

"""A loopback fake of the Slack Web API for tests through the real slack_sdk WebClient."""

from tests.fakeslack.server import BOT_USER, FAKE_TOKEN, FakeSlack

__all__ = ["BOT_USER", "FAKE_TOKEN", "FakeSlack"]

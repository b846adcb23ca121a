"""Shared fixtures: the loopback fakes of Google and Slack are pytest plugins."""

pytest_plugins = ["tests.fakegoogle.fixtures", "tests.fakeslack.fixtures"]

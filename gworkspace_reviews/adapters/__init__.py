"""Adapters: the only code that touches Google, Slack, the filesystem and the clock."""

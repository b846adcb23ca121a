"""gworkspace-reviews: runs a support team's case-review practice on Google Workspace or a local workspace."""

__version__ = "0.1.0"

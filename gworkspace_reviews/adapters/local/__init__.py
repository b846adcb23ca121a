"""The embedded local workspace: real .xlsx/.docx review files in folders on disk, no Google account."""

from __future__ import annotations

from gworkspace_reviews.adapters.local.ledger import LocalLedger
from gworkspace_reviews.adapters.local.sample import SAMPLE_MANAGERS, SAMPLE_MEMBERS, write_sample
from gworkspace_reviews.adapters.local.templates import write_doc_template, write_sheet_template
from gworkspace_reviews.adapters.local.workspace import LocalWorkspace

__all__ = [
    "SAMPLE_MANAGERS",
    "SAMPLE_MEMBERS",
    "LocalLedger",
    "LocalWorkspace",
    "write_doc_template",
    "write_sample",
    "write_sheet_template",
]

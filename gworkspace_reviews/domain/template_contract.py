"""The template contract (DESIGN.md section 4): what every review template, sheet or doc, local or Drive, holds."""

from __future__ import annotations

from gworkspace_reviews.domain.models import Format, Kind

HEADER_FIELDS: tuple[str, ...] = ("case_id", "reviewer", "case_owner", "cycle")
HEADER_LABELS: dict[str, str] = {
    "case_id": "Case ID",
    "reviewer": "Reviewer",
    "case_owner": "Case owner",
    "cycle": "Cycle",
}
ANSWERS = "answers"
MANAGER_ANSWERS = "manager_answers"
ANSWER_CHOICES: tuple[str, ...] = ("Yes", "No", "N/A")

DOC_TABLE_HEADER: tuple[str, ...] = ("Criterion", "Answer", "Comments")
DOC_SELF_EXTRA: tuple[str, ...] = ("Manager answer", "Manager comments")

CONVERSATION_NOTE = "This review is a conversation, not a performance assessment or a report card."
TECHNICAL_HEADING = "Technical comments (optional; ask the case owner first)"

EXTENSIONS: dict[Format, str] = {"sheet": ".xlsx", "doc": ".docx"}


def placeholder(field: str) -> str:
    """The ``{{field}}`` placeholder text of a document header field."""
    return "{{" + field + "}}"


def doc_table_header(kind: Kind) -> tuple[str, ...]:
    """The rubric table header row a document template of ``kind`` must have."""
    return DOC_TABLE_HEADER + (DOC_SELF_EXTRA if kind == "self" else ())


def template_key(kind: Kind, fmt: Format) -> str:
    """The reviews.toml key naming the template for ``kind`` and ``fmt`` (e.g. ``templates.peer_sheet``)."""
    return f"templates.{kind}_{fmt}"


def format_of(name: str) -> Format | None:
    """The review format of a file name by its extension, or None for other files."""
    lower = name.lower()
    for fmt, ext in EXTENSIONS.items():
        if lower.endswith(ext):
            return fmt
    return None

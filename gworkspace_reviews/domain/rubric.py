"""Rubric answers as people type them, and whether a review is complete.

Each answer cell is stripped (also of zero-width and non-breaking spaces), inner runs of spaces collapsed, and
casefolded, then read as:

- yes: ``yes``, ``y``, ``true``, ``✓``, ``✔``, ``☑``, ``✅``, and the checkbox value ``True``
- no: ``no``, ``n``, ``false``, ``✗``, ``✘``, ``❌``, and the checkbox value ``False``
- not applicable: ``n/a``, ``na``, ``n.a.``, ``n / a``, ``not applicable``
- blank (unanswered): no value, an empty or all-space string, or a NaN number (an empty cell read by pandas)
- anything else is invalid and its raw text kept so the reviewer can be told what to fix. That includes
  numbers (``1``/``0`` are not yes/no: Sheets and Excel checkboxes arrive as booleans, so a number is a
  typo) and ``x``, which some people use for "checked" and others for "no".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from gworkspace_reviews.domain.models import CellValue, RubricRow


class Answer(StrEnum):
    """How one answer cell reads."""

    YES = "yes"
    NO = "no"
    NA = "na"
    BLANK = "blank"
    INVALID = "invalid"


_WORDS: dict[str, Answer] = {
    **dict.fromkeys(("yes", "y", "true", "✓", "✔", "✔️", "☑", "☑️", "✅"), Answer.YES),
    **dict.fromkeys(("no", "n", "false", "✗", "✘", "❌"), Answer.NO),
    **dict.fromkeys(("n/a", "na", "n.a.", "n.a", "not applicable"), Answer.NA),
}
_INVISIBLE = "\u200b\u200c\u200d\ufeff"


def normalize(text: str) -> str:
    """``text`` stripped, with inner whitespace collapsed (``n / a`` -> ``n/a``) and casefolded."""
    cleaned = " ".join(text.translate({ord(c): None for c in _INVISIBLE}).split()).casefold()
    return cleaned.replace(" / ", "/")


def classify(raw: CellValue) -> Answer:
    """What an answer cell means: yes, no, N/A, blank or invalid."""
    if raw is None:
        return Answer.BLANK
    if isinstance(raw, bool):
        return Answer.YES if raw else Answer.NO
    if isinstance(raw, float) and math.isnan(raw):
        return Answer.BLANK
    if isinstance(raw, int | float):
        return Answer.INVALID
    text = normalize(raw)
    if not text:
        return Answer.BLANK
    return _WORDS.get(text, Answer.INVALID)


def raw_text(raw: CellValue) -> str:
    """A cell value as it would be shown back to the person who typed it."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


@dataclass(frozen=True)
class Scored:
    """The answers of a review's rows, and the raw text of each invalid one (in row order)."""

    answers: tuple[Answer, ...]
    invalid_raw: tuple[str, ...]

    def count(self, answer: Answer) -> int:
        """How many rows read as ``answer``."""
        return self.answers.count(answer)

    @property
    def yes(self) -> int:
        """Rows answered yes."""
        return self.count(Answer.YES)

    @property
    def no(self) -> int:
        """Rows answered no."""
        return self.count(Answer.NO)

    @property
    def na(self) -> int:
        """Rows answered not applicable."""
        return self.count(Answer.NA)

    @property
    def state(self) -> str:
        """not_started, in_progress, complete or invalid (see :func:`review_state`)."""
        return state_of(self.answers)


def score_rows(rows: Sequence[RubricRow]) -> Scored:
    """Classify every row's answer, keeping the raw text of the invalid ones."""
    answers = tuple(classify(row.answer) for row in rows)
    invalid = tuple(raw_text(row.answer) for row, a in zip(rows, answers, strict=True) if a is Answer.INVALID)
    return Scored(answers, invalid)


def state_of(answers: Sequence[Answer]) -> str:
    """The review state of a sequence of answers."""
    if Answer.INVALID in answers:
        return "invalid"
    if all(a is Answer.BLANK for a in answers):
        return "not_started"
    if Answer.BLANK in answers:
        return "in_progress"
    return "complete"


def review_state(rows: Sequence[RubricRow]) -> str:
    """invalid (any invalid), not_started (all blank or no rows), in_progress (some blank), else complete."""
    return state_of(score_rows(rows).answers)


def yes_rate(yes: int, no: int) -> float | None:
    """KR1 yes-rate ``yes / (yes + no)``; None when nothing was answered yes or no."""
    total = yes + no
    return None if total == 0 else yes / total

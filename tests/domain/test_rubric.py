"""Answers as people type them, review states and the KR1 yes-rate."""

from __future__ import annotations

import pytest

from gworkspace_reviews.domain.models import CellValue, RubricRow
from gworkspace_reviews.domain.rubric import Answer, classify, review_state, score_rows, yes_rate

TABLE: list[tuple[CellValue, Answer]] = [
    # yes
    ("Yes", Answer.YES),
    ("yes ", Answer.YES),
    (" YES", Answer.YES),
    ("Y", Answer.YES),
    ("y", Answer.YES),
    ("TRUE", Answer.YES),
    ("true", Answer.YES),
    (True, Answer.YES),
    ("✓", Answer.YES),
    ("✔", Answer.YES),
    ("✅", Answer.YES),
    ("\u00a0yes\u200b", Answer.YES),  # pasted with a non-breaking and a zero-width space
    # no
    ("No", Answer.NO),
    ("no", Answer.NO),
    ("n", Answer.NO),
    ("N", Answer.NO),
    ("FALSE", Answer.NO),
    (False, Answer.NO),
    ("✗", Answer.NO),
    ("❌", Answer.NO),
    # not applicable
    ("N/A", Answer.NA),
    ("n/a", Answer.NA),
    ("NA", Answer.NA),
    ("na", Answer.NA),
    ("N / A", Answer.NA),
    ("n.a.", Answer.NA),
    ("Not applicable", Answer.NA),
    ("not  applicable ", Answer.NA),
    # unanswered
    (None, Answer.BLANK),
    ("", Answer.BLANK),
    ("   ", Answer.BLANK),
    ("\t\n", Answer.BLANK),
    (float("nan"), Answer.BLANK),
    # anything else
    ("yes!", Answer.INVALID),
    ("Yes, mostly", Answer.INVALID),
    ("maybe", Answer.INVALID),
    ("x", Answer.INVALID),
    ("ye", Answer.INVALID),
    ("nope", Answer.INVALID),
    ("-", Answer.INVALID),
    (1, Answer.INVALID),
    (0, Answer.INVALID),
    (1.0, Answer.INVALID),
    ("=TRUE", Answer.INVALID),
]


@pytest.mark.parametrize(("raw", "expected"), TABLE, ids=[repr(r) for r, _ in TABLE])
def test_answer_table(raw: CellValue, expected: Answer) -> None:
    assert classify(raw) is expected


def test_answer_values() -> None:
    assert [a.value for a in Answer] == ["yes", "no", "na", "blank", "invalid"]
    assert str(Answer.NA) == "na"


def rows(*answers: CellValue) -> list[RubricRow]:
    return [RubricRow(f"criterion {i}", a, "") for i, a in enumerate(answers)]


def test_scoring_keeps_the_raw_text_of_invalid_answers() -> None:
    scored = score_rows(rows("Yes", "maybe", "no", 3.0, "N/A", None, " Yes, mostly "))
    assert scored.answers == (
        Answer.YES,
        Answer.INVALID,
        Answer.NO,
        Answer.INVALID,
        Answer.NA,
        Answer.BLANK,
        Answer.INVALID,
    )
    assert scored.invalid_raw == ("maybe", "3", " Yes, mostly ")
    assert (scored.yes, scored.no, scored.na) == (1, 1, 1)
    assert scored.count(Answer.BLANK) == 1
    assert scored.state == "invalid"


def test_review_states() -> None:
    assert review_state(rows(None, "", "  ")) == "not_started"
    assert review_state(rows()) == "not_started"
    assert review_state(rows("yes", None)) == "in_progress"
    assert review_state(rows("yes", "no", "n/a", True)) == "complete"
    assert review_state(rows("yes", "no", "perhaps")) == "invalid"
    assert review_state(rows(None, "perhaps")) == "invalid"  # invalid wins over blank


def test_yes_rate() -> None:
    assert yes_rate(19, 1) == 0.95
    assert yes_rate(0, 3) == 0.0
    assert yes_rate(4, 0) == 1.0
    assert yes_rate(0, 0) is None

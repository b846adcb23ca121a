"""A1 notation as the fake parses and prints it (pure text; resolution is covered in test_sheets.py)."""

from __future__ import annotations

import pytest

from tests.fakegoogle import a1


@pytest.mark.parametrize(
    ("ref", "bounds"),
    [
        ("A1", (0, 1, 0, 1)),
        ("b2:c3", (1, 3, 1, 3)),
        ("D4:A1", (0, 4, 0, 4)),
        ("A:A", (None, None, 0, 1)),
        ("2:3", (1, 3, None, None)),
        ("A2:C", (1, None, 0, 3)),
        ("A2:2", (1, 2, 0, None)),
        ("AA10", (9, 10, 26, 27)),
    ],
)
def test_parse_ref(ref: str, bounds: tuple[int | None, ...]) -> None:
    got = a1.parse_ref(ref)
    assert (got.start_row, got.end_row, got.start_col, got.end_col) == bounds


@pytest.mark.parametrize("ref", ["A0", "A", "1", "AAAA1", "A1:B2:C3", "Sheet1", "", "A:2"])
def test_parse_ref_rejects(ref: str) -> None:
    with pytest.raises(a1.A1Error):
        a1.parse_ref(ref)


def test_split_sheet_quoting() -> None:
    assert a1.split_sheet("'It''s'!A1") == ("It's", "A1")
    assert a1.split_sheet("My Sheet!A:A") == ("My Sheet", "A:A")
    assert a1.split_sheet("'My Sheet'") == ("My Sheet", None)
    assert a1.split_sheet("Named") == (None, "Named")
    for bad in ("'open!A1", "'x'A1", "!A1", "Sheet1!"):
        with pytest.raises(a1.A1Error):
            a1.split_sheet(bad)


def test_printing_matches_google() -> None:
    assert a1.format_range("Sheet1", 0, 1000, 0, 26) == "Sheet1!A1:Z1000"
    assert a1.format_range("Sheet1", 3, 4, 3, 4) == "Sheet1!D4"
    assert a1.format_range("It's Q4", 0, 2, 0, 2) == "'It''s Q4'!A1:B2"
    assert a1.format_range("A1", 0, 1, 0, 1) == "'A1'!A1"
    assert a1.col_letters(701) == "ZZ" and a1.col_index("ZZ") == 701

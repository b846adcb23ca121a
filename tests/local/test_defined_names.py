"""Defined names as Excel and LibreOffice save them: quoting, scope, case, deleted cells."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from gworkspace_reviews.adapters.local.defined_names import Area, NameProblem, find_name


def _workbook(title: str = "Review") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.title = title
    return wb


def test_quoted_and_plain_sheet_names_and_any_case() -> None:
    wb = _workbook("Peer review's")
    wb.defined_names.add(DefinedName("Case_ID", attr_text="'Peer review''s'!$B$4"))
    wb.defined_names.add(DefinedName("answers", attr_text="='Peer review''s'!A11:$C$18"))
    assert find_name(wb, "case_id") == Area("Peer review's", 2, 4, 2, 4)
    assert find_name(wb, "ANSWERS") == Area("Peer review's", 1, 11, 3, 18)


def test_sheet_scoped_names_are_found() -> None:
    wb = _workbook()
    wb.active.defined_names.add(DefinedName("cycle", attr_text="Review!$B$7"))
    assert find_name(wb, "cycle") == Area("Review", 2, 7, 2, 7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Review!#REF!", "deleted cells"),
        ("Review!$B$4,Review!$B$5", "several areas"),
        ("Review!$B:$B", "whole rows or columns"),
        ("Other!$B$4", "sheet 'Other'"),
    ],
)
def test_unusable_names_say_why(text: str, message: str) -> None:
    wb = _workbook()
    wb.defined_names.add(DefinedName("case_id", attr_text=text))
    with pytest.raises(NameProblem, match=message):
        find_name(wb, "case_id")


def test_a_missing_name() -> None:
    with pytest.raises(NameProblem, match="is not defined"):
        find_name(_workbook(), "reviewer")

"""Case export parsing, peer-review eligibility and the seeded case picks."""

from __future__ import annotations

from datetime import date

import pytest

from gworkspace_reviews.domain.cases import (
    CaseColumns,
    eligible_for_peer,
    open_cases,
    parse_cases,
    parse_when,
    peer_candidates,
    pick_monthly_case,
    suggest_peer_case,
)
from gworkspace_reviews.domain.models import Case

MEMBERS = {"ada@example.com", "alan@example.com"}
COLUMNS = CaseColumns()
CYCLE = date(2021, 12, 13)

GOOD = """\
id,owner_email,status,solved_at,updated_at
101,ada@example.com,open,,2021-12-10T09:00:00Z
102,ADA@Example.com,Solved,2021-12-08 17:30:00,2021-12-08 17:30:00
103,alan@example.com,closed,2021-12-01,2021-12-05
"""


def test_parse_good_rows() -> None:
    load = parse_cases(GOOD, COLUMNS, MEMBERS)
    assert load.problems == ()
    assert load.cases == (
        Case("101", "ada@example.com", "open", None, date(2021, 12, 10), 2),
        Case("102", "ada@example.com", "solved", date(2021, 12, 8), date(2021, 12, 8), 3),
        Case("103", "alan@example.com", "closed", date(2021, 12, 1), date(2021, 12, 5), 4),
    )


def test_bad_rows_are_reported_with_their_line_and_the_rest_kept() -> None:
    text = (
        "id,owner_email,status,solved_at,updated_at\n"  # line 1
        "201,ada@example.com,open,,\n"  # 2: fine
        ",ada@example.com,open,,\n"  # 3
        "203,x@y,open,,\n"  # 4
        "204,alan@example.com,open,yesterday,\n"  # 5
        "205,alan@example.com,wip,,\n"  # 6
        '"206","ada@example.com","pending","","2021-12-40"\n'  # 7
        "\n"  # 8: blank, skipped quietly
        '207,alan@example.com,hold,,"2021-12-01"\n'  # 9: fine
        "201,alan@example.com,open,,\n"  # 10: duplicate id
        "208,,,,\n"  # 11
        "209,ada@example.com\n"  # 12: short row
    )
    load = parse_cases(text, COLUMNS, MEMBERS)
    assert [c.case_id for c in load.cases] == ["201", "207"]
    assert [c.line for c in load.cases] == [2, 9]
    assert load.problems == (
        "line 3: missing case id (column 'id')",
        "line 4: unknown owner 'x@y' (not in members)",
        "line 5: solved_at: 'yesterday' is not a date (expected YYYY-MM-DD or an ISO timestamp)",
        "line 6: unknown status 'wip' (expected one of new, open, pending, hold, solved, closed)",
        "line 7: updated_at: '2021-12-40' is not a date (expected YYYY-MM-DD or an ISO timestamp)",
        "line 10: case id '201' already on line 2; kept that one",
        "line 11: missing owner (column 'owner_email'); missing status (column 'status')",
        "line 12: missing status (column 'status')",
    )


def test_line_numbers_count_quoted_newlines() -> None:
    text = (
        "id,owner_email,status,solved_at,updated_at,subject\n"
        '1,ada@example.com,open,,,"two\nlines"\n'
        "2,nobody@x,open,,,s\n"
    )
    load = parse_cases(text, COLUMNS, MEMBERS)
    assert load.problems == ("line 4: unknown owner 'nobody@x' (not in members)",)


def test_a_missing_column_names_it_and_the_columns_found() -> None:
    text = "Ticket ID,Assignee email,Status\n1,ada@example.com,open\n"
    with pytest.raises(ValueError) as err:
        parse_cases(text, COLUMNS, MEMBERS)
    assert str(err.value) == (
        "case export has no column 'id' (for the case id); columns found: 'Ticket ID', 'Assignee email', "
        "'Status'. Map the column names in the config if they differ."
    )
    with pytest.raises(ValueError, match="columns found: none"):
        parse_cases("", COLUMNS, MEMBERS)


def test_mapped_columns_bom_and_no_time_columns() -> None:
    text = "\ufeffTicket ID,Assignee email,Status\n1,ada@example.com,Pending\n"
    columns = CaseColumns(id="ticket id", owner="Assignee Email", status="Status", solved_at=None, updated_at=None)
    load = parse_cases(text, columns, MEMBERS)
    assert load.problems == ()
    assert load.cases == (Case("1", "ada@example.com", "pending", None, None, 2),)


def test_dates_in_the_forms_exports_use() -> None:
    assert parse_when("2021-12-09") == date(2021, 12, 9)
    assert parse_when("2021-12-09T23:30:00Z") == date(2021, 12, 9)
    assert parse_when("2021-12-09T23:30:00+05:30") == date(2021, 12, 9)
    assert parse_when("2021-12-09 23:30:00") == date(2021, 12, 9)
    assert parse_when("2021-12-09T23:30:00.123456") == date(2021, 12, 9)
    assert parse_when("  ") is None
    # in the team's timezone: 07:30Z on the 13th is still Sunday the 12th in Los Angeles
    assert parse_when("2021-12-13T07:30:00Z", "America/Los_Angeles") == date(2021, 12, 12)
    assert parse_when("2021-12-13 07:30:00", "America/Los_Angeles") == date(2021, 12, 13)  # naive: as written
    for bad in ("12/09/2021", "2021-13-01", "soon"):
        with pytest.raises(ValueError, match="is not a date"):
            parse_when(bad)


def test_parse_in_team_timezone() -> None:
    text = "id,owner_email,status,solved_at,updated_at\n1,ada@example.com,closed,2021-12-06T07:30:00Z,\n"
    load = parse_cases(text, COLUMNS, MEMBERS, tz="America/Los_Angeles")
    assert load.cases[0].solved_at == date(2021, 12, 5)


def case(status: str, solved: date | None = None, updated: date | None = None, cid: str = "1") -> Case:
    return Case(cid, "ada@example.com", status, solved, updated)


@pytest.mark.parametrize("status", ["new", "open", "pending", "hold"])
def test_active_cases_are_eligible(status: str) -> None:
    assert eligible_for_peer(case(status), CYCLE)


def test_solved_status_is_eligible() -> None:
    # the practice: "... or is in 'solved' status"
    assert eligible_for_peer(case("solved", date(2021, 11, 1)), CYCLE)
    assert eligible_for_peer(case("solved"), CYCLE)


def test_closed_cases_within_seven_days_of_the_cycle() -> None:
    assert not eligible_for_peer(case("closed", date(2021, 12, 5)), CYCLE)  # 8 days before
    assert eligible_for_peer(case("closed", date(2021, 12, 6)), CYCLE)  # 7 days before
    assert eligible_for_peer(case("closed", date(2021, 12, 13)), CYCLE)  # the Monday
    assert eligible_for_peer(case("closed", date(2021, 12, 19)), CYCLE)  # during the cycle week
    assert not eligible_for_peer(case("closed", date(2021, 12, 20)), CYCLE)  # the week after
    assert eligible_for_peer(case("closed", None, date(2021, 12, 10)), CYCLE)  # no solved time: updated
    assert not eligible_for_peer(case("closed"), CYCLE)  # no time at all


CASES = [
    case("open", cid="9"),
    case("closed", date(2021, 11, 1), cid="10"),
    case("pending", cid="11"),
    case("closed", date(2021, 12, 10), cid="100"),
    Case("12", "alan@example.com", "open"),
]


def test_candidates_are_the_owners_eligible_cases_in_id_order() -> None:
    assert [c.case_id for c in peer_candidates(CASES, "ada@example.com", CYCLE)] == ["9", "11", "100"]
    assert [c.case_id for c in peer_candidates(CASES, "ada@example.com", CYCLE, {"11"})] == ["9", "100"]
    assert [c.case_id for c in open_cases(CASES, "ADA@example.com")] == ["9", "11"]


def test_suggest_peer_case_is_seeded_and_order_free() -> None:
    picks = {suggest_peer_case(CASES, "ada@example.com", CYCLE, f"Customer Support/{k}") for k in range(40)}
    assert {c.case_id for c in picks if c} == {"9", "11", "100"}
    first = suggest_peer_case(CASES, "ada@example.com", CYCLE, "s")
    assert first == suggest_peer_case(list(reversed(CASES)), "ada@example.com", CYCLE, "s")
    assert suggest_peer_case(CASES, "ada@example.com", CYCLE, "s", {"9", "11", "100"}) is None
    assert suggest_peer_case(CASES, "nobody@example.com", CYCLE, "s") is None


def test_monthly_pick_is_an_open_case_not_already_reviewed() -> None:
    picks = {pick_monthly_case(CASES, "ada@example.com", "2021-12", f"seed {k}") for k in range(40)}
    assert {c.case_id for c in picks if c} == {"9", "11"}
    assert pick_monthly_case(CASES, "ada@example.com", "2021-12", "s", {"9"}) == CASES[2]
    assert pick_monthly_case(CASES, "ada@example.com", "2021-12", "s", {"9", "11"}) is None
    same = pick_monthly_case(CASES, "ada@example.com", "2021-12", "s")
    assert same == pick_monthly_case(list(reversed(CASES)), "ada@example.com", "2021-12", "s")
    with pytest.raises(ValueError, match="'2021-12-01' is not a month"):
        pick_monthly_case(CASES, "ada@example.com", "2021-12-01", "s")

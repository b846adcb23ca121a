"""The pure KR1 arithmetic (domain.kr) on known answers."""

from __future__ import annotations

from datetime import date

import pytest

from gworkspace_reviews.domain import kr
from gworkspace_reviews.domain.cycles import Cadence
from gworkspace_reviews.domain.models import ReadResult

from .build import ADA, BOB, CY, DEE, GRACE, MIA, peer_key, result, self_key

FIRST_TEST = date(2021, 12, 9)
KICKOFF = date(2021, 12, 13)
CADENCE = Cadence(kickoff=KICKOFF, every_weeks=2, weekly_from=date(2022, 1, 24))
MANAGERS = {ADA: GRACE, BOB: GRACE, CY: MIA, DEE: MIA}
TZ = "America/Los_Angeles"


def known() -> list[ReadResult]:
    """December 2021 and early January 2022, with every kind of answer."""
    return [
        result(peer_key("2021-12-13", BOB, ADA), ["Yes", "yes ", "No", "N/A"]),
        result(peer_key("2021-12-13", CY, BOB), ["Yes", "Yes", "Yes", "maybe"],
               comments=["", "", "", "unsure"]),
        result(peer_key("2021-12-13", ADA, CY), [None, None, None, None]),
        result(peer_key("2021-12-27", DEE, ADA), ["Yes", "Yes", "Yes", "Yes"]),
        # Validated (every manager answer given) on 2022-01-05 in Los Angeles: counts in the 2022-01-06 test.
        result(self_key("2021-12", ADA), ["Yes"] * 4, manager=["Yes", "No", "Yes", "Yes"],
               modified="2022-01-05T20:00:00+00:00"),
        # Done by the engineer, not yet by the manager: pending, out of KR1.
        result(self_key("2021-12", ADA, "own-pick"), ["Yes"] * 4, manager=["Yes", None, None, None],
               modified="2022-01-05T20:00:00+00:00"),
        result(self_key("2021-12", BOB), ["Yes", None, None, None]),
    ]


def frames(results: list[ReadResult]) -> kr.Frames:
    return kr.collect(results, TZ, MANAGERS)


def test_known_answers_give_known_kr1_rows() -> None:
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 1, 13))
    rows = kr.records(kr.kr1_tests(frames(known()), FIRST_TEST, win, 0.95))
    by_date = {r["date"]: r for r in rows}
    assert [r["date"] for r in rows] == ["2021-12-09", "2021-12-16", "2021-12-23", "2021-12-30", "2022-01-06",
                                         "2022-01-13"]
    # The first test comes before the kickoff: nothing to count.
    assert by_date["2021-12-09"] == {"date": "2021-12-09", "reviews": 0, "yes": 0, "no": 0, "na": 0,
                                     "yes_rate": None, "target": 0.95, "met": None}
    # Kickoff cycle: bob->ada (2 yes, 1 no, 1 N/A) + cy->bob (3 yes, one invalid cell not counted);
    # ada->cy is blank and adds nothing. N/A is never in the rate: 5 / (5 + 1).
    assert by_date["2021-12-16"] == {"date": "2021-12-16", "reviews": 2, "yes": 5, "no": 1, "na": 1,
                                     "yes_rate": pytest.approx(5 / 6), "target": 0.95, "met": False}
    # Off week of the bi-weekly cadence: no reviews, no rate, no verdict.
    assert by_date["2021-12-23"]["reviews"] == 0
    assert by_date["2021-12-23"]["yes_rate"] is None and by_date["2021-12-23"]["met"] is None
    assert by_date["2021-12-30"] | {} == {"date": "2021-12-30", "reviews": 1, "yes": 4, "no": 0, "na": 0,
                                          "yes_rate": 1.0, "target": 0.95, "met": True}
    # The validated self review counts with the MANAGER's answers (3 yes, 1 no), the pending one not at all.
    assert by_date["2022-01-06"] == {"date": "2022-01-06", "reviews": 1, "yes": 3, "no": 1, "na": 0,
                                     "yes_rate": 0.75, "target": 0.95, "met": False}
    assert by_date["2022-01-13"]["reviews"] == 0


def test_every_cycle_counts_in_exactly_one_test() -> None:
    cycles = ["2021-12-13", "2021-12-27", "2022-01-10", "2022-01-24", "2022-01-31", "2022-02-07"]
    results = [result(peer_key(c, BOB, ADA), ["Yes", "No", "Yes", "Yes"], file_id=c) for c in cycles]
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 2, 28))
    rows = kr.records(kr.kr1_tests(frames(results), FIRST_TEST, win, 0.95))
    assert sum(int(r["reviews"] or 0) for r in rows) == len(cycles)
    counted = [r["date"] for r in rows if r["reviews"]]
    # T - 7 < cycle Monday <= T: each Monday falls in the Thursday test of its own week.
    assert counted == ["2021-12-16", "2021-12-30", "2022-01-13", "2022-01-27", "2022-02-03", "2022-02-10"]
    assert all(r["yes_rate"] == 0.75 for r in rows if r["reviews"])


def test_yes_rate_is_none_when_only_na() -> None:
    results = [result(peer_key("2021-12-13", BOB, ADA), ["N/A", "N/A", "N/A", "N/A"])]
    win = kr.window(FIRST_TEST, KICKOFF, date(2021, 12, 16))
    (_, row) = kr.records(kr.kr1_tests(frames(results), FIRST_TEST, win, 0.95))
    assert (row["reviews"], row["na"], row["yes_rate"], row["met"]) == (1, 4, None, None)


def test_met_at_exactly_the_target() -> None:
    answers = ["Yes"] * 19 + ["No"]
    results = [result(peer_key("2021-12-13", BOB, ADA), answers[i * 4:(i + 1) * 4], file_id=str(i))
               for i in range(5)]
    win = kr.window(FIRST_TEST, KICKOFF, date(2021, 12, 16))
    row = kr.records(kr.kr1_tests(frames(results), FIRST_TEST, win, 0.95))[-1]
    assert row["yes_rate"] == 0.95 and row["met"] is True


def test_attention_lists_what_people_must_fix() -> None:
    results = [*known(),
               result(peer_key("2021-12-27", ADA, BOB), ["Yes", "=1+1", "Yes", "Yes"], case_id="",
                      comments=["", "@see docs", "", ""]),
               ReadResult(file=result(peer_key("2021-12-27", CY, DEE), []).file, error="gone: not readable")]
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 1, 13))
    items = kr.attention(frames(results), win)
    found = {(i["issue"], i["owner"], i["period"], i["detail"]) for i in items}
    assert ("invalid answer", BOB, "2021-12-13", "maybe") in found
    assert ("incomplete", CY, "2021-12-13", "0 of 4 answered") in found
    assert ("incomplete", BOB, "2021-12", "1 of 4 answered") in found
    assert ("awaiting manager", ADA, "2021-12", f"manager: {GRACE}") in found
    assert ("missing case ID", BOB, "2021-12-27", "fill the case_id cell or run set-case") in found
    assert ("read error", DEE, "2021-12-27", "gone: not readable") in found
    formula = next(i for i in items if i["detail"] == "=1+1")
    assert (formula["criterion"], formula["comment"]) == ("Context so the why is clear", "@see docs")
    assert all(i["location"] for i in items)
    # Complete and validated reviews need nothing.
    assert not [i for i in items if i["owner"] == ADA and i["issue"] != "awaiting manager"]
    assert list(items[0]) == list(kr.ATTENTION_COLUMNS)


def test_invalid_manager_answer_is_reported_and_keeps_the_review_pending() -> None:
    results = [result(self_key("2021-12", ADA), ["Yes"] * 4, manager=["Yes", "Yes", "ja", "Yes"])]
    f = frames(results)
    issues = {(i["issue"], i["detail"]) for i in f.attention}
    assert ("invalid manager answer", "ja") in issues
    assert ("awaiting manager", f"manager: {GRACE}") in issues
    assert f.answers.empty


def test_by_criterion_per_month_in_rubric_order() -> None:
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 1, 31))
    rows = kr.records(kr.by_criterion(frames(known()), win))
    dec = [r for r in rows if r["month"] == "2021-12"]
    assert [r["criterion"] for r in dec] == ["Focus on impact", "Context so the why is clear", "Compassion",
                                            "Persist toward a resolution"]
    # Dec: bob->ada, cy->bob, dee->ada, plus ada's validated self review (manager answers).
    impact, context, compassion, persist = dec
    assert (impact["yes"], impact["no"], impact["na"], impact["yes_rate"]) == (4, 0, 0, 1.0)
    assert (context["yes"], context["no"], context["yes_rate"]) == (3, 1, 0.75)
    assert (compassion["yes"], compassion["no"]) == (3, 1)
    assert (persist["yes"], persist["no"], persist["na"], persist["yes_rate"]) == (2, 0, 1, 1.0)
    assert not [r for r in rows if r["month"] == "2022-01"]
    assert list(rows[0]) == list(kr.CRITERION_COLUMNS)


def test_month_filter_keeps_only_that_month() -> None:
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 3, 31), month="2022-01")
    assert [d.isoformat() for d in win.test_dates] == ["2022-01-06", "2022-01-13", "2022-01-20", "2022-01-27"]
    assert win.months == ("2022-01",)
    f = frames(known())
    assert kr.records(kr.by_criterion(f, win)) == []
    assert {r["month"] for r in kr.records(kr.coverage(f, win, [ADA, BOB, CY, DEE], CADENCE))} == {"2022-01"}
    assert kr.attention(f, win) == []


def test_coverage_targets_follow_the_cadence_switch() -> None:
    targets = kr.peer_targets(["2021-12", "2022-01", "2022-02", "2022-05"], CADENCE)
    # Bi-weekly: 12-13 and 12-27. January: 01-10 bi-weekly, then weekly from 01-24 (01-24, 01-31).
    assert targets == {"2021-12": 2, "2022-01": 3, "2022-02": 4, "2022-05": 5}
    before = kr.peer_targets(["2021-11"], CADENCE)
    assert before == {"2021-11": 0}


def test_coverage_counts_per_member_and_month() -> None:
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 2, 10))
    rows = kr.records(kr.coverage(frames(known()), win, [ADA, BOB, CY, DEE], CADENCE))
    got = {(r["month"], r["member"]): r for r in rows}
    assert set(got) == {(m, p) for m in ("2021-12", "2022-01", "2022-02") for p in (ADA, BOB, CY, DEE)}
    ada = got[("2021-12", ADA)]
    assert ada == {"month": "2021-12", "member": ADA, "peer_received": 2, "peer_given": 0, "peer_target": 2,
                   "self_done": 2, "self_validated": 1, "self_target": 2}
    bob = got[("2021-12", BOB)]
    # cy->bob still has an invalid cell: not complete, so not received yet.
    assert (bob["peer_received"], bob["peer_given"], bob["self_done"], bob["self_validated"]) == (0, 1, 0, 0)
    cy, dee = got[("2021-12", CY)], got[("2021-12", DEE)]
    # ada->cy is blank: not received; cy->bob has the invalid cell: not given yet either.
    assert (cy["peer_received"], cy["peer_given"]) == (0, 0)
    assert (dee["peer_received"], dee["peer_given"]) == (0, 1)
    assert [got[(m, ADA)]["peer_target"] for m in ("2021-12", "2022-01", "2022-02")] == [2, 3, 4]
    assert all("yes" not in k for k in rows[0])


def test_per_person_only_for_the_members_asked() -> None:
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 1, 31))
    rows = kr.records(kr.per_person(frames(known()), win, [ADA]))
    assert [(r["month"], r["member"]) for r in rows] == [("2021-12", ADA)]
    # bob->ada (2 yes 1 no 1 na) + dee->ada (4 yes) + validated self (3 yes 1 no).
    assert (rows[0]["reviews"], rows[0]["yes"], rows[0]["no"], rows[0]["na"]) == (3, 9, 2, 1)
    assert rows[0]["yes_rate"] == pytest.approx(9 / 11)


def test_self_review_validated_before_the_first_test_window_is_in_no_test() -> None:
    results = [result(self_key("2021-11", ADA), ["Yes"] * 4, manager=["Yes"] * 4,
                      modified="2021-11-20T12:00:00")]
    win = kr.window(FIRST_TEST, KICKOFF, date(2021, 12, 16))
    rows = kr.records(kr.kr1_tests(frames(results), FIRST_TEST, win, 0.95))
    assert [r["reviews"] for r in rows] == [0, 0]


def test_plain_values_only() -> None:
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 1, 31))
    f = frames(known())
    tables = [kr.kr1_tests(f, FIRST_TEST, win, 0.95), kr.by_criterion(f, win),
              kr.coverage(f, win, [ADA], CADENCE), kr.per_person(f, win, [ADA])]
    for table in tables:
        for row in kr.records(table):
            for value in row.values():
                assert value is None or type(value) in (str, int, float, bool), (row, value)


def test_validation_day_is_the_team_timezone_day() -> None:
    # 03:30 UTC on Friday 2022-01-07 is still Thursday 2022-01-06 in Los Angeles: the 2022-01-06 test.
    results = [result(self_key("2021-12", ADA), ["Yes"] * 4, manager=["Yes"] * 4,
                      modified="2022-01-07T03:30:00.000Z")]
    win = kr.window(FIRST_TEST, KICKOFF, date(2022, 1, 13))
    rows = {r["date"]: r["reviews"] for r in kr.records(kr.kr1_tests(frames(results), FIRST_TEST, win, 0.95))}
    assert (rows["2022-01-06"], rows["2022-01-13"]) == (1, 0)

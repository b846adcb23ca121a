"""Cycle arithmetic: cadence, DST, year ends, the bi-weekly -> weekly switch, months and KR test dates."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gworkspace_reviews.domain.cycles import (
    Cadence,
    cycle_for,
    cycles_between,
    is_cycle_week,
    kr_test_dates,
    last_working_day,
    latest_cycle_on_or_before,
    local_date,
    monday_of,
    month_of,
    month_window,
    next_cycle_on_or_after,
    parse_month,
    previous_cycles,
)

# The practice: bi-weekly from 2021-12-13, weekly from 2022-01-24 (after the 2022-01-19 retro).
PRACTICE = Cadence(kickoff=date(2021, 12, 13), every_weeks=2, weekly_from=date(2022, 1, 24))
BIWEEKLY = Cadence(kickoff=date(2021, 12, 13))


def test_monday_of_every_weekday() -> None:
    for offset in range(7):
        assert monday_of(date(2021, 12, 13) + timedelta(days=offset)) == date(2021, 12, 13)
    assert monday_of(date(2022, 1, 2)) == date(2021, 12, 27)  # Sunday after a year end


def test_before_kickoff_nothing_is_a_cycle() -> None:
    assert not is_cycle_week(date(2021, 12, 6), PRACTICE)
    assert cycle_for(date(2021, 12, 12), PRACTICE) is None
    assert latest_cycle_on_or_before(date(2021, 12, 12), PRACTICE) is None
    assert previous_cycles(date(2021, 12, 13), PRACTICE, 4) == []


def test_biweekly_then_weekly() -> None:
    expected = [
        date(2021, 12, 13),
        date(2021, 12, 27),
        date(2022, 1, 10),
        date(2022, 1, 24),  # weekly from here
        date(2022, 1, 31),
        date(2022, 2, 7),
    ]
    assert cycles_between(date(2021, 12, 1), date(2022, 2, 13), PRACTICE) == expected
    assert not is_cycle_week(date(2021, 12, 20), PRACTICE)
    assert not is_cycle_week(date(2022, 1, 17), PRACTICE)
    assert is_cycle_week(date(2022, 1, 24), PRACTICE)


def test_weekly_switch_off_the_biweekly_rhythm() -> None:
    # weekly_from on an off-week of the bi-weekly rhythm: 2022-01-17 would have been an off-week
    cadence = Cadence(kickoff=date(2021, 12, 13), weekly_from=date(2022, 1, 17))
    assert cycles_between(date(2022, 1, 3), date(2022, 1, 30), cadence) == [
        date(2022, 1, 10),
        date(2022, 1, 17),
        date(2022, 1, 24),
    ]


def test_cycle_for_is_the_monday_of_a_cycle_week() -> None:
    assert cycle_for(date(2021, 12, 19), PRACTICE) == date(2021, 12, 13)  # Sunday of the first cycle week
    assert cycle_for(date(2021, 12, 22), PRACTICE) is None  # off-week
    assert latest_cycle_on_or_before(date(2021, 12, 22), PRACTICE) == date(2021, 12, 13)
    assert cycle_for(date(2022, 1, 20), PRACTICE) is None
    assert cycle_for(date(2022, 1, 27), PRACTICE) == date(2022, 1, 24)


def test_year_end() -> None:
    # 2021-12-27 is a cycle Monday; its week runs into 2022
    assert cycle_for(date(2022, 1, 1), BIWEEKLY) == date(2021, 12, 27)
    assert cycle_for(date(2022, 1, 2), BIWEEKLY) == date(2021, 12, 27)
    assert cycle_for(date(2022, 1, 3), BIWEEKLY) is None
    assert previous_cycles(date(2022, 1, 10), BIWEEKLY, 4) == [date(2021, 12, 27), date(2021, 12, 13)]
    # a year on (52 weeks, an even count), across another year end, the rhythm holds
    assert cycles_between(date(2022, 12, 19), date(2023, 1, 15), BIWEEKLY) == [
        date(2022, 12, 26),
        date(2023, 1, 9),
    ]


def test_previous_cycles_newest_first_across_the_switch() -> None:
    assert previous_cycles(date(2022, 2, 7), PRACTICE, 4) == [
        date(2022, 1, 31),
        date(2022, 1, 24),
        date(2022, 1, 10),
        date(2021, 12, 27),
    ]
    # asked mid-week, that week's own cycle (2021-12-27) is not one of the previous ones
    assert previous_cycles(date(2021, 12, 29), PRACTICE, 1) == [date(2021, 12, 13)]


def test_next_cycle_on_or_after() -> None:
    assert next_cycle_on_or_after(date(2021, 11, 1), PRACTICE) == date(2021, 12, 13)
    assert next_cycle_on_or_after(date(2021, 12, 14), PRACTICE) == date(2021, 12, 27)
    assert next_cycle_on_or_after(date(2021, 12, 27), PRACTICE) == date(2021, 12, 27)
    assert next_cycle_on_or_after(date(2022, 1, 11), PRACTICE) == date(2022, 1, 24)


def test_every_week_and_every_three_weeks() -> None:
    weekly = Cadence(kickoff=date(2021, 12, 13), every_weeks=1)
    assert cycles_between(date(2021, 12, 13), date(2021, 12, 31), weekly) == [
        date(2021, 12, 13),
        date(2021, 12, 20),
        date(2021, 12, 27),
    ]
    triweekly = Cadence(kickoff=date(2021, 12, 13), every_weeks=3)
    assert cycles_between(date(2021, 12, 1), date(2022, 1, 31), triweekly) == [
        date(2021, 12, 13),
        date(2022, 1, 3),
        date(2022, 1, 24),
    ]
    with pytest.raises(ValueError, match="every_weeks must be 1 or more"):
        Cadence(kickoff=date(2021, 12, 13), every_weeks=0)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_cycle_queries_agree(day: date) -> None:
    latest = latest_cycle_on_or_before(day, PRACTICE)
    cycle = cycle_for(day, PRACTICE)
    if cycle is not None:
        assert cycle == latest == monday_of(day)
        assert cycle.weekday() == 0
    if latest is not None:
        assert latest <= day
        assert is_cycle_week(latest, PRACTICE)
        # no cycle Monday between the latest one and day
        assert cycles_between(latest, day, PRACTICE) == [latest]
        assert next_cycle_on_or_after(latest, PRACTICE) == latest
    else:
        assert day < PRACTICE.kickoff


def test_local_date_across_dst_los_angeles() -> None:
    tz = "America/Los_Angeles"
    # 2022-03-13: clocks spring forward at 02:00 PST; 07:59Z is 23:59 PST the day before
    assert local_date(datetime(2022, 3, 13, 7, 59, tzinfo=UTC), tz) == date(2022, 3, 12)
    assert local_date(datetime(2022, 3, 13, 8, 0, tzinfo=UTC), tz) == date(2022, 3, 13)
    # Monday 2022-03-14 starts at 07:00Z under PDT, not 08:00Z
    assert local_date(datetime(2022, 3, 14, 6, 59, tzinfo=UTC), tz) == date(2022, 3, 13)
    assert local_date(datetime(2022, 3, 14, 7, 0, tzinfo=UTC), tz) == date(2022, 3, 14)
    # 2022-11-06: fall back; the Monday after starts at 08:00Z again
    assert local_date(datetime(2022, 11, 7, 7, 59, tzinfo=UTC), tz) == date(2022, 11, 6)
    assert local_date(datetime(2022, 11, 7, 8, 0, tzinfo=UTC), tz) == date(2022, 11, 7)


def test_cron_a_minute_after_midnight_monday_is_that_cycle() -> None:
    weekly = Cadence(kickoff=date(2022, 3, 7), every_weeks=1)
    # 00:01 Monday in Los Angeles during PDT is 07:01Z Monday: the cycle is that Monday
    monday_morning = datetime(2022, 3, 14, 7, 1, tzinfo=UTC)
    assert cycle_for(local_date(monday_morning, "America/Los_Angeles"), weekly) == date(2022, 3, 14)
    # in UTC terms it is still Sunday night in LA an hour earlier: the week before
    sunday_night = datetime(2022, 3, 14, 6, 1, tzinfo=UTC)
    assert cycle_for(local_date(sunday_night, "America/Los_Angeles"), weekly) == date(2022, 3, 7)


def test_local_date_across_dst_london() -> None:
    tz = "Europe/London"
    # 2022-03-27: GMT -> BST at 01:00 UTC; 23:30Z on Sunday is 00:30 BST Monday 2022-03-28
    assert local_date(datetime(2022, 3, 27, 23, 30, tzinfo=UTC), tz) == date(2022, 3, 28)
    # before the switch 23:30Z is still the same day in London
    assert local_date(datetime(2022, 3, 20, 23, 30, tzinfo=UTC), tz) == date(2022, 3, 20)
    # 2022-10-30: back to GMT; 23:30Z on Sunday is 23:30 that Sunday
    assert local_date(datetime(2022, 10, 30, 23, 30, tzinfo=UTC), tz) == date(2022, 10, 30)
    assert local_date(datetime(2022, 10, 30, 0, 30, tzinfo=UTC), tz) == date(2022, 10, 30)


def test_local_date_year_end_from_another_offset() -> None:
    tokyo_new_year = datetime.fromisoformat("2022-01-01T08:00:00+09:00")  # 2021-12-31 23:00Z
    assert local_date(tokyo_new_year, "Europe/London") == date(2021, 12, 31)
    assert local_date(tokyo_new_year, "America/Los_Angeles") == date(2021, 12, 31)
    assert local_date(tokyo_new_year, "Asia/Tokyo") == date(2022, 1, 1)


def test_local_date_refuses_naive_and_unknown_zones() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2022, 1, 1, 12, 0), "Europe/London")
    with pytest.raises(ValueError, match="unknown timezone 'America/Las_Angeles'"):
        local_date(datetime(2022, 1, 1, tzinfo=UTC), "America/Las_Angeles")
    with pytest.raises(ValueError, match="unknown timezone ''"):
        local_date(datetime(2022, 1, 1, tzinfo=UTC), "")


def test_months() -> None:
    assert month_window("2021-12") == (date(2021, 12, 1), date(2021, 12, 31))
    assert month_window("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_window("2023-02") == (date(2023, 2, 1), date(2023, 2, 28))
    assert month_of(date(2022, 1, 31)) == "2022-01"
    assert parse_month(" 2022-01 ") == "2022-01"
    for bad in ("2022-13", "2022-00", "2022-1", "22-01", "2022/01", "January", "", "2022-01-01"):
        with pytest.raises(ValueError, match=r"is not a month in the form YYYY-MM \(e\.g\. 2022-01\)"):
            parse_month(bad)


def test_last_working_day() -> None:
    assert last_working_day("2021-12") == date(2021, 12, 31)  # a Friday
    assert last_working_day("2022-01") == date(2022, 1, 31)  # a Monday
    assert last_working_day("2022-07") == date(2022, 7, 29)  # 31st is a Sunday
    assert last_working_day("2022-04") == date(2022, 4, 29)  # 30th is a Saturday


def test_kr_test_dates() -> None:
    first = date(2021, 12, 9)
    assert kr_test_dates(first, date(2021, 12, 8)) == []
    assert kr_test_dates(first, first) == [first]
    assert kr_test_dates(first, date(2022, 1, 5)) == [
        date(2021, 12, 9),
        date(2021, 12, 16),
        date(2021, 12, 23),
        date(2021, 12, 30),
    ]
    assert kr_test_dates(first, date(2022, 1, 6))[-1] == date(2022, 1, 6)  # across the year end


@given(st.dates(min_value=date(2021, 12, 9), max_value=date(2030, 1, 1)))
def test_kr_test_dates_are_weekly(through: date) -> None:
    dates = kr_test_dates(date(2021, 12, 9), through)
    assert dates[0] == date(2021, 12, 9)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(dates))
    assert dates[-1] <= through < dates[-1] + timedelta(days=7)

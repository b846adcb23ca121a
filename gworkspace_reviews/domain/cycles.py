"""Review cycles, months and KR test dates: plain calendar arithmetic.

A *cycle* is named by its Monday (``2021-12-13``). Peer reviews run every ``every_weeks`` weeks counted
from the kickoff Monday and, from ``weekly_from`` on, every week. A week is a *cycle week* when its Monday
is a cycle Monday; the cycle of a day is the Monday of its week when that week is a cycle week (off-weeks
have no cycle). Days are calendar days in the team's timezone: turn a moment into one with
:func:`local_date` first.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_WEEK = timedelta(days=7)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Cadence:
    """When cycles fall: every ``every_weeks`` weeks from ``kickoff``, weekly from ``weekly_from``."""

    kickoff: date
    every_weeks: int = 2
    weekly_from: date | None = None

    def __post_init__(self) -> None:
        if self.every_weeks < 1:
            raise ValueError(f"cadence every_weeks must be 1 or more, got {self.every_weeks}")


def monday_of(day: date) -> date:
    """The Monday of the ISO week containing ``day``."""
    return day - timedelta(days=day.weekday())


def local_date(moment: datetime, tz: str) -> date:
    """The calendar date of a timezone-aware ``moment`` in the IANA timezone ``tz``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"local_date needs a timezone-aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(zone(tz)).date()


def zone(tz: str) -> ZoneInfo:
    """The ZoneInfo for ``tz``; a ValueError that names it when it is not a known IANA timezone."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {tz!r}: use an IANA name such as 'America/Los_Angeles'") from exc


def latest_cycle_on_or_before(day: date, cadence: Cadence) -> date | None:
    """The latest cycle Monday on or before ``day``; None before the kickoff."""
    week = monday_of(day)
    kickoff = monday_of(cadence.kickoff)
    if week < kickoff:
        return None
    if cadence.weekly_from is not None and week >= monday_of(cadence.weekly_from):
        return week
    weeks = (week - kickoff).days // 7
    return kickoff + _WEEK * (weeks - weeks % cadence.every_weeks)


def is_cycle_week(monday: date, cadence: Cadence) -> bool:
    """Whether the week containing ``monday`` is a cycle week (never before the kickoff)."""
    return latest_cycle_on_or_before(monday, cadence) == monday_of(monday)


def cycle_for(day: date, cadence: Cadence) -> date | None:
    """The cycle Monday of the week containing ``day`` when that week is a cycle week, else None."""
    week = monday_of(day)
    return week if is_cycle_week(week, cadence) else None


def next_cycle_on_or_after(day: date, cadence: Cadence) -> date:
    """The first cycle Monday on or after ``day``."""
    week = monday_of(day)
    if week < day:
        week += _WEEK
    kickoff = monday_of(cadence.kickoff)
    if week <= kickoff:
        return kickoff
    while not is_cycle_week(week, cadence):
        week += _WEEK
    return week


def cycles_between(start: date, end: date, cadence: Cadence) -> list[date]:
    """The cycle Mondays in ``[start, end]``, oldest first."""
    found: list[date] = []
    cycle = latest_cycle_on_or_before(end, cadence)
    while cycle is not None and cycle >= start:
        found.append(cycle)
        cycle = latest_cycle_on_or_before(cycle - _WEEK, cadence)
    found.reverse()
    return found


def previous_cycles(monday: date, cadence: Cadence, n: int) -> list[date]:
    """The ``n`` cycle Mondays before the week of ``monday``, newest first (fewer near the kickoff)."""
    found: list[date] = []
    cycle = latest_cycle_on_or_before(monday_of(monday) - _WEEK, cadence)
    while cycle is not None and len(found) < n:
        found.append(cycle)
        cycle = latest_cycle_on_or_before(cycle - _WEEK, cadence)
    return found


def parse_month(text: str) -> str:
    """``text`` as a ``YYYY-MM`` month; a ValueError that says the expected form otherwise."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise ValueError(f"month {text!r} is not a month in the form YYYY-MM (e.g. 2022-01)")
    return match.group(0)


def month_window(month: str) -> tuple[date, date]:
    """The first and last day of a ``YYYY-MM`` month."""
    year, number = (int(part) for part in parse_month(month).split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def month_of(day: date) -> str:
    """The ``YYYY-MM`` month containing ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def last_working_day(month: str) -> date:
    """The last Monday-to-Friday day of a ``YYYY-MM`` month (public holidays are not known here)."""
    day = month_window(month)[1]
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def kr_test_dates(first_test: date, through: date) -> list[date]:
    """The weekly KR test dates ``first_test + 7k`` up to and including ``through``."""
    dates: list[date] = []
    day = first_test
    while day <= through:
        dates.append(day)
        day += _WEEK
    return dates

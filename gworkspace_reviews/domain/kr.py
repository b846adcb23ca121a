"""KR1 compliance arithmetic (pandas): weekly tests, per-criterion rates, coverage, what needs attention.

Rule one: the practice is not a report card. The team figures here are team-level and criterion-level only:
no ranking and no yes-rate per person. Per-person yes-rates exist only in :func:`per_person`, which the
rollup service computes for one manager's own reports and writes to that manager's separate target.
Coverage (how many reviews each person gave, received, did and had validated) is counts, not scores.

What counts:
- An answer counts when it reads yes, no or N/A (see ``rubric.classify``); blank cells wait, invalid cells are
  listed under attention with their raw text. yes-rate = yes / (yes + no); N/A is shown but never in the rate.
- Peer reviews count the reviewer's answers (also while the review is still incomplete: every answer typed is
  a data point; the missing ones are listed under attention).
- Self reviews count only once the manager validated them (every manager answer is yes, no or N/A), and then
  with the manager's answers. Until then they are pending: left out of KR1 and the criterion tab, and listed
  as "awaiting manager".

Which test counts a review (test dates are ``first_test + 7k``):
- a peer review counts in the test T with ``T - 7 < cycle Monday <= T``;
- a validated self review counts in the test T with ``T - 7 < validation day <= T``, the validation day being
  the local date (team timezone) of the file's last modification.
Consecutive tests' windows do not overlap and leave no gap, so each cycle counts in exactly one test; with the
first test on 2021-12-09 (a Thursday) and the kickoff on Monday 2021-12-13, the first test counts nothing and
the kickoff cycle counts in the 2021-12-16 test. Reviews after the last test date are in no test yet.

Months: a peer review belongs to the month of its cycle Monday, a self review to its period (``YYYY-MM``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from gworkspace_reviews.domain import rubric
from gworkspace_reviews.domain.cycles import Cadence, cycles_between, local_date, month_of, month_window
from gworkspace_reviews.domain.models import CellValue, ReadResult, ReviewFile, RubricRow

ANSWERS: tuple[str, ...] = ("yes", "no", "na")

TEST_COLUMNS: tuple[str, ...] = ("date", "reviews", "yes", "no", "na", "yes_rate", "target", "met")
CRITERION_COLUMNS: tuple[str, ...] = ("month", "criterion", "yes", "no", "na", "yes_rate")
COVERAGE_COLUMNS: tuple[str, ...] = ("month", "member", "peer_received", "peer_given", "peer_target",
                                     "self_done", "self_validated", "self_target")
ATTENTION_COLUMNS: tuple[str, ...] = ("month", "kind", "period", "reviewer", "owner", "case_id", "issue",
                                      "criterion", "detail", "comment", "location")
PERSON_COLUMNS: tuple[str, ...] = ("month", "member", "reviews", "yes", "no", "na", "yes_rate")

SELF_TARGET = 2  # self + manager reviews a month, per the practice

_REVIEW_COLUMNS = ("file_id", "kind", "month", "reviewer", "owner", "done", "validated", "counted_on")
_ANSWER_COLUMNS = ("review", "position", "criterion", "answer")
_FROM_REVIEW = ("file_id", "kind", "month", "owner", "counted_on")  # copied onto each answer row

Record = dict[str, CellValue]


@dataclass(frozen=True)
class Window:
    """What a rollup covers: the KR test dates and the months, after the ``month`` filter."""

    test_dates: tuple[date, ...]
    months: tuple[str, ...]
    through: date


@dataclass(frozen=True)
class Frames:
    """Reviews reduced to what the rollup needs: one row per readable review, one per counted answer."""

    reviews: pd.DataFrame  # _REVIEW_COLUMNS; counted_on: the date ordinal the answers count on, -1 for none
    answers: pd.DataFrame  # _ANSWER_COLUMNS + _FROM_REVIEW
    attention: tuple[Record, ...]  # ATTENTION_COLUMNS


def window(first_test: date, kickoff: date, through: date, month: str | None = None) -> Window:
    """Test dates ``first_test + 7k`` up to ``through`` and months from the kickoff's on, within ``month``."""
    dates: list[date] = []
    day = first_test
    while day <= through:
        dates.append(day)
        day = date.fromordinal(day.toordinal() + 7)
    months = _months_between(month_of(min(kickoff, first_test)), month_of(through))
    if month is not None:
        dates = [d for d in dates if month_of(d) == month]
        months = [m for m in months if m == month]
    return Window(test_dates=tuple(dates), months=tuple(months), through=through)


def _months_between(first: str, last: str) -> list[str]:
    year, number = (int(p) for p in first.split("-"))
    months: list[str] = []
    while f"{year:04d}-{number:02d}" <= last:
        months.append(f"{year:04d}-{number:02d}")
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return months


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _day(modified: str, tz: str) -> date | None:
    """The local calendar day of a modified timestamp; naive local timestamps are already local."""
    try:
        moment = datetime.fromisoformat(modified.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return local_date(moment, tz)


def _period_month(file: ReviewFile) -> tuple[str, date | None]:
    """The review's month and, for peer reviews, its cycle Monday ("" when the period tag is unreadable)."""
    period = file.key.period.strip()
    if file.key.kind == "peer":
        try:
            cycle = date.fromisoformat(period)
        except ValueError:
            return "", None
        return month_of(cycle), cycle
    try:
        month_window(period)
    except ValueError:
        return "", None
    return period, None


class _Collector:
    """Accumulates column lists (cheaper than one dict per answer at 100,000 answers)."""

    def __init__(self, tz: str, managers: dict[str, str]) -> None:
        self.tz = tz
        self.managers = managers
        self.reviews: dict[str, list[Any]] = {c: [] for c in _REVIEW_COLUMNS}
        self.answers: dict[str, list[Any]] = {c: [] for c in _ANSWER_COLUMNS}
        self.attention: list[Record] = []
        # Answers come from a tiny vocabulary: classify each distinct typed value once. The type is part of
        # the key because True == 1 in a dict, yet a checkbox and a typed number read differently.
        self._labels: dict[tuple[type, CellValue], str] = {}

    def label(self, raw: CellValue) -> str:
        """yes | no | na | blank | invalid."""
        key = (type(raw), raw)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = rubric.classify(raw).value
        return found

    def flag(self, file: ReviewFile, month: str, case_id: str, issue: str, detail: str = "",
             criterion: str = "", comment: str = "") -> None:
        self.attention.append({
            "month": month, "kind": file.key.kind, "period": file.key.period, "reviewer": file.key.reviewer,
            "owner": file.key.owner, "case_id": case_id, "issue": issue, "criterion": criterion,
            "detail": detail, "comment": comment, "location": file.location})

    def add(self, result: ReadResult) -> None:
        file = result.file
        month, cycle = _period_month(file)
        if result.error is not None or result.content is None:
            self.flag(file, month, file.case_id, "read error", result.error or "no content was read")
            return
        content = result.content
        case_id = _text(content.header.get("case_id")).strip() or file.case_id.strip()
        if not month:
            self.flag(file, month, case_id, "unreadable period tag",
                      f"period {file.key.period!r} is not a date (peer) or YYYY-MM month (self)")
            return
        if not case_id:
            self.flag(file, month, case_id, "missing case ID", "fill the case_id cell or run set-case")
        labels = self._check(file, month, case_id, content.rows, "invalid answer")
        done = bool(labels) and all(lab in ANSWERS for lab in labels)
        blanks = sum(1 for lab in labels if lab == "blank")
        if not labels:
            self.flag(file, month, case_id, "incomplete", "no rubric rows found in the answers range")
        elif blanks:
            self.flag(file, month, case_id, "incomplete", f"{len(labels) - blanks} of {len(labels)} answered")
        validated, counted_on = False, -1
        if file.key.kind == "peer":
            assert cycle is not None  # _period_month gives peer reviews their cycle
            self._answers(content.rows, labels, content.rows)
            counted_on = cycle.toordinal()
        else:
            validated, day = self._self_review(file, month, case_id, content.rows, content.manager_rows, done)
            counted_on = day.toordinal() if day is not None else -1
        self.reviews["file_id"].append(file.file_id)
        self.reviews["kind"].append(file.key.kind)
        self.reviews["month"].append(month)
        self.reviews["reviewer"].append(file.key.reviewer.strip().lower())
        self.reviews["owner"].append(file.key.owner.strip().lower())
        self.reviews["done"].append(done)
        self.reviews["validated"].append(validated)
        self.reviews["counted_on"].append(counted_on)

    def _check(self, file: ReviewFile, month: str, case_id: str, rows: Sequence[RubricRow],
               issue: str) -> list[str]:
        labels = [self.label(row.answer) for row in rows]
        for row, lab in zip(rows, labels, strict=True):
            if lab == "invalid":
                raw = rubric.raw_text(row.answer)
                self.flag(file, month, case_id, issue, raw, row.criterion, row.comment)
        return labels

    def _self_review(self, file: ReviewFile, month: str, case_id: str, rows: Sequence[RubricRow],
                     manager_rows: Sequence[RubricRow] | None, done: bool) -> tuple[bool, date | None]:
        """Whether the manager validated the review, and the day that happened."""
        manager = self.managers.get(file.key.owner.lower(), "")
        if manager_rows is None:
            self.flag(file, month, case_id, "awaiting manager",
                      f"no manager answers range in this file; manager: {manager or 'unknown'}")
            return False, None
        labels = self._check(file, month, case_id, manager_rows, "invalid manager answer")
        validated = bool(labels) and len(labels) == len(rows) and all(lab in ANSWERS for lab in labels)
        if not validated:
            if done:
                self.flag(file, month, case_id, "awaiting manager", f"manager: {manager or 'unknown'}")
            return False, None
        validated_on = _day(file.modified, self.tz)
        if validated_on is None:
            self.flag(file, month, case_id, "unreadable modified time",
                      f"modified {file.modified!r} is not an ISO timestamp; the review is in no KR1 test")
        # Criterion names come from the engineer's rows: the manager column sits beside them.
        self._answers(manager_rows, labels, rows)
        return True, validated_on

    def _answers(self, rows: Sequence[RubricRow], labels: Sequence[str], named: Sequence[RubricRow]) -> None:
        """Record the yes/no/na answers of the review about to be added (criterion names from ``named``)."""
        kept = [i for i, lab in enumerate(labels) if lab in ANSWERS]
        a = self.answers
        a["review"].extend([len(self.reviews["file_id"])] * len(kept))
        a["position"].extend(kept)
        a["criterion"].extend((named[i] if i < len(named) else rows[i]).criterion.strip() for i in kept)
        a["answer"].extend(labels[i] for i in kept)


def collect(results: Iterable[ReadResult], tz: str, managers: dict[str, str]) -> Frames:
    """Classify every answer of every read review; ``managers`` maps a member's email to their manager's."""
    collector = _Collector(tz, {k.lower(): v for k, v in managers.items()})
    for result in results:
        collector.add(result)
    reviews = pd.DataFrame(collector.reviews, columns=list(_REVIEW_COLUMNS))
    reviews["counted_on"] = reviews["counted_on"].astype("int64")
    answers = pd.DataFrame(collector.answers, columns=list(_ANSWER_COLUMNS))
    index = answers["review"].to_numpy(dtype="int64")
    for column in _FROM_REVIEW:
        answers[column] = reviews[column].to_numpy()[index]
    answers["position"] = answers["position"].astype("int64")
    for column in ("kind", "month", "owner", "criterion", "answer"):
        answers[column] = answers[column].astype("category")
    return Frames(reviews=reviews, answers=answers, attention=tuple(collector.attention))


def _counts(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """yes/no/na counts, distinct reviews and yes_rate per group of ``keys``."""
    work = pd.DataFrame({k: frame[k].astype(str) if isinstance(frame[k].dtype, pd.CategoricalDtype)
                         else frame[k] for k in keys})
    answers = frame["answer"].astype(str)
    for label in ANSWERS:
        work[label] = (answers == label).astype("int64")
    work["file_id"] = frame["file_id"]
    groups = work.groupby(keys, sort=True)
    grouped = groups[list(ANSWERS)].sum()
    grouped["reviews"] = groups["file_id"].nunique()
    decided = grouped["yes"] + grouped["no"]
    grouped["yes_rate"] = (grouped["yes"] / decided.where(decided > 0))
    return grouped


def kr1_tests(frames: Frames, first_test: date, win: Window, target: float) -> pd.DataFrame:
    """One row per test date: reviews counted, yes, no, na, yes_rate (NaN without yes/no), target, met."""
    answers = frames.answers[frames.answers["counted_on"] >= 0]
    first = first_test.toordinal()
    # ceil((day - first) / 7) weeks after the first test: the test T with T - 7 < day <= T.
    weeks = -((first - answers["counted_on"]) // 7)
    tests = answers.assign(test=first + 7 * weeks)
    tests = tests[weeks >= 0]
    counted: dict[int, tuple[int, int, int, int]] = {}
    if len(tests):
        grouped = _counts(tests, ["test"])[["yes", "no", "na", "reviews"]]
        counted = {int(k): (int(y), int(n), int(a), int(r))
                   for k, y, n, a, r in grouped.itertuples(name=None)}
    rows: list[dict[str, Any]] = []
    for day in win.test_dates:
        yes, no, na, reviews = counted.get(day.toordinal(), (0, 0, 0, 0))
        rate = rubric.yes_rate(yes, no)
        rows.append({"date": day.isoformat(), "reviews": reviews, "yes": yes, "no": no, "na": na,
                     "yes_rate": rate, "target": target, "met": None if rate is None else rate >= target})
    return pd.DataFrame(rows, columns=list(TEST_COLUMNS))


def by_criterion(frames: Frames, win: Window) -> pd.DataFrame:
    """Per month and criterion (in rubric order): yes, no, na, yes_rate."""
    answers = frames.answers[frames.answers["month"].astype(str).isin(win.months)]
    if not len(answers):
        return pd.DataFrame(columns=list(CRITERION_COLUMNS))
    grouped = _counts(answers, ["month", "criterion"]).reset_index()
    order = answers.assign(criterion=answers["criterion"].astype(str)).groupby(
        "criterion", observed=True)["position"].min()
    grouped["order"] = grouped["criterion"].map(order)
    grouped = grouped.sort_values(["month", "order", "criterion"], kind="stable")
    return grouped[list(CRITERION_COLUMNS)].reset_index(drop=True)


def peer_targets(months: Iterable[str], cadence: Cadence) -> dict[str, int]:
    """Peer reviews each member should give and receive in each month: its number of cycle Mondays."""
    targets: dict[str, int] = {}
    for month in months:
        first, last = month_window(month)
        targets[month] = len(cycles_between(first, last, cadence))
    return targets


def coverage(frames: Frames, win: Window, members: Sequence[str], cadence: Cadence) -> pd.DataFrame:
    """Per month and member: complete peer reviews received and given, self reviews done and validated."""
    reviews = frames.reviews[frames.reviews["month"].isin(win.months)]
    targets = peer_targets(win.months, cadence)
    peer = reviews[(reviews["kind"] == "peer") & reviews["done"].astype(bool)]
    selfs = reviews[reviews["kind"] == "self"]
    received = _tally(peer, "owner")
    given = _tally(peer, "reviewer")
    self_done = _tally(selfs[selfs["done"].astype(bool)], "owner")
    validated = _tally(selfs[selfs["validated"].astype(bool)], "owner")
    roster = list(dict.fromkeys(m.lower() for m in members))
    taking_part: dict[str, set[str]] = {}
    for month, owner, reviewer in reviews[["month", "owner", "reviewer"]].itertuples(index=False, name=None):
        taking_part.setdefault(str(month), set()).update((str(owner), str(reviewer)))
    rows: list[dict[str, Any]] = []
    for month in win.months:
        # People no longer on the roster still show for the months they took part in.
        extra = sorted(taking_part.get(month, set()) - set(roster))
        for person in [*roster, *extra]:
            key = (month, person)
            rows.append({"month": month, "member": person,
                         "peer_received": received.get(key, 0), "peer_given": given.get(key, 0),
                         "peer_target": targets[month],
                         "self_done": self_done.get(key, 0), "self_validated": validated.get(key, 0),
                         "self_target": SELF_TARGET})
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


def _tally(reviews: pd.DataFrame, who: str) -> dict[tuple[str, str], int]:
    sizes = reviews.groupby(["month", who]).size().reset_index(name="n")
    return {(str(m), str(p)): int(n) for m, p, n in sizes.itertuples(index=False, name=None)}


def per_person(frames: Frames, win: Window, members: Sequence[str]) -> pd.DataFrame:
    """Per month and member (only ``members``): reviews of their cases, yes, no, na, yes_rate."""
    wanted = {m.lower() for m in members}
    answers = frames.answers
    mask = answers["month"].astype(str).isin(win.months) & answers["owner"].astype(str).isin(wanted)
    answers = answers[mask].assign(member=answers["owner"].astype(str))
    if not len(answers):
        return pd.DataFrame(columns=list(PERSON_COLUMNS))
    grouped = _counts(answers, ["month", "member"]).reset_index()
    return grouped[list(PERSON_COLUMNS)].reset_index(drop=True)


def attention(frames: Frames, win: Window) -> list[Record]:
    """The attention items of the window's months (items whose period tag is unreadable always show)."""
    months = set(win.months)
    return [dict(item) for item in frames.attention if item["month"] in months or not item["month"]]


def plain(value: Any) -> CellValue:
    """A pandas/numpy cell as a plain Python value (NaN and NA as None)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if pd.isna(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def records(frame: pd.DataFrame) -> list[Record]:
    """Rows of ``frame`` as dicts of plain values."""
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, (plain(v) for v in row), strict=True))
            for row in frame.itertuples(index=False, name=None)]


MAX_CELL_TEXT = 30_000  # under Excel's 32,767 and Sheets' 50,000 characters per cell


def fit_cell(value: CellValue) -> CellValue:
    """Text cut to what one spreadsheet cell holds, saying how long it was; other values unchanged."""
    if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
        note = f" … [cut: {len(value)} characters in the review]"
        return value[: MAX_CELL_TEXT - len(note)] + note
    return value

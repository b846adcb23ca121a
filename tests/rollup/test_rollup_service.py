"""The rollup service end to end on the real local workspace: real .xlsx review files in, rollup.xlsx out."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from gworkspace_reviews.adapters.local.workspace import LocalWorkspace
from gworkspace_reviews.config_types import Config
from gworkspace_reviews.errors import UsageError
from gworkspace_reviews.services.rollup import RollupResult, run_rollup

from .build import ADA, BOB, CY, DEE, GRACE, fill, make_config, make_workspace, peer_key, provision, self_key

TODAY = date(2022, 1, 13)


@pytest.fixture
def team(tmp_path: Path) -> tuple[Config, LocalWorkspace, dict[str, Path]]:
    """A workspace holding December's reviews, typed in as people would."""
    config = make_config(tmp_path)
    ws = make_workspace(config)
    files = {
        "bob->ada": provision(ws, config, peer_key("2021-12-13", BOB, ADA), "1001"),
        "cy->bob": provision(ws, config, peer_key("2021-12-13", CY, BOB), "1002"),
        "ada->cy": provision(ws, config, peer_key("2021-12-13", ADA, CY), "1003"),
        "dee->ada": provision(ws, config, peer_key("2021-12-27", DEE, ADA), ""),
        "ada self 1": provision(ws, config, self_key("2021-12", ADA), "2001"),
        "ada self 2": provision(ws, config, self_key("2021-12", ADA, "own-pick"), "2002"),
    }
    fill(files["bob->ada"], ["Yes", "Yes", "No", "N/A"], ["clear", "", "missed the why", ""])
    fill(files["cy->bob"], ["Yes", "Yes", "Yes", "+maybe"], ["", "", "", "=1+1"])
    fill(files["dee->ada"], ["Yes", "Yes", "Yes", "Yes"])
    # Validated by the manager on 2022-01-05 (Los Angeles): counts in the 2022-01-06 test, with her answers.
    fill(files["ada self 1"], ["Yes"] * 4, manager=["Yes", "No", "Yes", "Yes"],
         modified=datetime(2022, 1, 5, 20, 0, tzinfo=UTC))
    fill(files["ada self 2"], ["Yes"] * 4, manager=["Yes", None, None, None],
         modified=datetime(2022, 1, 5, 20, 0, tzinfo=UTC))
    return config, ws, files


def _sheet_rows(path: Path, title: str) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path)
    return [tuple(c.value for c in row) for row in wb[title].iter_rows()]


def test_kr1_tab_headline_table_and_chart(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, _ = team
    result = run_rollup(config, ws, TODAY)
    assert result.location == str(ws.root / "rollup.xlsx")
    wb = openpyxl.load_workbook(result.location)
    assert wb.sheetnames == ["KR1", "By criterion", "Coverage", "Needs attention"]
    kr1 = wb["KR1"]
    assert len(kr1._charts) == 1  # the line chart of yes_rate and target over the tests
    chart = kr1._charts[0]
    assert [s.val.numRef.f for s in chart.series] == ["'KR1'!$F$4:$F$9", "'KR1'!$G$4:$G$9"]
    rows = _sheet_rows(Path(result.location), "KR1")
    assert rows[0][:8] == ("date", "reviews", "yes", "no", "na", "yes_rate", "target", "met")
    # Headline: the latest test (2022-01-13, no reviews yet), then every test oldest first.
    assert rows[1][:8] == ("2022-01-13", 0, 0, 0, 0, None, 0.95, None)
    tests = {r[0]: r[:8] for r in rows[3:]}
    assert list(tests) == ["2021-12-09", "2021-12-16", "2021-12-23", "2021-12-30", "2022-01-06", "2022-01-13"]
    assert tests["2021-12-16"][:5] == ("2021-12-16", 2, 5, 1, 1)
    assert tests["2021-12-16"][5] == pytest.approx(5 / 6) and tests["2021-12-16"][7] is False
    assert tests["2021-12-23"] == ("2021-12-23", 0, 0, 0, 0, None, 0.95, None)
    assert tests["2021-12-30"] == ("2021-12-30", 1, 4, 0, 0, 1, 0.95, True)
    assert tests["2022-01-06"] == ("2022-01-06", 1, 3, 1, 0, 0.75, 0.95, False)


def test_formula_like_text_stays_text(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, _ = team
    result = run_rollup(config, ws, TODAY)
    assert result.location is not None
    sheet = openpyxl.load_workbook(result.location)["Needs attention"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells["=1+1"].data_type == "s"
    assert cells["+maybe"].data_type == "s"
    item = next(a for a in result.attention if a["issue"] == "invalid answer")
    assert (item["detail"], item["comment"], item["owner"]) == ("+maybe", "=1+1", BOB)


def test_needs_attention_links_each_file(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, files = team
    result = run_rollup(config, ws, TODAY)
    got = {(a["issue"], a["location"]) for a in result.attention}
    assert ("incomplete", str(files["ada->cy"])) in got
    assert ("invalid answer", str(files["cy->bob"])) in got
    assert ("missing case ID", str(files["dee->ada"])) in got
    assert ("awaiting manager", str(files["ada self 2"])) in got
    assert ("awaiting manager", str(files["ada self 1"])) not in got
    awaiting = next(a for a in result.attention if a["issue"] == "awaiting manager")
    assert awaiting["detail"] == f"manager: {GRACE}"


def test_unreadable_review_is_a_read_error_row(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, files = team
    wb = openpyxl.load_workbook(files["ada->cy"])
    del wb.defined_names["answers"]  # someone deleted the answers range
    wb.save(files["ada->cy"])
    result = run_rollup(config, ws, TODAY)
    errors = [a for a in result.attention if a["issue"] == "read error"]
    assert [a["location"] for a in errors] == [str(files["ada->cy"])]
    assert "defined name" in str(errors[0]["detail"])
    assert result.tests[1]["reviews"] == 2  # the other reviews still count


def test_self_review_counts_once_validated(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, files = team
    before = run_rollup(config, ws, TODAY, dry_run=True)
    assert [t["reviews"] for t in before.tests if t["date"] >= "2022-01-01"] == [1, 0]
    fill(files["ada self 2"], ["Yes"] * 4, manager=["Yes", "Yes", "Yes", "N/A"],
         modified=datetime(2022, 1, 12, 20, 0, tzinfo=UTC))
    after = run_rollup(config, ws, TODAY, dry_run=True)
    assert [(t["reviews"], t["yes"], t["na"]) for t in after.tests if t["date"] >= "2022-01-01"] == [
        (1, 3, 0), (1, 3, 1)]
    assert not [a for a in after.attention if a["issue"] == "awaiting manager"]
    coverage = {(c["month"], c["member"]): c for c in after.coverage}
    assert (coverage[("2021-12", ADA)]["self_done"], coverage[("2021-12", ADA)]["self_validated"]) == (2, 2)


def test_rerun_opens_no_unchanged_file(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, files = team
    first = run_rollup(config, ws, TODAY)
    opened = ws.files_opened
    assert opened == len(files)
    second = run_rollup(config, ws, TODAY)
    assert ws.files_opened == opened  # nothing changed: every read came from the cache
    assert second.as_json() == first.as_json()
    fill(files["ada->cy"], ["No", "No", "Yes", "Yes"])
    third = run_rollup(config, ws, TODAY)
    assert ws.files_opened == opened + 1  # only the edited file is read again
    assert third.tests[1]["reviews"] == 3 and third.tests[1]["no"] == 3


def test_dry_run_writes_nothing(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, _ = team
    result = run_rollup(config, ws, TODAY, dry_run=True, per_person_for=GRACE)
    assert result.location is None and result.per_person_location is None
    assert not list(ws.root.glob("rollup*.xlsx"))
    assert [t.name for t in result.tabs] == ["KR1", "By criterion", "Coverage", "Needs attention"]


def test_json_shape(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, _ = team
    doc = json.loads(json.dumps(run_rollup(config, ws, TODAY).as_json()))
    assert list(doc) == ["tests", "criteria", "coverage", "attention"]
    assert all(list(t) == ["date", "reviews", "yes", "no", "na", "yes_rate", "met"] for t in doc["tests"])
    assert doc["tests"][1] == {"date": "2021-12-16", "reviews": 2, "yes": 5, "no": 1, "na": 1,
                               "yes_rate": pytest.approx(5 / 6), "met": False}
    assert set(doc["criteria"][0]) == {"month", "criterion", "yes", "no", "na", "yes_rate"}
    assert {c["member"] for c in doc["coverage"]} == {ADA, BOB, CY, DEE}
    assert all(a["location"] for a in doc["attention"])


def test_month_and_through(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, _ = team
    dec = run_rollup(config, ws, TODAY, month="2021-12", dry_run=True)
    assert [t["date"] for t in dec.tests] == ["2021-12-09", "2021-12-16", "2021-12-23", "2021-12-30"]
    assert {c["month"] for c in dec.coverage} == {"2021-12"}
    assert {c["month"] for c in dec.criteria} == {"2021-12"}
    jan = run_rollup(config, ws, TODAY, month="2022-01", dry_run=True)
    assert jan.criteria == [] and jan.attention == []
    capped = run_rollup(config, ws, TODAY, through=date(2021, 12, 20), dry_run=True)
    assert [t["date"] for t in capped.tests] == ["2021-12-09", "2021-12-16"]
    with pytest.raises(UsageError, match="YYYY-MM"):
        run_rollup(config, ws, TODAY, month="December", dry_run=True)


def _per_person_cells(result: RollupResult, members: set[str]) -> list[str]:
    """Every team-rollup tab that holds a person's email beside a yes-rate or answer count."""
    found = []
    for tab in result.tabs:
        header = {str(c) for c in tab.rows[0]}
        people = any(cell in members for row in tab.rows[1:] for cell in row)
        if people and header & {"yes_rate", "yes", "no", "na", "reviews"}:
            found.append(tab.name)
    return found


def test_team_rollup_is_not_a_report_card(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, _ = team
    result = run_rollup(config, ws, TODAY, per_person_for=GRACE)
    emails = {ADA, BOB, CY, DEE}
    assert _per_person_cells(result, emails) == []
    assert result.location is not None
    wb = openpyxl.load_workbook(result.location)
    for sheet in wb.worksheets:
        header = [c.value for c in next(sheet.iter_rows())]
        assert "member" not in header or not {"yes_rate", "yes", "no"} & set(header), sheet.title
    # The per-person view is separate, for grace's own reports only.
    assert result.per_person_location == str(ws.root / f"rollup-{GRACE}.xlsx")
    rows = _sheet_rows(Path(result.per_person_location), "Per person")
    assert rows[0] == ("month", "member", "reviews", "yes", "no", "na", "yes_rate")
    assert {r[1] for r in rows[1:]} <= {ADA, BOB}
    ada = next(r for r in rows[1:] if r[1] == ADA)
    assert ada[:6] == ("2021-12", ADA, 3, 9, 2, 1)
    assert openpyxl.load_workbook(result.location).sheetnames == ["KR1", "By criterion", "Coverage",
                                                                  "Needs attention"]


def test_per_person_for_someone_without_reports(team: tuple[Config, LocalWorkspace, dict[str, Path]]) -> None:
    config, ws, _ = team
    with pytest.raises(UsageError, match=r"nobody@example\.com"):
        run_rollup(config, ws, TODAY, per_person_for="nobody@example.com")
    assert not (ws.root / "rollup.xlsx").exists()


def test_empty_workspace_before_and_after_the_first_test(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    ws = make_workspace(config)
    early = run_rollup(config, ws, date(2021, 12, 1))
    assert early.tests == [] and early.criteria == [] and early.attention == []
    kr1 = early.tabs[0]
    assert kr1.chart is None and kr1.rows[1][0] == "no test date yet"
    assert early.location is not None and Path(early.location).is_file()
    later = run_rollup(config, ws, date(2021, 12, 20))
    assert [(t["date"], t["reviews"], t["yes_rate"], t["met"]) for t in later.tests] == [
        ("2021-12-09", 0, None, None), ("2021-12-16", 0, None, None)]
    assert {(c["member"], c["peer_received"], c["peer_target"]) for c in later.coverage} == {
        (m, 0, 2) for m in (ADA, BOB, CY, DEE)}
    assert len(openpyxl.load_workbook(later.location)["KR1"]._charts) == 1

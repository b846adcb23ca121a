"""The rollup workbook: one sheet per tab, values kept as given, text never turned into formulas."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.chart import LineChart

from gworkspace_reviews.adapters.local import LocalWorkspace
from gworkspace_reviews.domain.models import Chart, Tab


def _tabs() -> list[Tab]:
    tests = Tab(
        name="KR1 tests",
        rows=(
            ("date", "reviews", "yes_rate", "met"),
            ("2021-12-09", 13, 0.91, False),
            ("2021-12-16", 13, 0.96, True),
            ("2021-12-23", 12, 0.97, True),
        ),
        chart=Chart(title="Yes rate per test", x_column=0, y_columns=(2,), first_row=1, last_row=4),
    )
    tricky = Tab(
        name="Attention: a/b [x]",
        rows=(("criterion", "note"), ("=1+1", "+44 20 7946 0000"), ("-3 days", "@channel"), (None, 1.5)),
    )
    return [tests, tricky]


def test_rollup_tabs_values_and_chart(tmp_path: Path) -> None:
    ws = LocalWorkspace(tmp_path, {})
    location = ws.write_rollup(_tabs())

    assert location == str(tmp_path / "rollup.xlsx")
    wb = openpyxl.load_workbook(location)
    assert wb.sheetnames == ["KR1 tests", "Attention- a-b -x-"]
    kr = wb["KR1 tests"]
    assert [[c.value for c in row] for row in kr.iter_rows()] == [
        ["date", "reviews", "yes_rate", "met"],
        ["2021-12-09", 13, 0.91, False],
        ["2021-12-16", 13, 0.96, True],
        ["2021-12-23", 12, 0.97, True],
    ]
    assert kr.freeze_panes == "A2"
    [chart] = kr._charts
    assert isinstance(chart, LineChart) and len(chart.series) == 1
    assert chart.series[0].val.numRef.f == "'KR1 tests'!$C$2:$C$4"
    tricky = wb["Attention- a-b -x-"]
    for coord, text in {"A2": "=1+1", "B2": "+44 20 7946 0000", "A3": "-3 days", "B3": "@channel"}.items():
        cell = tricky[coord]
        assert cell.value == text and cell.data_type == "s", coord
        assert cell.quotePrefix, coord
    assert tricky["A4"].value is None and tricky["B4"].value == 1.5


def test_rollup_replaces_the_previous_one_and_accepts_a_target(tmp_path: Path) -> None:
    ws = LocalWorkspace(tmp_path, {})
    ws.write_rollup(_tabs())
    ws.write_rollup([Tab(name="Only", rows=(("a",), (1,)))])
    assert openpyxl.load_workbook(tmp_path / "rollup.xlsx").sheetnames == ["Only"]
    target = ws.write_rollup([Tab(name="Month", rows=())], target="rollups/2022-01.xlsx")
    assert target == str(tmp_path / "rollups" / "2022-01.xlsx")
    assert openpyxl.load_workbook(target).sheetnames == ["Month"]
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()].count("rollup.xlsx") == 1
    assert not [p for p in tmp_path.rglob("*.gwr-tmp")]  # no temp files left behind


def test_a_chart_outside_the_rows_is_left_out(tmp_path: Path) -> None:
    ws = LocalWorkspace(tmp_path, {})
    empty = Tab(name="Tests", rows=(("date", "yes_rate"),), chart=Chart("Yes rate", 0, (1,), 1, 1))
    wb = openpyxl.load_workbook(ws.write_rollup([empty]))
    assert wb["Tests"]._charts == []

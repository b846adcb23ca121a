"""The KR1 rollup spreadsheet (one batchUpdate + one values write) and the `_ledger` tab."""

from __future__ import annotations

from collections import Counter

from gworkspace_reviews.adapters.google import sheets
from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.adapters.google.ledger import GoogleLedger
from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace
from gworkspace_reviews.domain.models import Chart, Tab
from tests.fakegoogle.server import FakeGoogle

KR1 = Tab("KR1", (("date", "yes_rate", "target"), ("2021-12-16", 0.5, 0.95, "latest"), (),
                  ("2021-12-09", 1.0, 0.95), ("2021-12-16", 0.5, 0.95)),
          chart=Chart("KR1 yes-rate against target", 0, (1, 2), 3, 5), frozen_rows=2)
CRITERIA = Tab("Criteria", (("criterion", "yes"), ("=impact?", 3)))


def tab_titles(gateway: Gateway, spreadsheet: str) -> list[str]:
    meta = gateway.execute(gateway.sheets.spreadsheets().get(spreadsheetId=spreadsheet), what="t", target="t")
    return [s["properties"]["title"] for s in meta["sheets"]]


def test_write_rollup_replaces_tabs_with_one_batch_and_one_values_write(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway, rollup_id: str) -> None:
    ledger = GoogleLedger(gateway, rollup_id)
    ledger.put("draw:2021-12-13", "{}")
    fake_google.reset_counters()
    location = workspace.write_rollup([KR1, CRITERIA])
    assert rollup_id in location
    assert dict(fake_google.counters) == {"sheets.spreadsheets.get": 1, "sheets.spreadsheets.batchUpdate": 1,
                                          "sheets.spreadsheets.values.batchUpdate": 1}
    assert tab_titles(gateway, rollup_id) == ["KR1", "Criteria", "_ledger"]
    values = sheets.read_ranges(gateway, rollup_id, ["'KR1'!A1:D5", "'Criteria'!A1:B2"], what="t")
    assert values[0][3] == ["2021-12-09", 1, 0.95] and values[1][1] == ["=impact?", 3]  # RAW: text stays text
    meta = gateway.execute(gateway.sheets.spreadsheets().get(spreadsheetId=rollup_id), what="t", target="t")
    kr1 = meta["sheets"][0]
    assert kr1["properties"]["gridProperties"]["frozenRowCount"] == 2
    (chart,) = kr1["charts"]
    assert chart["spec"]["title"] == "KR1 yes-rate against target"
    series = chart["spec"]["basicChart"]["series"]
    assert [s["series"]["sourceRange"]["sources"][1]["startColumnIndex"] for s in series] == [1, 2]
    assert all(src["sheetId"] == kr1["properties"]["sheetId"] for s in series
               for src in s["series"]["sourceRange"]["sources"])
    # A second rollup replaces the tabs again; the ledger survives both.
    workspace.write_rollup([CRITERIA])
    assert tab_titles(gateway, rollup_id) == ["Criteria", "_ledger"]
    assert ledger.entries() == {"draw:2021-12-13": "{}"}


def test_the_ledger_reads_in_one_request_and_appends_raw(gateway: Gateway, fake_google: FakeGoogle,
                                                         rollup_id: str) -> None:
    ledger = GoogleLedger(gateway, rollup_id)
    fake_google.reset_counters()
    assert ledger.entries() == {}
    ledger.put_many([("draw:2021-12-13", '{"seed": "x"}'), ("notice:1", "pending")])
    ledger.put("notice:1", "sent")
    ledger.put("formula", "=SUM(1,2)")
    assert ledger.entries() == {"draw:2021-12-13": '{"seed": "x"}', "notice:1": "sent", "formula": "=SUM(1,2)"}
    # the first read found no tab: one addSheet before the first append; each read is one values.get
    assert fake_google.counters == Counter({
        "sheets.spreadsheets.values.get": 2, "sheets.spreadsheets.values.append": 3,
        "sheets.spreadsheets.batchUpdate": 1})
    rows = sheets.read_ranges(gateway, rollup_id, ["'_ledger'!A1:B2"], what="t")[0]
    assert rows[0] == ["key", "value"]
    # A new process that never read first: its append finds no tab only when there is none; here there is.
    fresh = GoogleLedger(gateway, rollup_id)
    fake_google.reset_counters()
    fresh.put("k", "v")
    assert dict(fake_google.counters) == {"sheets.spreadsheets.values.append": 1}


def test_a_first_put_without_a_read_adds_the_tab_and_the_workspace_hands_out_its_ledger(
        workspace: GoogleWorkspace, fake_google: FakeGoogle, gateway: Gateway, rollup_id: str) -> None:
    ledger = workspace.ledger()
    assert ledger.spreadsheet_id == rollup_id
    fake_google.reset_counters()
    ledger.put("draw:2021-12-13", "made")
    # the append answers 400 (no such tab), the tab is added hidden, the append is sent again
    assert dict(fake_google.counters) == {"sheets.spreadsheets.values.append": 2,
                                          "sheets.spreadsheets.batchUpdate": 1}
    assert GoogleLedger(gateway, rollup_id).entries() == {"draw:2021-12-13": "made"}


def test_a_value_longer_than_a_cell_spans_columns_and_reads_back_whole(
        gateway: Gateway, fake_google: FakeGoogle, rollup_id: str) -> None:
    # A 1,000-member draw is ~56,000 characters; Sheets refuses more than 50,000 in one cell.
    draw = '{"assignments": [' + ", ".join(f'["m{i}@example.com", "m{i + 1}@example.com"]' for i in range(2000)) + "]}"
    assert len(draw) > 50_000
    ledger = GoogleLedger(gateway, rollup_id)
    ledger.entries()
    ledger.put_many([("draw:2022-01-24", draw), ("empty", "")])
    assert GoogleLedger(gateway, rollup_id).entries() == {"draw:2022-01-24": draw, "empty": ""}
    row = sheets.read_ranges(gateway, rollup_id, ["'_ledger'!A2:D2"], what="t")[0][0]
    assert len(row) == 3 and all(len(part) <= 50_000 for part in row)

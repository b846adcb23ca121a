"""Fidelity of the fake to real Google: replay gspread's 83 recordings of Sheets v4 / Drive v3 against it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakegoogle import replay
from tests.fakegoogle.server import FakeGoogle

# The best reached (2026-12-04): every in-scope interaction matches (1316 of 1316). Raise these when the
# recordings grow or the scope widens; never lower them.
BEST_MATCHED = 1316
BEST_IN_SCOPE = 1316
OUT_OF_SCOPE = 210


@pytest.fixture(scope="module")
def results() -> Iterator[list[replay.CassetteResult]]:
    fake = FakeGoogle()
    fake.start()
    try:
        yield replay.replay_all(fake)
    finally:
        fake.stop()


def test_replay_match_rate_does_not_drop(results: list[replay.CassetteResult]) -> None:
    print("\n" + replay.table(results, verbose=True))
    matched, differs, out = replay.totals(results)
    assert len(results) == 83
    assert matched + differs + out == 1526
    assert matched / (matched + differs) >= BEST_MATCHED / BEST_IN_SCOPE
    assert matched >= BEST_MATCHED


def test_scope_does_not_grow(results: list[replay.CassetteResult]) -> None:
    _, _, out = replay.totals(results)
    assert out <= OUT_OF_SCOPE
    reasons = {o.where.split(" (")[0] for r in results for o in r.outcomes if o.verdict == replay.OUT}
    assert reasons <= {
        "Drive v2 / media upload",
        "export",
        "comments",
        "a file of the recording account that this replay did not create",
        "after an out-of-scope change",
    } | {w for w in reasons if w.startswith("files.list shows")}


def test_compare_finds_differences_and_maps_ids() -> None:
    ids = replay.IdMap()
    recorded = {
        "spreadsheetId": "REC_SHEET_ID_123456",
        "replies": [{"addSheet": {"properties": {"sheetId": 1877059582, "title": "a", "index": 1}}}],
        "spreadsheetUrl": "https://docs.google.com/spreadsheets/d/REC_SHEET_ID_123456/edit",
    }
    fake = {
        "spreadsheetId": "fake000001xxxxxxxx",
        "replies": [{"addSheet": {"properties": {"sheetId": 42, "title": "a", "index": 1}}}],
        "spreadsheetUrl": "https://docs.google.com/spreadsheets/d/fake000001xxxxxxxx/edit",
    }
    assert replay.compare(recorded, fake, ids) == []
    assert ids.get(1877059582) == 42
    # Once learned, an id must keep mapping to the same fake id.
    assert replay.compare({"sheetId": 1877059582}, {"sheetId": 43}, ids) != []
    assert replay.compare({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1]}, ids) == ["$.b: 1 items, Google 2"]
    assert replay.compare({"a": "x"}, {"a": "x", "extra": True}, ids) == ["$.extra: unexpected true"]
    assert replay.compare({"a": 1.5}, {"a": "1.5"}, ids) != []
    assert replay.compare({"modifiedTime": "2023"}, {"modifiedTime": "2026"}, ids) == []

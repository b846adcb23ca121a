"""The local ledger: append-only, latest value per key, survives a crash mid-write."""

from __future__ import annotations

from pathlib import Path

from gworkspace_reviews.adapters.local import LocalLedger


def test_latest_value_per_key_across_instances(tmp_path: Path) -> None:
    ledger = LocalLedger(tmp_path)
    assert ledger.entries() == {}
    ledger.put("draw:2021-12-13", '{"seed": "a"}')
    ledger.put("notice:2021-12-13", "sent")
    ledger.put("draw:2021-12-13", '{"seed": "b"}')
    assert LocalLedger(tmp_path).entries() == {"draw:2021-12-13": '{"seed": "b"}', "notice:2021-12-13": "sent"}
    assert ledger.path == tmp_path / ".gworkspace-reviews" / "ledger.jsonl"
    assert len(ledger.path.read_text().splitlines()) == 3  # appended, never rewritten


def test_a_truncated_last_line_is_ignored_and_not_glued_to_the_next(tmp_path: Path) -> None:
    ledger = LocalLedger(tmp_path)
    ledger.put("draw:2021-12-13", "kept")
    with open(ledger.path, "ab") as handle:
        handle.write(b'{"key": "draw:2021-12-27", "val')  # the process died here
    assert ledger.entries() == {"draw:2021-12-13": "kept"}
    ledger.put("draw:2021-12-27", "after the crash")
    assert ledger.entries() == {"draw:2021-12-13": "kept", "draw:2021-12-27": "after the crash"}


def test_unicode_and_newlines_in_values_round_trip(tmp_path: Path) -> None:
    ledger = LocalLedger(tmp_path)
    ledger.put("note", "Zoë's\nsecond line")
    assert LocalLedger(tmp_path).entries() == {"note": "Zoë's\nsecond line"}

"""End to end through the CLI on the embedded local workspace: the sample team, as people and cron use it."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from gworkspace_reviews.adapters.notify_log import LogNotifier
from gworkspace_reviews.config import load_config
from tests.cli.people import fill_doc, fill_sheet, header_cells, review_files, run, run_json

CYCLES = ["2021-12-13", "2021-12-27", "2022-01-10", "2022-01-24", "2022-01-31", "2022-02-07", "2022-02-14"]


@pytest.fixture()
def team(tmp_path: Path) -> Path:
    """A fresh sample team from `init`; returns its config path."""
    result = run(tmp_path / "unused.toml", "init", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    return tmp_path / "demo" / "reviews.toml"


def messages(config: Path) -> LogNotifier:
    return LogNotifier(config.parent / "review-workspace" / ".gworkspace-reviews" / "messages.log")


def test_init_output_loads_and_validates(team: Path) -> None:
    result = run(team, "check")
    assert result.exit_code == 0, result.output
    config = load_config(team)
    assert len(config.members) == 13 and len(config.managers) == 2
    assert all(m.email.endswith("@example.com") for m in config.members)
    again = run(team, "init", str(team.parent))
    assert again.exit_code == 2 and "already exists" in again.output


def test_weekly_provisions_announces_once_and_reruns_converge(team: Path) -> None:
    root = team.parent / "review-workspace"
    code, data = run_json(team, "weekly", "--cycle", "2021-12-13")
    assert code == 0, data
    assert data["due"] is True and data["seed"] == "Customer Support/2021-12-13"
    files = review_files(root, "2021-12-13")
    assert len(files) == 13  # one received review per member, in the owner's own folder
    config = load_config(team)
    by_folder = {m.name: m for m in config.members}
    pairs = set()
    for review in data["reviews"]:
        assert review["action"] == "created"
        path = Path(review["location"])
        owner = by_folder[path.parent.name]
        assert owner.email == review["owner"] and review["reviewer"] != review["owner"]
        assert path.suffix == (".docx" if owner.format == "doc" else ".xlsx")
        pairs.add((review["reviewer"], review["owner"]))
        if path.suffix == ".xlsx":
            header = header_cells(path)
            assert header["reviewer"] == config.name_of(review["reviewer"])
            assert header["case_owner"] == owner.name and header["cycle"] == "2021-12-13"
            assert header["case_id"] == review["case_id"]  # the suggested case from the export
    assert not any((o, r) in pairs for r, o in pairs)  # nobody swaps with their reviewer
    sent = messages(team).read()
    assert Counter(m.target for m in sent)["#customer-support-internal"] == 1
    assert len(sent) == 14  # the announcement and one DM per reviewer
    announcement = next(m.text for m in sent if m.target.startswith("#"))
    assert "Customer Support/2021-12-13" in announcement and "not a performance assessment" in announcement

    # cron fires twice: nothing new, nothing announced again
    code, again = run_json(team, "weekly", "--cycle", "2021-12-13")
    assert code == 0
    assert {r["action"] for r in again["reviews"]} == {"exists"}
    assert again["messages"]["sent"] == [] and len(review_files(root, "2021-12-13")) == 13
    assert len(messages(team).read()) == 14


def test_off_week_says_so(team: Path) -> None:
    result = run(team, "weekly", "--cycle", "2021-12-20")
    assert result.exit_code == 0 and "not a cycle week" in result.output
    code, data = run_json(team, "draw", "--cycle", "2021-12-22")
    assert code == 0 and data == {"cycle": "2021-12-20", "due": False, "recorded": False, "seed": None,
                                  "note": None, "assignments": [], "excluded": []}


def test_dry_run_creates_and_sends_nothing(team: Path) -> None:
    root = team.parent / "review-workspace"
    result = run(team, "weekly", "--cycle", "2021-12-13", "--dry-run")
    assert result.exit_code == 0
    assert "would create" in result.output and "would send 1 message" in result.output
    assert review_files(root, "2021-12-13") == [] and messages(team).read() == []


def test_consecutive_cycles_avoid_repeats_and_list_the_away(team: Path) -> None:
    history: list[set[tuple[str, str]]] = []
    for cycle in CYCLES:
        code, data = run_json(team, "weekly", "--cycle", cycle)
        assert code == 0, data
        pairs = {(r["reviewer"], r["owner"]) for r in data["reviews"]}
        reviewers = Counter(r for r, _ in pairs)
        owners = Counter(o for _, o in pairs)
        assert set(reviewers.values()) == {1} and set(owners.values()) == {1}
        assert all(r != o for r, o in pairs) and not any((o, r) in pairs for r, o in pairs)
        for past in history[-4:]:
            assert not pairs & past, cycle
        history.append(pairs)
        if cycle == "2021-12-27":  # the sample's member 6 is away 2021-12-20 .. 2022-01-02
            assert len(data["excluded"]) == 1 and "holiday" in data["excluded"][0]["reason"]
            assert len(pairs) == 12
        else:
            assert data["excluded"] == [] and len(pairs) == 13
    code, draw = run_json(team, "draw", "--cycle", "2021-12-27")
    assert draw["recorded"] is True and len(draw["assignments"]) == 12


def test_recorded_draw_survives_roster_change(team: Path) -> None:
    _, first = run_json(team, "weekly", "--cycle", "2021-12-13")
    text = team.read_text()
    # a member leaves the roster after the draw: the recorded draw is not silently redrawn
    config = load_config(team)
    leaver = config.members[-1]
    start = text.index(f'email = "{leaver.email}"')
    block_start = text.rindex("[[members]]", 0, start)
    team.write_text(text[:block_start])
    _code, draw = run_json(team, "draw", "--cycle", "2021-12-13")
    assert {(a["reviewer"], a["owner"]) for a in draw["assignments"]} == \
        {(r["reviewer"], r["owner"]) for r in first["reviews"]}


def test_partial_failure_names_the_missing_folder_and_does_the_rest(team: Path) -> None:
    root = team.parent / "review-workspace"
    config = load_config(team)
    victim = config.members[2]
    shutil.rmtree(root / victim.name)
    result = run(team, "weekly", "--cycle", "2021-12-13")
    assert result.exit_code == 1
    assert victim.email in result.output and victim.name in result.output and "folders sync" in result.output
    assert len(review_files(root, "2021-12-13")) == 12
    # the admin fixes it and cron runs again: only the missing review is made
    sync = run(team, "folders", "sync")
    assert sync.exit_code == 0 and "created" in sync.output
    code, data = run_json(team, "weekly", "--cycle", "2021-12-13")
    assert code == 0 and [r["action"] for r in data["reviews"]].count("created") == 1
    assert len(review_files(root, "2021-12-13")) == 13


def test_status_follows_answers_and_remind_notifies_once(team: Path) -> None:
    run(team, "weekly", "--cycle", "2021-12-13")
    code, data = run_json(team, "status", "--cycle", "2021-12-13")
    assert code == 0 and {r["state"] for r in data["reviews"]} == {"not_started"}
    sheets = [r for r in data["reviews"] if r["location"].endswith(".xlsx")]
    docs = [r for r in data["reviews"] if r["location"].endswith(".docx")]
    done, half, bad = sheets[0], sheets[1], sheets[2]
    fill_sheet(Path(done["location"]), ["Yes ", "y", "NO", "n/a", True, "yes", "no", "Y"],
               ["=HYPERLINK(\"x\")"] * 8)
    fill_sheet(Path(half["location"]), ["yes", None, "no"])
    fill_sheet(Path(bad["location"]), ["yes", "maybe"])
    fill_doc(Path(docs[0]["location"]), ["Yes"] * 8)
    code, data = run_json(team, "status", "--cycle", "2021-12-13")
    states = {r["location"]: r for r in data["reviews"]}
    assert states[done["location"]]["state"] == "complete"
    assert states[half["location"]]["state"] == "in_progress"
    assert states[bad["location"]]["state"] == "invalid" and states[bad["location"]]["invalid"] == ["maybe"]
    assert states[docs[0]["location"]]["state"] == "complete"

    before = len(messages(team).read())
    code, first = run_json(team, "--today", "2021-12-15", "remind")
    assert code == 0
    keys = [m["key"] for m in first["messages"]]
    assert sum(k.startswith("done:peer:") for k in keys) == 2  # both complete reviews: their owners are told
    assert sum(k.startswith("nudge:") for k in keys) == 11
    owner_note = [m for m in messages(team).read()[before:]
                  if m.target == done["owner"] and "finished the peer review" in m.text]
    assert len(owner_note) == 1 and done["location"] in owner_note[0].text
    code, second = run_json(team, "--today", "2021-12-15", "remind")
    assert second["messages"] == [] and second["sent"] == []  # same day: nothing twice


def test_monthly_two_self_reviews_avoiding_peer_cases(team: Path) -> None:
    run(team, "weekly", "--cycle", "2021-12-13")
    run(team, "weekly", "--cycle", "2021-12-27")
    code, peers = run_json(team, "status", "--month", "2021-12")
    peer_cases = {(r["owner"], r["case_id"]) for r in peers["reviews"] if r["case_id"]}
    code, data = run_json(team, "monthly", "--month", "2021-12")
    assert code == 0, data
    config = load_config(team)
    per_owner = Counter(r["owner"] for r in data["reviews"])
    assert set(per_owner) == {m.email for m in config.members} and set(per_owner.values()) == {2}
    picks = [r for r in data["reviews"] if r["slot"] == "manager-pick"]
    for pick in picks:
        assert pick["case_id"], pick  # the sample export has open cases for everyone
        assert (pick["owner"], pick["case_id"]) not in peer_cases
    assert all(r["case_id"] == "" for r in data["reviews"] if r["slot"] == "own-pick")
    root = team.parent / "review-workspace"
    assert len(list(root.glob("*/2021-12 self-review 1 (manager's pick).*"))) == 13
    code, again = run_json(team, "monthly", "--month", "2021-12")
    assert {r["action"] for r in again["reviews"]} == {"exists"} and again["messages"]["sent"] == []


def test_set_case_and_swap(team: Path) -> None:
    _, data = run_json(team, "weekly", "--cycle", "2021-12-13")
    review = next(r for r in data["reviews"] if r["location"].endswith(".xlsx"))
    result = run(team, "set-case", review["owner"], "CASE-42", "--cycle", "2021-12-15")
    assert result.exit_code == 0, result.output
    assert header_cells(Path(review["location"]))["case_id"] == "CASE-42"
    _, status = run_json(team, "status", "--cycle", "2021-12-13")
    assert next(r for r in status["reviews"] if r["location"] == review["location"])["case_id"] == "CASE-42"

    # swap a reviewer out for someone else in the draw: the untouched files follow
    old = review["reviewer"]
    other = next(r for r in data["reviews"] if old not in (r["reviewer"], r["owner"])
                 and review["owner"] not in (r["reviewer"], r["owner"]))
    result = run(team, "swap", old, other["reviewer"], "--cycle", "2021-12-13", "--yes")
    assert result.exit_code == 0, result.output
    _, draw = run_json(team, "draw", "--cycle", "2021-12-13")
    pairs = {(a["reviewer"], a["owner"]) for a in draw["assignments"]}
    assert (other["reviewer"], review["owner"]) in pairs and (old, review["owner"]) not in pairs
    _code, status = run_json(team, "status", "--cycle", "2021-12-13")
    assert {(r["reviewer"], r["owner"]) for r in status["reviews"]} == pairs
    moved = next(r for r in status["reviews"] if r["owner"] == review["owner"])
    assert header_cells(Path(moved["location"]))["reviewer"] == load_config(team).name_of(other["reviewer"])


def test_away_is_recorded_and_used(team: Path) -> None:
    config = load_config(team)
    who = config.members[0].email
    result = run(team, "away", who, "--from", "2022-01-05", "--to", "2022-01-14", "--reason", "conference")
    assert result.exit_code == 0, result.output
    _code, draw = run_json(team, "draw", "--cycle", "2022-01-10")
    assert draw["excluded"] == [{"email": who, "reason": draw["excluded"][0]["reason"]}]
    assert "conference" in draw["excluded"][0]["reason"]
    bad = run(team, "away", who, "--from", "2022-01-05", "--to", "2022-01-01")
    assert bad.exit_code == 2 and "before it starts" in bad.output


def test_bad_config_exits_2_without_traceback(tmp_path: Path) -> None:
    config = tmp_path / "reviews.toml"
    config.write_text("[team]\nname = 'x'\n[cadence]\nkickoff = 2021-12-14\nevry_weeks = 2\n")
    result = run(config, "weekly")
    assert result.exit_code == 2
    assert "cadence.kickoff" in result.output and "evry_weeks" in result.output
    assert "Traceback" not in result.output


def test_rollup_writes_the_kr1_spreadsheet(team: Path) -> None:
    import openpyxl

    run(team, "weekly", "--cycle", "2021-12-13")
    _, status = run_json(team, "status", "--cycle", "2021-12-13")
    sheets = [r for r in status["reviews"] if r["location"].endswith(".xlsx")]
    fill_sheet(Path(sheets[0]["location"]), ["yes"] * 7 + ["no"], ["=1+1"] * 8)
    fill_sheet(Path(sheets[1]["location"]), ["yes"] * 6 + ["n/a", "no"])
    code, data = run_json(team, "--today", "2021-12-23", "rollup")
    assert code == 0, data
    tests = {t["date"]: t for t in data["tests"]}
    assert list(tests) == ["2021-12-09", "2021-12-16", "2021-12-23"]
    assert tests["2021-12-09"]["yes_rate"] is None
    week = tests["2021-12-16"]
    assert (week["yes"], week["no"], week["na"]) == (13, 2, 1)
    assert week["yes_rate"] == pytest.approx(13 / 15) and week["met"] is False
    book = openpyxl.load_workbook(team.parent / "review-workspace" / "rollup.xlsx")
    assert {"KR1", "By criterion", "Coverage", "Needs attention"} <= set(book.sheetnames)
    assert book["KR1"]._charts, "the KR1 tab has its line chart"
    text = run(team, "--today", "2021-12-23", "rollup")
    assert text.exit_code == 0 and "KR1 latest test 2021-12-23" in text.output


def test_self_review_notices_reach_the_manager_then_the_member_once(team: Path) -> None:
    code, data = run_json(team, "monthly", "--month", "2021-12")
    assert code == 0
    config = load_config(team)
    review = next(r for r in data["reviews"] if r["slot"] == "manager-pick" and r["location"].endswith(".xlsx"))
    member = config.member(review["owner"])
    assert member is not None
    path = Path(review["location"])
    fill_sheet(path, ["yes"] * 8)
    # early January: the December self reviews are still followed up
    code, first = run_json(team, "--today", "2022-01-05", "remind")
    keys = [m["key"] for m in first["messages"]]
    assert sum(k.startswith("done:self:") for k in keys) == 1
    told = [m for m in messages(team).read() if m.target == member.manager and "completed a self review" in m.text]
    assert len(told) == 1
    fill_sheet(path, ["yes"] * 8, manager=["yes"] * 7 + ["no"])
    for _ in range(2):
        run_json(team, "--today", "2022-01-06", "remind")
    validated = [m for m in messages(team).read() if m.target == member.email and "validated" in m.text]
    assert len(validated) == 1 and str(path) in validated[0].text
    _, status = run_json(team, "status", "--month", "2021-12")
    mine = next(r for r in status["reviews"] if r["location"] == review["location"])
    assert mine["state"] == "complete" and mine["manager_state"] == "complete"

"""The jobs with Slack: the real slack_sdk WebClient against the loopback fake of the Slack Web API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gworkspace_reviews.config import load_config
from tests.cli.people import fill_sheet, run, run_json
from tests.fakeslack.server import FAKE_TOKEN, TEAM_CHANNEL, FakeSlack


@pytest.fixture()
def slack_team(tmp_path: Path, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample team with [slack] pointing at the fake; every member is a Slack user."""
    assert run(tmp_path / "x.toml", "init", str(tmp_path / "demo")).exit_code == 0
    config = tmp_path / "demo" / "reviews.toml"
    config.write_text(config.read_text().replace(
        '# [slack]\n# token_env = "SLACK_BOT_TOKEN"\n',
        f'[slack]\ntoken_env = "REVIEWS_SLACK_TOKEN"\nbase_url = "{fake_slack.base_url}"\n'))
    monkeypatch.setenv("REVIEWS_SLACK_TOKEN", FAKE_TOKEN)
    fake_slack.add_users(m.email for m in load_config(config).members)
    return config


def test_weekly_announces_and_dms_exactly_once(slack_team: Path, fake_slack: FakeSlack) -> None:
    code, data = run_json(slack_team, "weekly", "--cycle", "2021-12-13")
    assert code == 0, data
    posts = fake_slack.texts(TEAM_CHANNEL)
    assert len(posts) == 1
    assert "Peer reviews for the cycle of 2021-12-13" in posts[0] and "Customer Support/2021-12-13" in posts[0]
    config = load_config(slack_team)
    for review in data["reviews"]:
        dms = fake_slack.texts(review["reviewer"])
        assert len(dms) == 1 and review["location"] in dms[0]
        owner = config.member(review["owner"])
        assert owner is not None and owner.name in dms[0]
        if owner.feedback_url:
            assert owner.feedback_url in dms[0] and "welcomes technical comments" in dms[0]
    assert fake_slack.calls["chat.postMessage"] == 14
    code, again = run_json(slack_team, "weekly", "--cycle", "2021-12-13")
    assert code == 0 and again["messages"]["sent"] == []
    assert fake_slack.calls["chat.postMessage"] == 14


def test_a_failed_dm_is_reported_the_rest_done_and_the_rerun_sends_only_it(
        slack_team: Path, fake_slack: FakeSlack) -> None:
    config = load_config(slack_team)
    missing = config.members[4].email
    del fake_slack.users[missing]  # not in Slack (yet): users.lookupByEmail answers users_not_found
    code, data = run_json(slack_team, "weekly", "--cycle", "2021-12-13")
    assert code == 1
    assert [r["action"] for r in data["reviews"]] == ["created"] * 13  # provisioning is never lost
    failed = data["messages"]["failed"]
    assert len(failed) == 1 and missing in failed[0]["error"] and "users_not_found" in failed[0]["error"]
    assert fake_slack.calls["chat.postMessage"] == 13
    fake_slack.add_user(missing)
    code, again = run_json(slack_team, "weekly", "--cycle", "2021-12-13")
    assert code == 0 and again["messages"]["sent"] == [f"dm:peer:2021-12-13:{missing}"]
    assert fake_slack.calls["chat.postMessage"] == 14 and len(fake_slack.texts(missing)) == 1


def test_a_message_sent_before_a_crash_is_not_sent_again(slack_team: Path, fake_slack: FakeSlack) -> None:
    run_json(slack_team, "weekly", "--cycle", "2021-12-13")
    # As if the run died between posting and recording: the ledger says "pending" for every message.
    ledger = slack_team.parent / "review-workspace" / ".gworkspace-reviews" / "ledger.jsonl"
    entries = [json.loads(line) for line in ledger.read_text().splitlines()]
    keys = sorted({e["key"] for e in entries if e["value"] == "sent"})
    with ledger.open("a") as out:
        for key in keys:
            out.write(json.dumps({"key": key, "value": "pending"}) + "\n")
    code, again = run_json(slack_team, "weekly", "--cycle", "2021-12-13")
    assert code == 0 and again["messages"]["sent"] == [] and len(again["messages"]["already_sent"]) == 14
    assert fake_slack.calls["chat.postMessage"] == 14  # found in the channel's and DMs' history instead
    assert fake_slack.calls["conversations.history"] >= 14


def test_remind_tells_the_owner_once_on_slack(slack_team: Path, fake_slack: FakeSlack) -> None:
    _, data = run_json(slack_team, "weekly", "--cycle", "2021-12-13")
    review = next(r for r in data["reviews"] if r["location"].endswith(".xlsx"))
    fill_sheet(Path(review["location"]), ["yes"] * 8, case_id="CASE-7")
    for _ in range(2):
        code, _ = run_json(slack_team, "--today", "2021-12-15", "remind")
        assert code == 0
    done = [t for t in fake_slack.texts(review["owner"]) if "finished the peer review" in t]
    assert len(done) == 1 and review["location"] in done[0]


def test_missing_token_is_a_config_error(slack_team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVIEWS_SLACK_TOKEN")
    result = run(slack_team, "weekly", "--cycle", "2021-12-13")
    assert result.exit_code == 2 and "REVIEWS_SLACK_TOKEN is not set" in result.output
    assert not list((slack_team.parent / "review-workspace").glob("*/2021-12-13.*"))

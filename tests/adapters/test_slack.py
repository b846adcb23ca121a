"""SlackNotifier through the real slack_sdk WebClient against the loopback fake; LogNotifier on disk."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gworkspace_reviews.adapters.notify_log import LoggedMessage, LogNotifier
from gworkspace_reviews.adapters.slack import NotifyError, SlackNotifier
from gworkspace_reviews.errors import ReviewsError
from gworkspace_reviews.ports import Notifier
from tests.fakeslack.server import (
    FAKE_TOKEN,
    OTHER_CHANNEL,
    TEAM_CHANNEL,
    TEAM_CHANNEL_ID,
    FakeSlack,
    Message,
)

pytest_plugins = ["tests.fakeslack.fixtures"]

ANNOUNCE = "*Peer reviews for 2021-12-13*\n• Ada -> <https://drive.example/f/1|Grace's review>\nseed: 42"


class Sleeps(list[float]):
    """Records the waits the retry policy asks for instead of sleeping (tests never wait on a clock)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def notifier(fake: FakeSlack, sleeps: Sleeps | None = None, **kwargs: object) -> SlackNotifier:
    """A SlackNotifier on the fake whose backoff is recorded, not slept."""
    return SlackNotifier(
        FAKE_TOKEN,
        base_url=fake.base_url,
        token_env="SLACK_BOT_TOKEN",
        sleep=sleeps if sleeps is not None else Sleeps(),
        **kwargs,  # type: ignore[arg-type]
    )


def test_both_notifiers_satisfy_the_port(tmp_path: Path, fake_slack: FakeSlack) -> None:
    ports: list[Notifier] = [notifier(fake_slack), LogNotifier(tmp_path / "messages.log")]
    assert len(ports) == 2


def test_channel_post_is_sent_once_as_mrkdwn_without_unfurls(fake_slack: FakeSlack) -> None:
    notifier(fake_slack).post_channel(TEAM_CHANNEL, ANNOUNCE)
    assert fake_slack.texts(TEAM_CHANNEL) == [ANNOUNCE]
    assert fake_slack.calls == {"chat.postMessage": 1}
    params = fake_slack.messages[0].params
    assert (params["mrkdwn"], params["unfurl_links"], params["unfurl_media"]) == (True, False, False)


def test_dm_by_email_looks_up_and_opens_once_per_person(fake_slack: FakeSlack) -> None:
    n = notifier(fake_slack)
    n.direct("ada@example.com", None, "Your review of Grace: <https://drive.example/f/1|open>")
    n.direct("ada@example.com", None, "Reminder: it is not complete yet")
    n.direct("grace@example.com", None, "Ada reviews your case")
    assert fake_slack.texts("ada@example.com") == [
        "Your review of Grace: <https://drive.example/f/1|open>",
        "Reminder: it is not complete yet",
    ]
    assert fake_slack.texts("grace@example.com") == ["Ada reviews your case"]
    assert fake_slack.calls == {"users.lookupByEmail": 2, "conversations.open": 2, "chat.postMessage": 3}


def test_dm_by_slack_id_skips_the_lookup(fake_slack: FakeSlack) -> None:
    uid = fake_slack.users["alan@example.com"]
    notifier(fake_slack).direct("alan@example.com", uid, "hi Alan")
    assert fake_slack.texts(uid) == ["hi Alan"]
    assert fake_slack.calls == {"conversations.open": 1, "chat.postMessage": 1}
    assert fake_slack.requests[0].params["users"] == uid


@pytest.mark.parametrize(
    ("kind", "expected_waits"),
    [("429", [1.0, 1.0]), ("500", [0.5, 1.0]), ("internal_error", [0.5, 1.0]), ("drop", [0.5, 1.0])],
)
def test_transient_failures_are_retried_then_sent_once(
    fake_slack: FakeSlack, kind: str, expected_waits: list[float]
) -> None:
    fake_slack.fail("chat.postMessage", kind, times=2, retry_after=1)
    sleeps = Sleeps()
    notifier(fake_slack, sleeps).post_channel(TEAM_CHANNEL, "announce")
    assert fake_slack.texts(TEAM_CHANNEL) == ["announce"]
    assert fake_slack.calls["chat.postMessage"] == 3
    if kind == "429":
        assert sleeps == expected_waits  # Retry-After honoured exactly
    else:
        # Exponential backoff (0.5 s, 1 s, ...) plus up to 1 s of jitter.
        assert len(sleeps) == 2 and all(w <= s < w + 1 for s, w in zip(sleeps, expected_waits, strict=True))


def test_retry_after_is_capped(fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postMessage", "429", retry_after=3600)
    sleeps = Sleeps()
    notifier(fake_slack, sleeps, max_wait=5.0).post_channel(TEAM_CHANNEL, "x")
    assert sleeps == [5.0]
    assert len(fake_slack.messages) == 1


@pytest.mark.parametrize(
    ("kind", "code"), [("429", "ratelimited"), ("500", "http_500"), ("drop", "connection_error")]
)
def test_retries_stop_at_the_cap_with_an_actionable_error(
    fake_slack: FakeSlack, kind: str, code: str
) -> None:
    fake_slack.fail("chat.postMessage", kind, times=10)
    with pytest.raises(NotifyError) as e:
        notifier(fake_slack, max_retries=3).post_channel(TEAM_CHANNEL, "x")
    assert fake_slack.calls["chat.postMessage"] == 4
    assert fake_slack.messages == []
    assert isinstance(e.value, ReviewsError)
    assert e.value.code == code
    message = str(e.value)
    assert TEAM_CHANNEL in message and code in message
    assert "4 attempt(s)" in message and "rerun later" in message


def test_dm_retries_each_step_within_the_cap(fake_slack: FakeSlack) -> None:
    fake_slack.fail("users.lookupByEmail", "429")
    fake_slack.fail("conversations.open", "500")
    notifier(fake_slack, max_retries=1).direct("ada@example.com", None, "hello")
    assert fake_slack.calls == {"users.lookupByEmail": 2, "conversations.open": 2, "chat.postMessage": 1}
    assert fake_slack.texts("ada@example.com") == ["hello"]


def test_not_in_channel_says_to_invite_the_bot_and_is_not_retried(fake_slack: FakeSlack) -> None:
    with pytest.raises(NotifyError) as e:
        notifier(fake_slack).post_channel(OTHER_CHANNEL, "x")
    assert e.value.code == "not_in_channel"
    assert "Invite the bot to #general" in str(e.value)
    assert fake_slack.calls == {"chat.postMessage": 1}


def test_unknown_channel_names_the_config_key(fake_slack: FakeSlack) -> None:
    with pytest.raises(NotifyError) as e:
        notifier(fake_slack).post_channel("#customer-support-typo", "x")
    assert e.value.code == "channel_not_found"
    assert "#customer-support-typo" in str(e.value) and "[team] channel" in str(e.value)


def test_unknown_email_names_the_person_and_the_roster_fix(fake_slack: FakeSlack) -> None:
    with pytest.raises(NotifyError) as e:
        notifier(fake_slack).direct("nobody@example.com", None, "x")
    assert e.value.code == "users_not_found"
    assert "nobody@example.com" in str(e.value) and 'slack = "U..."' in str(e.value)
    assert "users:read.email" in str(e.value)
    assert fake_slack.calls == {"users.lookupByEmail": 1}


def test_wrong_base_url_is_not_retried_and_says_so(fake_slack: FakeSlack) -> None:
    wrong = SlackNotifier(FAKE_TOKEN, base_url=fake_slack.base_url.replace("/api/", "/v2/"), sleep=Sleeps())
    with pytest.raises(NotifyError) as e:
        wrong.post_channel(TEAM_CHANNEL, "x")
    assert e.value.code == "http_404"
    assert "base URL" in str(e.value)
    assert fake_slack.calls == {}


def test_missing_scope_lists_the_scopes(fake_slack: FakeSlack) -> None:
    fake_slack.fail("conversations.open", "missing_scope")
    with pytest.raises(NotifyError) as e:
        notifier(fake_slack).direct("ada@example.com", None, "x")
    assert e.value.code == "missing_scope"
    assert all(s in str(e.value) for s in ("chat:write", "im:write", "users:read.email", "channels:history"))


def test_bad_token_names_the_env_var_and_never_leaks_a_token(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "xoxb-1234-very-secret-wrong-token"
    caplog.set_level(logging.DEBUG)  # slack_sdk's own debug logging included
    bad = SlackNotifier(wrong, base_url=fake_slack.base_url, token_env="SLACK_BOT_TOKEN", sleep=Sleeps())
    with pytest.raises(NotifyError) as dm:
        bad.direct("ada@example.com", None, "x")
    with pytest.raises(NotifyError) as post:
        bad.post_channel(TEAM_CHANNEL, "x")
    fake_slack.fail("chat.postMessage", "drop", times=4)
    with pytest.raises(NotifyError) as dropped:
        notifier(fake_slack).post_channel(TEAM_CHANNEL, "x")
    errors = [dm.value, post.value, dropped.value]
    assert [e.code for e in errors] == ["invalid_auth", "invalid_auth", "connection_error"]
    assert "SLACK_BOT_TOKEN" in str(errors[0]) and "ada@example.com" in str(errors[0])
    for secret in (wrong, FAKE_TOKEN):
        assert all(secret not in str(e) and secret not in repr(vars(e)) for e in errors)
        assert secret not in caplog.text


def test_find_in_history_by_id_and_by_name(fake_slack: FakeSlack) -> None:
    n = notifier(fake_slack)
    n.post_channel(TEAM_CHANNEL, "Peer reviews for 2021-12-13 [gwr:peer:2021-12-13]")
    assert n.find_in_history(TEAM_CHANNEL_ID, "[gwr:peer:2021-12-13]")
    assert not n.find_in_history(TEAM_CHANNEL_ID, "[gwr:peer:2021-12-27]")
    # A fresh notifier (a rerun after a crash) knows only the name: resolved once via conversations.list.
    rerun = notifier(fake_slack)
    assert rerun.find_in_history(TEAM_CHANNEL, "[gwr:peer:2021-12-13]")
    assert rerun.find_in_history(TEAM_CHANNEL, "gwr:peer")
    assert fake_slack.calls["conversations.list"] == 1
    later = datetime.fromtimestamp(float(fake_slack.messages[-1].ts), UTC) + timedelta(seconds=1)
    assert not rerun.find_in_history(TEAM_CHANNEL, "[gwr:peer:2021-12-13]", since=later)


def test_find_in_history_pages_through_a_busy_channel(fake_slack: FakeSlack) -> None:
    n = notifier(fake_slack)
    n.post_channel(TEAM_CHANNEL_ID, "old announcement [gwr:peer:2021-12-13]")
    # Newer chatter than one page holds: the marker is only on the second page.
    fake_slack.messages.extend(Message(TEAM_CHANNEL_ID, f"chatter {i}", f"{2e9 + i:.6f}") for i in range(250))
    before = fake_slack.calls["conversations.history"]
    assert n.find_in_history(TEAM_CHANNEL_ID, "[gwr:peer:2021-12-13]")
    assert fake_slack.calls["conversations.history"] - before == 2


def test_find_in_history_errors_are_actionable(fake_slack: FakeSlack) -> None:
    n = notifier(fake_slack)
    with pytest.raises(NotifyError) as e:
        n.find_in_history(OTHER_CHANNEL, "m")
    assert e.value.code == "not_in_channel"
    with pytest.raises(NotifyError) as e:
        n.find_in_history("#no-such-channel", "m")
    assert e.value.code == "channel_not_found"


def test_log_notifier_round_trip(tmp_path: Path) -> None:
    path = tmp_path / ".gworkspace-reviews" / "messages.log"
    clock = iter(datetime(2021, 12, 13, 9, m, tzinfo=UTC) for m in range(10))
    log = LogNotifier(path, now=lambda: next(clock))
    tricky = "line one\n\n    indented --- not a header\n--- looks like a header\r\nend [gwr:peer:2021-12-13]"
    log.post_channel(TEAM_CHANNEL, ANNOUNCE)
    log.direct("ada@example.com", None, tricky)
    log.direct("grace@example.com", "U0GRACE01", "short")
    assert [m.target for m in log.sent] == [TEAM_CHANNEL, "ada@example.com", "grace@example.com"]
    again = LogNotifier(path)
    assert again.read() == log.sent
    assert again.read()[1] == LoggedMessage(
        datetime(2021, 12, 13, 9, 1, tzinfo=UTC), "ada@example.com", tricky
    )
    assert again.sent == []
    text = path.read_text(encoding="utf-8")
    assert (
        "--- 2021-12-13T09:00:00+00:00 to #customer-support-internal\n    *Peer reviews for 2021-12-13*\n"
        in text
    )
    assert again.find_in_history("ada@example.com", "[gwr:peer:2021-12-13]")
    assert not again.find_in_history(TEAM_CHANNEL, "[gwr:peer:2021-12-13]")
    assert again.find_in_history(TEAM_CHANNEL, "seed: 42")
    assert not again.find_in_history(TEAM_CHANNEL, "seed: 42", since=datetime(2021, 12, 13, 9, 1, tzinfo=UTC))


def test_log_notifier_without_a_file_has_no_history(tmp_path: Path) -> None:
    log = LogNotifier(tmp_path / "none" / "messages.log")
    assert log.read() == []
    assert not log.find_in_history(TEAM_CHANNEL, "x")
    assert not (tmp_path / "none").exists()

"""The fake answers like Slack, both to raw HTTP and to the real slack_sdk WebClient."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakeslack.server import FAKE_TOKEN, TEAM_CHANNEL, TEAM_CHANNEL_ID, FakeSlack

pytest_plugins = ["tests.fakeslack.fixtures"]


def raw(
    fake: FakeSlack,
    method: str,
    params: dict[str, Any],
    *,
    token: str | None = FAKE_TOKEN,
    as_json: bool = False,
) -> tuple[int, dict[str, str], Any]:
    """POST to the fake without slack_sdk: (status, headers, parsed JSON body or raw text)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if as_json:
        body = json.dumps(params).encode()
        headers["Content-Type"] = "application/json; charset=utf-8"
    else:
        body = urllib.parse.urlencode(params).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(fake.base_url + method, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            status, hdrs, data = resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        status, hdrs, data = e.code, dict(e.headers), e.read()
    try:
        return status, hdrs, json.loads(data)
    except ValueError:
        return status, hdrs, data.decode()


def client(fake: FakeSlack, token: str = FAKE_TOKEN) -> WebClient:
    """A real WebClient pointed at the fake, with no retries (so faults surface as they are)."""
    return WebClient(token=token, base_url=fake.base_url, retry_handlers=[])


def test_start_returns_a_slack_sdk_base_url(fake_slack: FakeSlack) -> None:
    assert fake_slack.base_url.startswith("http://127.0.0.1:")
    assert fake_slack.base_url.endswith("/api/")
    assert client(fake_slack).auth_test()["user_id"] == fake_slack.bot_user


def test_bearer_token_is_checked(fake_slack: FakeSlack) -> None:
    assert raw(fake_slack, "auth.test", {}, token="xoxb-wrong")[2] == {"ok": False, "error": "invalid_auth"}
    assert raw(fake_slack, "auth.test", {}, token=None)[2] == {"ok": False, "error": "not_authed"}
    # Slack also takes the token as a form parameter.
    assert raw(fake_slack, "auth.test", {"token": FAKE_TOKEN}, token=None)[2]["ok"] is True
    with pytest.raises(SlackApiError) as e:
        client(fake_slack, "xoxb-wrong").auth_test()
    assert e.value.response["error"] == "invalid_auth"
    assert fake_slack.calls["auth.test"] == 4


def test_api_errors_are_http_200_with_ok_false(fake_slack: FakeSlack) -> None:
    status, _, body = raw(fake_slack, "chat.postMessage", {"channel": "#nope", "text": "hi"})
    assert (status, body) == (200, {"ok": False, "error": "channel_not_found"})
    assert (
        raw(fake_slack, "chat.postMessage", {"channel": "#general", "text": "hi"})[2]["error"]
        == "not_in_channel"
    )
    assert raw(fake_slack, "chat.postMessage", {"channel": TEAM_CHANNEL})[2]["error"] == "no_text"
    assert raw(fake_slack, "chat.postMessage", {"text": "hi"})[2]["error"] == "channel_not_found"
    assert raw(fake_slack, "users.lookupByEmail", {})[2]["error"] == "invalid_arguments"
    assert raw(fake_slack, "no.suchMethod", {})[2]["error"] == "unknown_method"
    assert fake_slack.messages == []


def test_post_by_name_or_id_with_json_and_form_bodies(fake_slack: FakeSlack) -> None:
    sent = client(fake_slack).chat_postMessage(channel=TEAM_CHANNEL, text="*json* body", unfurl_links=False)
    assert sent["channel"] == TEAM_CHANNEL_ID
    raw(fake_slack, "chat.postMessage", {"channel": TEAM_CHANNEL_ID, "text": "form body"})
    raw(
        fake_slack,
        "chat.postMessage",
        {"channel": "customer-support-internal", "text": "bare name"},
        as_json=True,
    )
    assert fake_slack.texts(TEAM_CHANNEL) == ["*json* body", "form body", "bare name"]
    types = [c.content_type for c in fake_slack.requests]
    assert types == ["application/json", "application/x-www-form-urlencoded", "application/json"]
    assert fake_slack.messages[0].params["unfurl_links"] is False
    assert fake_slack.messages[0].ts < fake_slack.messages[1].ts < fake_slack.messages[2].ts


def test_lookup_open_and_dm(fake_slack: FakeSlack) -> None:
    c = client(fake_slack)
    uid = c.users_lookupByEmail(email="ada@example.com")["user"]["id"]
    assert uid == fake_slack.users["ada@example.com"]
    with pytest.raises(SlackApiError) as e:
        c.users_lookupByEmail(email="nobody@example.com")
    assert e.value.response["error"] == "users_not_found"
    first = c.conversations_open(users=uid)
    again = c.conversations_open(users=uid)
    assert first["channel"]["id"] == again["channel"]["id"]
    assert again["already_open"] is True
    c.chat_postMessage(channel=first["channel"]["id"], text="hello Ada")
    assert fake_slack.texts("ada@example.com") == ["hello Ada"]
    assert fake_slack.texts(uid) == ["hello Ada"]
    assert fake_slack.texts(TEAM_CHANNEL) == []
    with pytest.raises(SlackApiError) as e:
        c.conversations_open(users="U0NOBODY1")
    assert e.value.response["error"] == "user_not_found"


def test_history_newest_first_with_limit_oldest_and_cursor(fake_slack: FakeSlack) -> None:
    c = client(fake_slack)
    ts = [c.chat_postMessage(channel=TEAM_CHANNEL_ID, text=f"m{i}")["ts"] for i in range(5)]
    page = c.conversations_history(channel=TEAM_CHANNEL_ID, limit=2)
    assert [m["text"] for m in page["messages"]] == ["m4", "m3"]
    assert page["has_more"] is True
    cursor = page["response_metadata"]["next_cursor"]
    rest = c.conversations_history(channel=TEAM_CHANNEL_ID, limit=10, cursor=cursor)
    assert [m["text"] for m in rest["messages"]] == ["m2", "m1", "m0"]
    assert rest["response_metadata"]["next_cursor"] == ""
    newer = c.conversations_history(channel=TEAM_CHANNEL_ID, oldest=ts[2])
    assert [m["text"] for m in newer["messages"]] == ["m4", "m3"]
    with pytest.raises(SlackApiError) as e:
        c.conversations_history(channel="#customer-support-internal")  # history takes ids only, like Slack
    assert e.value.response["error"] == "channel_not_found"


def test_list_shows_public_channels_and_private_ones_the_bot_is_in(fake_slack: FakeSlack) -> None:
    fake_slack.add_channel("secret", private=True, member=False)
    mine = fake_slack.add_channel("managers", private=True, member=True)
    listed = client(fake_slack).conversations_list(types="public_channel,private_channel")["channels"]
    names = {ch["name"]: ch for ch in listed}
    assert set(names) == {"customer-support-internal", "general", "managers"}
    assert names["general"]["is_member"] is False
    assert names["managers"]["id"] == mine


def test_fault_429_has_retry_after_then_clears(fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postMessage", "429", times=1, retry_after=7)
    status, headers, body = raw(fake_slack, "chat.postMessage", {"channel": TEAM_CHANNEL, "text": "x"})
    assert (status, headers["Retry-After"], body["error"]) == (429, "7", "ratelimited")
    assert raw(fake_slack, "chat.postMessage", {"channel": TEAM_CHANNEL, "text": "x"})[0] == 200
    assert fake_slack.calls["chat.postMessage"] == 2
    assert len(fake_slack.messages) == 1


def test_fault_500_error_code_and_drop(fake_slack: FakeSlack) -> None:
    fake_slack.fail("auth.test", "500")
    fake_slack.fail("auth.test", "internal_error")
    fake_slack.fail("auth.test", "drop")
    status, _, body = raw(fake_slack, "auth.test", {})
    assert status == 500 and "Server Error" in body
    status, _, body = raw(fake_slack, "auth.test", {})
    assert (status, body) == (200, {"ok": False, "error": "internal_error"})
    with pytest.raises(http.client.RemoteDisconnected):
        raw(fake_slack, "auth.test", {})
    assert raw(fake_slack, "auth.test", {})[2]["ok"] is True
    assert fake_slack.calls["auth.test"] == 4


def test_faults_only_hit_their_method(fake_slack: FakeSlack) -> None:
    fake_slack.fail("users.lookupByEmail", "ratelimited", times=2)
    assert raw(fake_slack, "auth.test", {})[2]["ok"] is True
    assert raw(fake_slack, "users.lookupByEmail", {"email": "ada@example.com"})[2]["error"] == "ratelimited"
    assert raw(fake_slack, "users.lookupByEmail", {"email": "ada@example.com"})[2]["error"] == "ratelimited"
    assert raw(fake_slack, "users.lookupByEmail", {"email": "ada@example.com"})[2]["ok"] is True


def test_stop_releases_the_port() -> None:
    fake = FakeSlack()
    url = fake.start()
    fake.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "auth.test", data=b"", timeout=2)

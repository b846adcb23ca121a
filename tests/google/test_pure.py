"""The pure parts of the Google adapter: failure classification, retry decisions, rate limiting, tags, parsing."""

from __future__ import annotations

import json

import httplib2
import pytest
import requests
from googleapiclient.errors import HttpError

from gworkspace_reviews.adapters.google import docs, tags
from gworkspace_reviews.adapters.google.apierrors import classify, parse_retry_after, project_error
from gworkspace_reviews.adapters.google.ratelimit import TokenBucket
from gworkspace_reviews.adapters.google.retry import RetryPolicy
from gworkspace_reviews.adapters.google.workspace import rollup_requests
from gworkspace_reviews.domain.models import Chart, ReviewKey, Tab
from gworkspace_reviews.errors import TransientError
from tests.google.conftest import FakeTime


def http_error(status: int, reason: str = "", headers: dict[str, str] | None = None) -> HttpError:
    body = {"error": {"code": status, "message": f"m{status}", "errors": [{"reason": reason, "message": "x"}]}}
    resp = httplib2.Response({"status": str(status), **(headers or {})})
    return HttpError(resp, json.dumps(body).encode())


def requests_error(status: int, reason: str = "") -> requests.HTTPError:
    """The shape gspread's APIError and requests' HTTPError share: a requests.Response on ``.response``."""
    resp = requests.Response()
    resp.status_code = status
    resp._content = json.dumps({"error": {"code": status, "message": "m",
                                          "errors": [{"reason": reason}]}}).encode()
    resp.headers["Retry-After"] = "7"
    return requests.HTTPError(response=resp)


@pytest.mark.parametrize(("status", "reason", "retry"), [
    (429, "rateLimitExceeded", True), (500, "backendError", True), (502, "", True), (503, "", True),
    (504, "", True), (403, "rateLimitExceeded", True), (403, "userRateLimitExceeded", True),
    (403, "storageQuotaExceeded", False), (403, "insufficientFilePermissions", False), (404, "notFound", False),
    (400, "badRequest", False), (401, "authError", False),
])
def test_retry_decisions_for_both_clients(status: int, reason: str, retry: bool) -> None:
    for exc in (http_error(status, reason), requests_error(status, reason)):
        failure = classify(exc)
        assert failure is not None
        assert (failure.status, failure.reason, failure.retryable) == (status, reason, retry)


def test_dropped_connections_are_retryable_and_bugs_are_not_classified() -> None:
    for exc in (ConnectionResetError("reset"), requests.exceptions.ConnectionError("aborted"),
                requests.exceptions.ReadTimeout("slow"), TimeoutError()):
        failure = classify(exc)
        assert failure is not None and failure.status is None and failure.retryable
    assert classify(KeyError("x")) is None


def test_retry_after_header_is_read() -> None:
    assert classify(http_error(429, "rateLimitExceeded", {"retry-after": "12"})).retry_after == 12.0  # type: ignore[union-attr]
    assert classify(requests_error(503)).retry_after == 7.0  # type: ignore[union-attr]
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: go now
    assert parse_retry_after("soon") is None


def test_policy_backs_off_exponentially_with_cap_and_honours_retry_after() -> None:
    t = FakeTime()
    policy = RetryPolicy(10, 1000, base=1, cap=8, sleep=t.sleep, clock=t.clock, rng=lambda: 1.0)
    failures = iter([http_error(503)] * 5 + [http_error(429, "rateLimitExceeded", {"retry-after": "30"})])

    def call() -> str:
        exc = next(failures, None)
        if exc:
            raise exc
        return "done"

    assert policy.run(call, "test call") == "done"
    assert t.sleeps == [1, 2, 4, 8, 8, 30]


def test_policy_gives_up_at_the_attempt_cap_naming_the_file() -> None:
    t = FakeTime()
    policy = RetryPolicy(3, 1000, sleep=t.sleep, clock=t.clock, rng=lambda: 0.0)
    calls = []

    def call() -> None:
        calls.append(1)
        raise http_error(503, "backendError")

    with pytest.raises(TransientError, match=r"copying 2021-12-13 for ada.*3 attempt"):
        policy.run(call, "copying 2021-12-13 for ada")
    assert len(calls) == 3 and len(t.sleeps) == 2


def test_policy_gives_up_when_the_next_wait_would_pass_the_time_budget() -> None:
    t = FakeTime()
    policy = RetryPolicy(100, 10, sleep=t.sleep, clock=t.clock, rng=lambda: 1.0)
    with pytest.raises(TransientError, match="max_retry_seconds=10"):
        policy.run(lambda: (_ for _ in ()).throw(http_error(429, "rateLimitExceeded", {"retry-after": "60"})), "x")
    assert t.sleeps == []  # a 60 s Retry-After does not fit a 10 s budget: stop at once


def test_other_errors_propagate_at_once() -> None:
    t = FakeTime()
    policy = RetryPolicy(5, 100, sleep=t.sleep, clock=t.clock)
    with pytest.raises(HttpError):
        policy.run(lambda: (_ for _ in ()).throw(http_error(404, "notFound")), "x")
    assert t.sleeps == []


def test_token_bucket_keeps_any_minute_under_the_quota() -> None:
    t = FakeTime()
    bucket = TokenBucket(60, clock=t.clock, sleep=t.sleep)
    stamps = []
    for _ in range(300):
        bucket.acquire()
        stamps.append(t.now)
    worst = max(sum(1 for s in stamps if start <= s < start + 60) for start in stamps)
    assert worst <= 60
    assert stamps[bucket.burst - 1] == stamps[0]  # the burst goes out at once
    assert stamps[-1] - stamps[0] == pytest.approx((300 - bucket.burst) / bucket.rate)


def test_project_errors_name_the_id_the_fix_and_the_account() -> None:
    sa = "bot@p.iam.gserviceaccount.com"
    quota = project_error(classify(http_error(403, "storageQuotaExceeded")), "copying", "folder F", sa)  # type: ignore[arg-type]
    assert "shared drive" in str(quota) and "Content manager" in str(quota) and "google.subject" in str(quota)
    denied = project_error(classify(http_error(403, "insufficientFilePermissions")), "copying", "folder F", sa)  # type: ignore[arg-type]
    assert f"Share folder F with {sa}" in str(denied)
    missing = project_error(classify(http_error(404, "notFound")), "reading", "file X", sa)  # type: ignore[arg-type]
    assert f"file X was not found: the id is wrong or not shared with {sa}" in str(missing)


def test_tags_fit_drive_limit_and_long_values_round_trip() -> None:
    long_email = "a" * 150 + "@example.com"
    key = ReviewKey("peer", "2021-12-13", long_email, "ada@example.com")
    encoded = tags.encode(key, "CASE-1")
    assert all(len(k.encode()) + len(v.encode()) <= 124 for k, v in encoded.app_properties.items())
    assert encoded.app_properties["reviewer"].startswith("h:") and encoded.description
    assert tags.decode(encoded.app_properties, encoded.description) == (key, "CASE-1")
    assert "slot" not in encoded.app_properties  # empty values are left out
    assert tags.has_tag("reviewer", long_email) == (
        f"appProperties has {{ key='reviewer' and value='{encoded.app_properties['reviewer']}' }}")


def test_queries_match_drive_syntax() -> None:
    assert tags.reviews_query("peer", "2021-12-13") == (
        "appProperties has { key='kind' and value='peer' } and "
        "appProperties has { key='period' and value='2021-12-13' } and trashed = false")
    assert tags.reviews_query(None).startswith("(appProperties has { key='kind' and value='peer' } or ")
    assert tags.quote("O'Brien \\ x") == "'O\\'Brien \\\\ x'"


def _para(start: int, text: str) -> dict:
    return {"startIndex": start, "endIndex": start + len(text),
            "paragraph": {"elements": [{"startIndex": start, "endIndex": start + len(text),
                                        "textRun": {"content": text, "textStyle": {}}}]}}


def _table(rows: list[list[str]]) -> dict:
    return {"startIndex": 100, "endIndex": 200, "table": {"rows": len(rows), "columns": len(rows[0]), "tableRows": [
        {"tableCells": [{"content": [_para(0, c + "\n")]} for c in row]} for row in rows]}}


# Shaped as Docs v1 documents.get returns it: body.content of sectionBreak, paragraphs and a table.
HAND_WRITTEN_DOC = {"documentId": "d1", "title": "2021-12-13", "body": {"content": [
    {"startIndex": 0, "endIndex": 1, "sectionBreak": {"sectionStyle": {}}},
    _para(1, "Peer review\n"),
    _para(13, "Case ID: 4711\n"),
    _para(27, "Reviewer: {{reviewer}}\n"),
    _para(50, "Case owner: Ada Lovelace\n"),
    _table([["Criterion", "Answer", "Comments"], ["Impact?", "Yes", "clear goal"], ["Context?", "", ""],
            ["", "", ""]]),
    _para(201, "\n"),
]}}


def test_docs_rubric_and_header_are_parsed_from_documents_get_json() -> None:
    content = docs.parse_content(HAND_WRITTEN_DOC, "peer")
    assert content is not None
    assert [(r.criterion, r.answer, r.comment) for r in content.rows] == [
        ("Impact?", "Yes", "clear goal"), ("Context?", None, "")]
    assert content.header == {"case_id": "4711", "reviewer": None, "case_owner": "Ada Lovelace", "cycle": None}
    assert docs.missing_placeholders(HAND_WRITTEN_DOC) == ["{{case_id}}", "{{case_owner}}", "{{cycle}}"]
    assert docs.parse_content(HAND_WRITTEN_DOC, "self") is None  # no Manager answer | Manager comments columns


def test_rollup_batch_chooses_new_sheet_ids_and_keeps_the_ledger_untouched() -> None:
    tabs = [Tab("KR1", (("date", "yes_rate"), ("2021-12-09", 0.9), (), ("2021-12-09", 0.9)),
                chart=Chart("t", 0, (1,), 3, 4)), Tab("Criteria", (("criterion",),))]
    requests_, values = rollup_requests(tabs, [(0, "Sheet1")], {0, 77})
    kinds = [next(iter(r)) for r in requests_]
    assert kinds == ["updateSheetProperties", "addSheet", "addSheet", "deleteSheet", "addChart"]
    new_ids = [r["addSheet"]["properties"]["sheetId"] for r in requests_ if "addSheet" in r]
    assert new_ids == [78, 79]
    chart = requests_[-1]["addChart"]["chart"]["spec"]["basicChart"]
    assert chart["series"][0]["series"]["sourceRange"]["sources"][0]["sheetId"] == 78
    assert values["'KR1'!A1"][2] == [] and values["'Criteria'!A1"] == [["criterion"]]

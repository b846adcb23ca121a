"""Replay gspread's recordings of the real Google APIs against the fake and measure how faithfully it answers.

Each vcrpy cassette in /work/shared/google-recordings/gspread/ is sent, request by request, over HTTP to a
running FakeGoogle (hosts rewritten, a token the fake issued). Ids that recorded responses introduce
(spreadsheet and file ids, sheetIds, namedRangeIds, protectedRangeIds, chartIds) are mapped to the ones the
fake returns and substituted in later requests. An interaction then counts as:

- matched: same status, and the same JSON body once ids are mapped and timestamps (createdTime, modifiedTime)
  and key order are ignored; for errors, the same ``error.code``, ``error.status`` and ``error.message``
  (``errors[]`` and ``details[]`` are not compared);
- differs: anything else, with where (the JSON paths that differ);
- out of scope: Drive v2, export, comments; files of the recording account that the replay never created
  (other tests' leftovers in ``files.list``, a private spreadsheet of another account); and the rest of a run
  after an out-of-scope request changed the file (e.g. a CSV import through Drive v2).

Run it: ``python -m tests.fakegoogle.replay [-v]`` (starts its own fake) or call replay_all().

"""

from __future__ import annotations

import argparse
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.fakegoogle.store import FOLDER

RECORDINGS = Path("/work/shared/google-recordings/gspread")
# The service account gspread recorded with: replaying as it makes owner/editor fields comparable.
RECORDING_ACCOUNT = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"
ID_KEYS = {
    "id",
    "spreadsheetId",
    "documentId",
    "namedRangeId",
    "sheetId",
    "protectedRangeId",
    "chartId",
    "permissionId",
}
IGNORED_KEYS = {"createdTime", "modifiedTime"}
_LONG_ID = re.compile(r"(?:spreadsheets|files)/([A-Za-z0-9_-]{25,})")

MATCHED, DIFFERS, OUT = "matched", "differs", "out of scope"


@dataclass
class Outcome:
    """One interaction's verdict."""

    index: int
    method: str
    path: str
    verdict: str
    where: str = ""


@dataclass
class CassetteResult:
    """All verdicts of one cassette."""

    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        """How many interactions got ``verdict``."""
        return sum(1 for o in self.outcomes if o.verdict == verdict)


class IdMap:
    """Recorded id -> fake id, learned from responses."""

    def __init__(self) -> None:
        self.forward: dict[Any, Any] = {}

    def learn(self, recorded: Any, fake: Any) -> bool:
        """Record the pair; False when ``recorded`` already maps elsewhere (a real difference)."""
        key = (type(recorded).__name__, recorded)
        if key in self.forward:
            return bool(self.forward[key] == fake)
        self.forward[key] = fake
        return True

    def get(self, recorded: Any) -> Any:
        """The fake id for ``recorded`` (itself when unknown)."""
        return self.forward.get((type(recorded).__name__, recorded), recorded)

    def strings(self) -> list[tuple[str, str]]:
        """String ids, longest first, for substitution inside text."""
        pairs = [(k[1], v) for k, v in self.forward.items() if k[0] == "str" and isinstance(v, str) and len(k[1]) >= 8]
        return sorted(pairs, key=lambda p: -len(p[0]))

    def knows(self, recorded: str) -> bool:
        """Whether a string id was introduced by an earlier response."""
        return ("str", recorded) in self.forward


def _sub_text(text: str, ids: IdMap) -> str:
    for old, new in ids.strings():
        text = text.replace(old, new)
    return text


def _sub_json(value: Any, ids: IdMap, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _sub_json(v, ids, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_sub_json(v, ids, key) for v in value]
    if key in ID_KEYS and not isinstance(value, bool) and value is not None:
        return ids.get(value)
    if isinstance(value, str):
        return _sub_text(value, ids)
    return value


def compare(recorded: Any, fake: Any, ids: IdMap, path: str = "$", key: str = "") -> list[str]:
    """The JSON paths where ``fake`` differs from ``recorded`` (learning id pairs on the way)."""
    if key in IGNORED_KEYS:
        return []
    if key in ID_KEYS and not isinstance(recorded, dict | list):
        if fake is None:
            return [f"{path}: missing"]
        return [] if ids.learn(recorded, fake) else [f"{path}: id {recorded!r} mapped elsewhere, got {fake!r}"]
    if isinstance(recorded, dict):
        if not isinstance(fake, dict):
            return [f"{path}: expected an object, got {_short(fake)}"]
        diffs = []
        for k in recorded:
            if k not in fake:
                if k not in IGNORED_KEYS:
                    diffs.append(f"{path}.{k}: missing (Google: {_short(recorded[k])})")
                continue
            diffs.extend(compare(recorded[k], fake[k], ids, f"{path}.{k}", k))
        diffs.extend(f"{path}.{k}: unexpected {_short(fake[k])}" for k in fake if k not in recorded)
        return diffs
    if isinstance(recorded, list):
        if not isinstance(fake, list):
            return [f"{path}: expected a list, got {_short(fake)}"]
        diffs = []
        if len(recorded) != len(fake):
            diffs.append(f"{path}: {len(fake)} items, Google {len(recorded)}")
        for i, (r, f) in enumerate(zip(recorded, fake, strict=False)):
            diffs.extend(compare(r, f, ids, f"{path}[{i}]", key))
        return diffs
    if isinstance(recorded, str) and isinstance(fake, str):
        return [] if _sub_text(recorded, ids) == fake else [f"{path}: {fake!r}, Google {recorded!r}"]
    if isinstance(recorded, bool) or isinstance(fake, bool):
        return [] if recorded is fake else [f"{path}: {fake!r}, Google {recorded!r}"]
    if isinstance(recorded, int | float) and isinstance(fake, int | float):
        return (
            [] if abs(recorded - fake) <= 1e-9 * max(1.0, abs(recorded)) else [f"{path}: {fake!r}, Google {recorded!r}"]
        )
    return [] if recorded == fake else [f"{path}: {_short(fake)}, Google {_short(recorded)}"]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _body_json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _scope(method: str, url: urllib.parse.SplitResult, ids: IdMap, recorded_status: int) -> str:
    """Why this request is out of scope, or "" when it is replayed."""
    path = url.path
    if "/drive/v2/" in path or path.startswith("/upload/"):
        return "Drive v2 / media upload"
    if path.endswith("/export"):
        return "export"
    if "/comments" in path:
        return "comments"
    m = _LONG_ID.search(path)
    if m and not ids.knows(urllib.parse.unquote(m.group(1))):
        return "a file of the recording account that this replay did not create"
    return ""


def _list_scope(recorded: Any, ids: IdMap) -> str:
    if isinstance(recorded, dict) and isinstance(recorded.get("files"), list):
        unknown = [f.get("id") for f in recorded["files"] if not ids.knows(f.get("id", ""))]
        if unknown:
            return f"files.list shows {len(unknown)} file(s) of the recording account this replay did not create"
    return ""


def replay_cassette(session: requests.Session, base_url: str, token: str, path: Path) -> CassetteResult:
    """Replay one cassette against the fake at ``base_url``."""
    data = json.loads(path.read_text())
    result = CassetteResult(path.name.removesuffix(".json"))
    ids = IdMap()
    tainted = ""
    for n, interaction in enumerate(data["interactions"]):
        req, resp = interaction["request"], interaction["response"]
        url = urllib.parse.urlsplit(req["uri"])
        status = resp["status"]["code"]
        recorded_body = _body_json(resp["body"].get("string"))
        label = f"{req['method']} {urllib.parse.unquote(url.path)[:70]}"
        reason = tainted or _scope(req["method"], url, ids, status)
        if reason:
            result.outcomes.append(Outcome(n, req["method"], label, OUT, reason))
            if req["method"] != "GET" and not tainted:
                tainted = f"after an out-of-scope change ({reason})"
            if req["method"] == "DELETE":
                tainted = ""
            continue
        target = (
            base_url.rstrip("/") + _sub_text(url.path, ids) + (f"?{_sub_text(url.query, ids)}" if url.query else "")
        )
        headers = {"Authorization": f"Bearer {token}"}
        content_type = (req.get("headers") or {}).get("Content-Type")
        if content_type:
            headers["Content-Type"] = content_type[0]
        raw = req.get("body")
        payload: bytes | None = None
        if raw:
            parsed = _body_json(raw)
            payload = (
                json.dumps(_sub_json(parsed, ids)) if isinstance(parsed, dict | list) else _sub_text(raw, ids)
            ).encode()
        try:
            answer = session.request(req["method"], target, data=payload, headers=headers, timeout=30)
        except requests.ConnectionError as exc:
            result.outcomes.append(Outcome(n, req["method"], label, DIFFERS, f"connection failed: {exc}"))
            continue
        fake_body = _body_json(answer.text)
        if recorded_body is not None and "files" in (recorded_body if isinstance(recorded_body, dict) else {}):
            why = _list_scope(recorded_body, ids)
            if why:
                result.outcomes.append(Outcome(n, req["method"], label, OUT, why))
                continue
        diffs: list[str] = []
        if answer.status_code != status:
            diffs.append(f"status {answer.status_code}, Google {status}: {_short(fake_body)}")
        elif isinstance(recorded_body, dict) and "error" in recorded_body:
            rec_err = recorded_body["error"]
            fake_err = (fake_body or {}).get("error", {}) if isinstance(fake_body, dict) else {}
            for k in ("code", "status", "message"):
                if rec_err.get(k) != fake_err.get(k):
                    diffs.append(f"$.error.{k}: {fake_err.get(k)!r}, Google {rec_err.get(k)!r}")
        else:
            diffs = compare(recorded_body, fake_body, ids)
        if diffs:
            result.outcomes.append(Outcome(n, req["method"], label, DIFFERS, "; ".join(diffs[:4])))
        else:
            result.outcomes.append(Outcome(n, req["method"], label, MATCHED))
    return result


def replay_all(fake: Any, directory: Path = RECORDINGS, only: str = "") -> list[CassetteResult]:
    """Replay every cassette in ``directory`` (name order) against a started FakeGoogle, each on an empty
    store (the recording account held only what each test created, besides leftovers counted out of scope)."""
    token = fake.token_for(RECORDING_ACCOUNT, service_account=True)
    session = requests.Session()
    results = []
    for path in sorted(directory.glob("*.json")):
        if only not in path.name:
            continue
        with fake.store.lock:
            # Folders stay: Drive keeps each account's root folder there.
            for file_id in [k for k, rec in fake.store.files.items() if rec.mimeType != FOLDER]:
                del fake.store.files[file_id]
        results.append(replay_cassette(session, fake.base_url, token, path))
    return results


def totals(results: list[CassetteResult]) -> tuple[int, int, int]:
    """(matched, differs, out of scope) over all cassettes."""
    return (
        sum(r.count(MATCHED) for r in results),
        sum(r.count(DIFFERS) for r in results),
        sum(r.count(OUT) for r in results),
    )


def table(results: list[CassetteResult], verbose: bool = False) -> str:
    """A per-recording table, the total, and (verbose) where each difference is."""
    lines = [f"{'recording':70} {'match':>5} {'diff':>5} {'out':>5}"]
    for r in results:
        lines.append(f"{r.name[:70]:70} {r.count(MATCHED):5} {r.count(DIFFERS):5} {r.count(OUT):5}")
        if verbose:
            lines.extend(f"    #{o.index} {o.path}: {o.where}" for o in r.outcomes if o.verdict == DIFFERS)
    matched, differs, out = totals(results)
    in_scope = matched + differs
    rate = matched / in_scope if in_scope else 0.0
    lines.append(f"TOTAL matched {matched} / in scope {in_scope} = {rate:.1%}; differs {differs}; out of scope {out}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Start a fake, replay everything, print the table."""
    from tests.fakegoogle.server import FakeGoogle

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="show where each difference is")
    parser.add_argument("--only", default="", help="replay only cassettes whose name contains this")
    args = parser.parse_args(argv)
    fake = FakeGoogle()
    fake.start()
    try:
        print(table(replay_all(fake, only=args.only), args.verbose))
    finally:
        fake.stop()


if __name__ == "__main__":
    main()

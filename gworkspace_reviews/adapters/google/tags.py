"""Our tags on Drive files (appProperties) and the files.list queries that find them.

Drive limits each appProperty to 124 bytes of key plus value (UTF-8). A value that does not fit (a very long
email or case id) is stored as ``h:`` + the first 32 hex digits of its SHA-256, which is still exact-match
queryable, and the full values go into the file's description as ``gworkspace-reviews tags: {json}`` so
listing can restore them. Everything else is stored verbatim; empty values are left out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from gworkspace_reviews.domain.models import KINDS, Kind, ReviewKey

TAG_LIMIT = 124
HASH_PREFIX = "h:"
DESCRIPTION_PREFIX = "gworkspace-reviews tags: "
TAG_NAMES = ("kind", "period", "reviewer", "owner", "slot", "case")


def fits(key: str, value: str) -> bool:
    """Whether ``key`` + ``value`` fit Drive's appProperties limit."""
    return len(key.encode("utf-8")) + len(value.encode("utf-8")) <= TAG_LIMIT


def stored_value(key: str, value: str) -> str:
    """The value as stored under ``key``: verbatim when it fits, else its hash."""
    if fits(key, value):
        return value
    return HASH_PREFIX + hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Encoded:
    """The appProperties of a file and, when a value had to be hashed, the description carrying it in full."""

    app_properties: dict[str, str]
    description: str | None = None


def encode(key: ReviewKey, case_id: str = "") -> Encoded:
    """The tags of a review file."""
    raw = {
        "kind": key.kind,
        "period": key.period,
        "reviewer": key.reviewer,
        "owner": key.owner,
        "slot": key.slot,
        "case": case_id,
    }
    props: dict[str, str] = {}
    long_values: dict[str, str] = {}
    for name, value in raw.items():
        if not value:
            continue
        props[name] = stored_value(name, value)
        if props[name] != value:
            long_values[name] = value
    description = DESCRIPTION_PREFIX + json.dumps(long_values, sort_keys=True) if long_values else None
    return Encoded(props, description)


def decode(props: dict[str, str] | None, description: str | None = None) -> tuple[ReviewKey, str] | None:
    """(key, case id) from a file's tags, or None when it is not one of ours."""
    if not props:
        return None
    full: dict[str, str] = {}
    if description and description.startswith(DESCRIPTION_PREFIX):
        try:
            loaded = json.loads(description[len(DESCRIPTION_PREFIX) :])
        except ValueError:
            loaded = {}
        if isinstance(loaded, dict):
            full = {str(k): str(v) for k, v in loaded.items()}

    def get(name: str) -> str:
        value = (props.get(name) or "").strip()
        if value.startswith(HASH_PREFIX) and name in full and stored_value(name, full[name]) == value:
            return full[name]
        return value

    kind = get("kind")
    period, reviewer, owner = get("period"), get("reviewer"), get("owner")
    if kind not in KINDS or not (period and reviewer and owner):
        return None
    tagged_kind: Kind = "peer" if kind == "peer" else "self"
    return ReviewKey(tagged_kind, period, reviewer, owner, get("slot")), get("case")


def quote(value: str) -> str:
    """``value`` as a Drive query string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def has_tag(key: str, value: str) -> str:
    """The query clause matching files whose appProperty ``key`` is ``value``."""
    return f"appProperties has {{ key={quote(key)} and value={quote(stored_value(key, value))} }}"


def reviews_query(kind: Kind | None, period: str | None = None, extra: dict[str, str] | None = None) -> str:
    """The files.list ``q`` for review files of ``kind`` (any when None), ``period`` and ``extra`` tags."""
    clauses = [has_tag("kind", kind) if kind else "(" + " or ".join(has_tag("kind", k) for k in KINDS) + ")"]
    if period:
        clauses.append(has_tag("period", period))
    for name, value in (extra or {}).items():
        if value:
            clauses.append(has_tag(name, value))
    clauses.append("trashed = false")
    return " and ".join(clauses)


def folders_query(parent: str) -> str:
    """The files.list ``q`` for the folders directly inside ``parent``."""
    return (
        f"{quote(parent)} in parents and mimeType = 'application/vnd.google-apps.folder' and trashed = false"
    )

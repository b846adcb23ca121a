"""Load and validate reviews.toml into frozen dataclasses, reporting every problem at once with its key path."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gworkspace_reviews.config_types import (
    CasesConfig,
    Config,
    GoogleConfig,
    KR1Config,
    SlackConfig,
    TeamConfig,
    WorkspaceConfig,
)
from gworkspace_reviews.domain.cycles import Cadence
from gworkspace_reviews.domain.models import FORMATS, Away, Format, Kind, Manager, Member
from gworkspace_reviews.errors import ConfigError

T = TypeVar("T")

TEMPLATE_KEYS: dict[str, tuple[Kind, Format]] = {
    "peer_sheet": ("peer", "sheet"),
    "peer_doc": ("peer", "doc"),
    "self_sheet": ("self", "sheet"),
    "self_doc": ("self", "doc"),
}
ABSENCES_FILE = "reviews.away.toml"  # written by `away`; merged into the members at load time

_SECTIONS: dict[str, tuple[str, ...]] = {
    "team": ("name", "timezone", "channel"),
    "cadence": ("kickoff", "every_weeks", "weekly_from", "avoid_repeats"),
    "kr1": ("target", "first_test"),
    "workspace": ("backend", "root", "rollup", "ledger", "per_person"),
    "templates": tuple(TEMPLATE_KEYS),
    "google": ("credentials", "subject", "endpoints", "max_attempts", "max_retry_seconds", "retry_base_seconds",
               "requests_per_minute", "workers"),
    "slack": ("token_env", "base_url", "enabled"),
    "cases": ("export", "columns"),
}
_TOP = (*_SECTIONS, "members", "managers")
_MEMBER_KEYS = ("name", "email", "manager", "folder", "slack", "format", "away", "feedback_url",
                "technical_comments", "active")
_MANAGER_KEYS = ("name", "email", "slack")
_AWAY_KEYS = ("from", "to", "reason")
_COLUMN_KEYS = ("id", "owner", "status", "solved_at", "updated_at")
_ENDPOINT_KEYS = ("drive", "sheets", "docs")
_REQUIRED_SECTIONS = ("team", "cadence", "workspace", "templates")


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false", date: "a date (YYYY-MM-DD)",
             list: "a list", dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


class _Checker:
    """Collects problems with their key paths while reading the parsed TOML."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
        for key in table:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(allowed)}"
                self.add(where, f"unknown key{hint}")

    def get(self, table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str,
            default: T | None = None, required: bool = False) -> Any:
        where = f"{path}.{key}" if path else key
        if key not in table:
            if required:
                self.add(where, "missing (required)")
            return default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if date in kinds and isinstance(value, datetime):
            ok = False
        if not ok:
            self.add(where, f"must be {_type_name(kind)}, got {value!r}")
            return default
        return value

    def table(self, parent: Mapping[str, Any], key: str, path: str, required: bool = False) -> dict[str, Any]:
        value = self.get(parent, key, dict, path, default={}, required=required)
        return value if isinstance(value, dict) else {}


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a ConfigError naming the file when it is missing or malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), [
            "file not found; pass --config PATH, set GWORKSPACE_REVIEWS_CONFIG, or run "
            "`gworkspace-reviews init DIR` to write a sample"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [f"cannot read: {exc}"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), [f"not valid TOML: {exc}"]) from None


def load_config(path: Path) -> Config:
    """Read and validate a reviews.toml (plus its absences file); raise ConfigError listing every problem."""
    path = path.expanduser()
    raw = read_toml(path)
    absences_path = path.parent / ABSENCES_FILE
    extra_away = read_toml(absences_path) if absences_path.exists() else {}
    return parse_config(raw, path, extra_away)


def parse_config(raw: dict[str, Any], path: Path, extra_away: Mapping[str, Any] | None = None) -> Config:
    """Validate parsed TOML; ``extra_away`` is the tool-owned absences file ({"away": [{email, from, to}]})."""
    c = _Checker()
    c.keys(raw, _TOP, "")
    for name in _REQUIRED_SECTIONS:
        if name not in raw:
            c.add(f"[{name}]", "missing section")
    team = _team(c, c.table(raw, "team", ""))
    cadence, avoid = _cadence(c, c.table(raw, "cadence", ""))
    kr1 = _kr1(c, c.table(raw, "kr1", ""))
    workspace = _workspace(c, c.table(raw, "workspace", ""))
    templates = _templates(c, c.table(raw, "templates", ""))
    google = _google(c, c.table(raw, "google", ""), path.parent)
    slack = _slack(c, raw)
    cases = _cases(c, c.table(raw, "cases", ""), path.parent)
    managers = _managers(c, raw.get("managers", []))
    members = _members(c, raw.get("members", []), managers, extra_away or {})
    if c.problems:
        raise ConfigError(str(path), c.problems)
    assert team and cadence and kr1 and workspace  # guaranteed when no problems were found
    return Config(path=path, team=team, cadence=cadence, avoid_repeats=avoid, kr1=kr1, workspace=workspace,
                  templates=templates, members=tuple(members), managers=tuple(managers), google=google,
                  slack=slack, cases=cases)


def _team(c: _Checker, t: dict[str, Any]) -> TeamConfig | None:
    c.keys(t, _SECTIONS["team"], "team")
    name = c.get(t, "name", str, "team", required=True)
    tz = c.get(t, "timezone", str, "team", default="UTC")
    channel = c.get(t, "channel", str, "team", default="")
    if isinstance(tz, str):
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            c.add("team.timezone", f"unknown timezone {tz!r}; use an IANA name such as 'America/Los_Angeles'")
    if isinstance(name, str) and not name.strip():
        c.add("team.name", "must not be empty")
    return TeamConfig(name=name or "", timezone=tz or "UTC", channel=channel or "") if name else None


def _cadence(c: _Checker, t: dict[str, Any]) -> tuple[Cadence | None, int]:
    c.keys(t, _SECTIONS["cadence"], "cadence")
    kickoff = c.get(t, "kickoff", date, "cadence", required=True)
    every = c.get(t, "every_weeks", int, "cadence", default=2)
    weekly_from = c.get(t, "weekly_from", date, "cadence")
    avoid = c.get(t, "avoid_repeats", int, "cadence", default=4)
    if isinstance(kickoff, date) and kickoff.weekday() != 0:
        c.add("cadence.kickoff", f"{kickoff} is a {kickoff:%A}; the kickoff must be a Monday")
    if isinstance(weekly_from, date):
        if weekly_from.weekday() != 0:
            c.add("cadence.weekly_from", f"{weekly_from} is a {weekly_from:%A}; it must be a Monday")
        if isinstance(kickoff, date) and weekly_from < kickoff:
            c.add("cadence.weekly_from", f"{weekly_from} is before the kickoff {kickoff}")
    if isinstance(every, int) and not 1 <= every <= 8:
        c.add("cadence.every_weeks", f"must be between 1 and 8, got {every}")
    if isinstance(avoid, int) and avoid < 0:
        c.add("cadence.avoid_repeats", f"must be 0 or more, got {avoid}")
    if not isinstance(kickoff, date):
        return None, avoid if isinstance(avoid, int) else 4
    return Cadence(kickoff=kickoff, every_weeks=every if isinstance(every, int) else 2,
                   weekly_from=weekly_from), avoid if isinstance(avoid, int) else 4


def _kr1(c: _Checker, t: dict[str, Any]) -> KR1Config | None:
    c.keys(t, _SECTIONS["kr1"], "kr1")
    target = c.get(t, "target", float, "kr1", default=0.95)
    first = c.get(t, "first_test", date, "kr1", default=date(2021, 12, 9))
    if isinstance(target, (int, float)) and not 0 < target <= 1:
        c.add("kr1.target", f"must be a fraction in (0, 1], e.g. 0.95; got {target}")
    return KR1Config(target=float(target), first_test=first)


def _workspace(c: _Checker, t: dict[str, Any]) -> WorkspaceConfig | None:
    c.keys(t, _SECTIONS["workspace"], "workspace")
    backend = c.get(t, "backend", str, "workspace", default="local")
    root = c.get(t, "root", str, "workspace", required=True)
    if backend not in ("local", "google"):
        c.add("workspace.backend", f"must be 'local' or 'google', got {backend!r}")
    if isinstance(root, str) and not root.strip():
        c.add("workspace.root", "must not be empty (a folder path, or the Drive id of the peer-review folder)")
    per_person: dict[str, str] = {}
    for email, sheet in c.table(t, "per_person", "workspace").items():
        if isinstance(sheet, str) and sheet.strip():
            per_person[email.strip().lower()] = sheet.strip()
        else:
            c.add(f"workspace.per_person.{email}", f"must be a spreadsheet id (a string), got {sheet!r}")
    return WorkspaceConfig(backend=backend, root=root or "", rollup=c.get(t, "rollup", str, "workspace"),
                           ledger=c.get(t, "ledger", str, "workspace"), per_person=per_person)


def _templates(c: _Checker, t: dict[str, Any]) -> dict[tuple[Kind, Format], str]:
    c.keys(t, _SECTIONS["templates"], "templates")
    out: dict[tuple[Kind, Format], str] = {}
    for key, kind_format in TEMPLATE_KEYS.items():
        value = c.get(t, key, str, "templates")
        if isinstance(value, str) and value.strip():
            out[kind_format] = value
    for kind in ("peer", "self"):
        if not any(k == kind for k, _ in out):
            c.add("templates", f"needs at least one {kind} template ({kind}_sheet or {kind}_doc)")
    return out


def _google(c: _Checker, t: dict[str, Any], base: Path) -> GoogleConfig:
    c.keys(t, _SECTIONS["google"], "google")
    creds = c.get(t, "credentials", str, "google")
    endpoints = c.table(t, "endpoints", "google")
    c.keys(endpoints, _ENDPOINT_KEYS, "google.endpoints")
    clean: dict[str, str] = {}
    for key in _ENDPOINT_KEYS:
        value = c.get(endpoints, key, str, "google.endpoints")
        if isinstance(value, str):
            if not value.startswith(("http://", "https://")):
                c.add(f"google.endpoints.{key}", f"must be a URL, got {value!r}")
            clean[key] = value
    ints = {k: c.get(t, k, int, "google", default=d)
            for k, d in (("max_attempts", 6), ("requests_per_minute", 60), ("workers", 4))}
    for key, value in ints.items():
        if isinstance(value, int) and value < 1:
            c.add(f"google.{key}", f"must be 1 or more, got {value}")
    return GoogleConfig(
        credentials=(base / creds) if isinstance(creds, str) and creds else None,
        subject=c.get(t, "subject", str, "google") or None,
        endpoints=clean,
        max_attempts=ints["max_attempts"] or 6,
        max_retry_seconds=float(c.get(t, "max_retry_seconds", float, "google", default=120.0)),
        retry_base_seconds=float(c.get(t, "retry_base_seconds", float, "google", default=1.0)),
        requests_per_minute=ints["requests_per_minute"] or 60,
        workers=ints["workers"] or 4,
    )


def _slack(c: _Checker, raw: dict[str, Any]) -> SlackConfig | None:
    if "slack" not in raw:
        return None
    t = c.table(raw, "slack", "")
    c.keys(t, _SECTIONS["slack"], "slack")
    return SlackConfig(token_env=c.get(t, "token_env", str, "slack", default="SLACK_BOT_TOKEN"),
                       base_url=c.get(t, "base_url", str, "slack"),
                       enabled=c.get(t, "enabled", bool, "slack", default=True))


def _cases(c: _Checker, t: dict[str, Any], base: Path) -> CasesConfig:
    c.keys(t, _SECTIONS["cases"], "cases")
    export = c.get(t, "export", str, "cases")
    cols = c.table(t, "columns", "cases")
    c.keys(cols, _COLUMN_KEYS, "cases.columns")
    names = {k: c.get(cols, k, str, "cases.columns", default=getattr(CasesConfig, k)) for k in _COLUMN_KEYS}
    return CasesConfig(export=(base / export) if isinstance(export, str) and export else None, **names)


def _list_of_tables(c: _Checker, value: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        c.add(path, f"must be a list of tables ([[{path}]]), got {value!r}")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            out.append(item)
        else:
            c.add(f"{path}[{i}]", f"must be a table, got {item!r}")
            out.append({})
    return out


def _email(c: _Checker, t: dict[str, Any], path: str) -> str:
    value = c.get(t, "email", str, path, required=True)
    if not isinstance(value, str):
        return ""
    email = value.strip().lower()
    if email.count("@") != 1 or email.startswith("@") or email.endswith("@") or " " in email:
        c.add(f"{path}.email", f"not an email address: {value!r}")
    return email


def _managers(c: _Checker, raw: Any) -> list[Manager]:
    managers: list[Manager] = []
    seen: dict[str, int] = {}
    for i, t in enumerate(_list_of_tables(c, raw, "managers")):
        path = f"managers[{i}]"
        c.keys(t, _MANAGER_KEYS, path)
        email = _email(c, t, path)
        if email in seen:
            c.add(f"{path}.email", f"same as managers[{seen[email]}].email")
        seen.setdefault(email, i)
        managers.append(Manager(name=c.get(t, "name", str, path, default=email, required=True) or email,
                                email=email, slack=c.get(t, "slack", str, path)))
    return managers


def _away(c: _Checker, raw: Any, path: str) -> list[Away]:
    out: list[Away] = []
    for j, a in enumerate(_list_of_tables(c, raw, path)):
        apath = f"{path}[{j}]"
        c.keys(a, (*_AWAY_KEYS, "email"), apath)
        start = c.get(a, "from", date, apath, required=True)
        end = c.get(a, "to", date, apath, required=True)
        reason = c.get(a, "reason", str, apath, default="away") or "away"
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                c.add(apath, f"ends ({end}) before it starts ({start})")
            else:
                out.append(Away(start=start, end=end, reason=reason))
    return out


def _members(c: _Checker, raw: Any, managers: list[Manager], extra: Mapping[str, Any]) -> list[Member]:
    manager_emails = {m.email for m in managers}
    members: list[Member] = []
    seen: dict[str, int] = {}
    extra_away: dict[str, list[Away]] = {}
    for j, entry in enumerate(_list_of_tables(c, extra.get("away", []), f"{ABSENCES_FILE}: away")):
        email = str(entry.get("email", "")).strip().lower()
        extra_away.setdefault(email, []).extend(_away(c, [entry], f"{ABSENCES_FILE}: away[{j}]"))
    for i, t in enumerate(_list_of_tables(c, raw, "members")):
        path = f"members[{i}]"
        c.keys(t, _MEMBER_KEYS, path)
        email = _email(c, t, path)
        name = c.get(t, "name", str, path, required=True)
        manager = c.get(t, "manager", str, path, required=True)
        manager = manager.strip().lower() if isinstance(manager, str) else ""
        if manager and manager not in manager_emails:
            known = ", ".join(sorted(manager_emails)) or "none defined"
            c.add(f"{path}.manager", f"{manager!r} is not among [[managers]] ({known})")
        if email in seen:
            c.add(f"{path}.email", f"same as members[{seen[email]}].email")
        seen.setdefault(email, i)
        fmt = c.get(t, "format", str, path, default="sheet")
        if fmt not in FORMATS:
            c.add(f"{path}.format", f"must be 'sheet' or 'doc', got {fmt!r}")
            fmt = "sheet"
        away = _away(c, t.get("away", []), f"{path}.away") + extra_away.pop(email, [])
        members.append(Member(
            name=name or email, email=email, manager=manager,
            folder=c.get(t, "folder", str, path), slack=c.get(t, "slack", str, path), format=fmt,
            away=tuple(away), feedback_url=c.get(t, "feedback_url", str, path),
            technical_comments=c.get(t, "technical_comments", bool, path),
            active=c.get(t, "active", bool, path, default=True)))
    for email in extra_away:
        c.add(f"{ABSENCES_FILE}: away", f"{email!r} is not a member")
    if sum(1 for m in members if m.active) < 2:
        c.add("members", f"needs at least two active members for a peer draw, found "
                         f"{sum(1 for m in members if m.active)}")
    return members


def config_summary(config: Config) -> list[str]:
    """Short human lines describing a valid config (for `check`)."""
    active = [m for m in config.members if m.active]
    cad = config.cadence
    lines = [
        f"team: {config.team.name} ({config.team.timezone}), channel {config.team.channel or '-'}",
        f"members: {len(active)} active of {len(config.members)}; managers: {len(config.managers)}",
        f"cadence: kickoff {cad.kickoff}, every {cad.every_weeks} week(s)"
        + (f", weekly from {cad.weekly_from}" if cad.weekly_from else "")
        + f"; avoid repeats over {config.avoid_repeats} cycles",
        f"KR1: target {config.kr1.target:.0%}, first test {config.kr1.first_test}, weekly",
        f"workspace: {config.workspace.backend} at {config.workspace.root}",
        "templates: " + ", ".join(f"{k}_{f}" for k, f in sorted(config.templates)),
        "slack: " + (f"token from ${config.slack.token_env}" if config.slack and config.slack.enabled
                     else "off (messages logged)"),
        f"cases: {config.cases.export or 'none (reviewers pick the case)'}",
    ]
    return lines



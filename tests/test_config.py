"""reviews.toml loading: valid configs load into dataclasses, every problem is reported at once with its key path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gworkspace_reviews.config import load_config
from gworkspace_reviews.errors import ConfigError

BASE = """
[team]
name = "Customer Support"
timezone = "America/Los_Angeles"
channel = "#customer-support-internal"

[cadence]
kickoff = 2021-12-13
every_weeks = 2
weekly_from = 2022-01-24
avoid_repeats = 4

[kr1]
target = 0.95
first_test = 2021-12-09

[workspace]
backend = "local"
root = "review-workspace"

[templates]
peer_sheet = "templates/peer-review.xlsx"
self_sheet = "templates/self-review.xlsx"

[[managers]]
name = "Grace Hopper"
email = "grace@example.com"

[[members]]
name = "Ada Lovelace"
email = "ada@example.com"
manager = "grace@example.com"
format = "doc"
away = [{ from = 2021-12-20, to = 2021-12-31, reason = "holiday" }]

[[members]]
name = "Alan Turing"
email = "alan@example.com"
manager = "grace@example.com"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reviews.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert info.value.exit_code == 2
    return info.value.problems


def test_valid_config_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, BASE))
    assert config.team.timezone == "America/Los_Angeles"
    assert config.cadence.kickoff == date(2021, 12, 13)
    assert config.cadence.weekly_from == date(2022, 1, 24)
    assert config.avoid_repeats == 4
    assert [m.email for m in config.members] == ["ada@example.com", "alan@example.com"]
    ada = config.members[0]
    assert ada.format == "doc" and ada.away[0].reason == "holiday"
    assert ada.away_on(date(2021, 12, 25)) is not None
    assert config.templates[("peer", "sheet")] == "templates/peer-review.xlsx"
    assert config.name_of("grace@example.com") == "Grace Hopper"


def test_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.toml")
    assert "init DIR" in str(info.value) and "nope.toml" in str(info.value)


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE + "\n[team\n")
    assert len(found) == 1 and "not valid TOML" in found[0] and "line" in found[0]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (BASE.replace("kickoff = 2021-12-13", "kickoff = 2021-12-14")
            .replace('"America/Los_Angeles"', '"Mars/Olympus"')
            .replace("every_weeks = 2", "evry_weeks = 2")
            .replace('email = "alan@example.com"', 'email = "ada@example.com"')
            .replace("to = 2021-12-31", "to = 2021-12-01")
            .replace("avoid_repeats = 4", 'avoid_repeats = "four"'))
    text += '\n[[members]]\nname = "Bob"\nemail = "bob@example.com"\nmanager = "nobody@example.com"\n'
    found = problems(tmp_path, text)
    expected = [
        "team.timezone: unknown timezone 'Mars/Olympus'",
        "cadence.kickoff: 2021-12-14 is a Tuesday; the kickoff must be a Monday",
        "cadence.evry_weeks: unknown key; did you mean 'every_weeks'?",
        "cadence.avoid_repeats: must be an integer, got 'four'",
        "members[0].away[0]: ends (2021-12-01) before it starts (2021-12-20)",
        "members[1].email: same as members[0].email",
        "members[2].manager: 'nobody@example.com' is not among [[managers]] (grace@example.com)",
    ]
    for want in expected:
        assert any(p.startswith(want) for p in found), (want, found)
    assert len(found) == len(expected)


def test_fewer_than_two_active_members(tmp_path: Path) -> None:
    text = BASE.replace('name = "Alan Turing"', 'name = "Alan Turing"\nactive = false')
    assert problems(tmp_path, text) == ["members: needs at least two active members for a peer draw, found 1"]


def test_wrong_types_and_unknown_sections(tmp_path: Path) -> None:
    text = BASE.replace("target = 0.95", 'target = "high"').replace('format = "doc"', 'format = "pdf"')
    text += "\n[slak]\ntoken_env = 'X'\n"
    found = problems(tmp_path, text)
    assert "kr1.target: must be a number, got 'high'" in found
    assert "members[0].format: must be 'sheet' or 'doc', got 'pdf'" in found
    assert "slak: unknown key; did you mean 'slack'?" in found


def test_missing_sections_and_templates(tmp_path: Path) -> None:
    text = BASE.replace('self_sheet = "templates/self-review.xlsx"', "")
    text = text.replace("[workspace]\nbackend = \"local\"\nroot = \"review-workspace\"\n", "")
    found = problems(tmp_path, text)
    assert "[workspace]: missing section" in found
    assert "workspace.root: missing (required)" in found
    assert "templates: needs at least one self template (self_sheet or self_doc)" in found


def test_weekly_from_must_be_monday_after_kickoff(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("weekly_from = 2022-01-24", "weekly_from = 2021-11-30"))
    assert "cadence.weekly_from: 2021-11-30 is a Tuesday; it must be a Monday" in found
    assert "cadence.weekly_from: 2021-11-30 is before the kickoff 2021-12-13" in found


def test_datetime_is_not_a_date(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("first_test = 2021-12-09", "first_test = 2021-12-09T10:00:00"))
    assert found == ["kr1.first_test: must be a date (YYYY-MM-DD), got datetime.datetime(2021, 12, 9, 10, 0)"]


def test_absences_file_is_merged_and_validated(tmp_path: Path) -> None:
    write(tmp_path, BASE)
    (tmp_path / "reviews.away.toml").write_text(
        '[[away]]\nemail = "alan@example.com"\nfrom = 2022-02-01\nto = 2022-02-10\nreason = "conference"\n')
    config = load_config(tmp_path / "reviews.toml")
    alan = config.member("alan@example.com")
    assert alan is not None and alan.away_on(date(2022, 2, 5)) is not None
    (tmp_path / "reviews.away.toml").write_text(
        '[[away]]\nemail = "zed@example.com"\nfrom = 2022-02-01\nto = 2022-02-10\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "reviews.toml")
    assert info.value.problems == ["reviews.away.toml: away: 'zed@example.com' is not a member"]

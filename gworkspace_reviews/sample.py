"""`init DIR`: a ready-to-run sample team on the embedded local workspace."""

from __future__ import annotations

from pathlib import Path

from gworkspace_reviews.adapters.absences_file import toml_string
from gworkspace_reviews.adapters.local.sample import SAMPLE_MANAGERS, SAMPLE_MEMBERS, write_sample
from gworkspace_reviews.errors import UsageError

CONFIG_NAME = "reviews.toml"

_HEAD = '''# gworkspace-reviews sample configuration: a made-up 13-member team on the local workspace.
# Switch to Google by changing [workspace] (backend = "google", root = the peer-review folder's Drive id)
# and [templates] (Drive file ids); see the README's "Moving to Google".

[team]
name = "Customer Support"
timezone = "America/Los_Angeles"
channel = "#customer-support-internal"

[cadence]
kickoff = 2021-12-13        # a Monday: the first cycle
every_weeks = 2             # bi-weekly at inception
weekly_from = 2022-01-24    # weekly from this Monday on
avoid_repeats = 4           # don't repeat a reviewer->owner pair from the last 4 cycles

[kr1]
target = 0.95
first_test = 2021-12-09     # then every 7 days

[workspace]
backend = "local"
root = "review-workspace"   # stands for the shared peer-review Drive folder

[templates]
peer_sheet = "templates/peer-review.xlsx"
peer_doc = "templates/peer-review.docx"
self_sheet = "templates/self-review.xlsx"
self_doc = "templates/self-review.docx"

[cases]
export = "cases.csv"        # a helpdesk export; reviewers may pick another eligible case

# No [slack] section: messages are written to review-workspace/.gworkspace-reviews/messages.log.
# [slack]
# token_env = "SLACK_BOT_TOKEN"
'''


def sample_config_text() -> str:
    """The sample reviews.toml."""
    parts = [_HEAD]
    for name, email in SAMPLE_MANAGERS:
        parts.append(f"[[managers]]\nname = {toml_string(name)}\nemail = {toml_string(email)}\n")
    for i, (name, email, manager) in enumerate(SAMPLE_MEMBERS):
        lines = ["[[members]]", f"name = {toml_string(name)}", f"email = {toml_string(email)}",
                 f"manager = {toml_string(manager)}"]
        if i % 4 == 3:
            lines.append('format = "doc"')
        if i % 3 == 0:
            lines.append(f'feedback_url = "https://example.com/team/readme#{email.split("@")[0]}"')
            lines.append("technical_comments = true")
        if i == 5:
            lines.append('away = [{ from = 2021-12-20, to = 2022-01-02, reason = "holiday" }]')
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def write_sample_project(directory: Path) -> list[Path]:
    """Write reviews.toml, templates, member folders and a case export; refuse to overwrite a config."""
    config = directory / CONFIG_NAME
    if config.exists():
        raise UsageError(f"{config} already exists; init never overwrites a config: choose another directory")
    directory.mkdir(parents=True, exist_ok=True)
    written = write_sample(directory)
    config.write_text(sample_config_text(), encoding="utf-8")
    return [config, *written]

"""The words the service says to people in Slack (or the local message log)."""

from __future__ import annotations

from collections.abc import Sequence

from gworkspace_reviews.config_types import Config
from gworkspace_reviews.domain.models import Draw, Member, ReviewFile

NOT_A_REPORT_CARD = "These reviews are conversations to learn from, not a performance assessment or a report card."


def link(file: ReviewFile | None, label: str) -> str:
    """A Slack link to a review file (a plain path locally)."""
    if file is None:
        return f"{label} (file not ready yet)"
    if file.location.startswith("http"):
        return f"<{file.location}|{label}>"
    return f"{label}: {file.location}"


def seed_marker(draw: Draw) -> str:
    """The text that identifies a cycle's announcement (also how anyone reproduces the draw)."""
    return f"draw seed `{draw.seed}`"


def announcement(config: Config, draw: Draw, files: dict[tuple[str, str], ReviewFile]) -> str:
    """The Monday post: the cycle, each reviewer -> owner with the file, who is away, and the seed."""
    lines = [f"*Peer reviews for the cycle of {draw.cycle.isoformat()}* ({seed_marker(draw)})"]
    if draw.note:
        lines.append(f"_{draw.note}_")
    for a in draw.assignments:
        file = files.get((a.reviewer, a.owner))
        lines.append(f"• {config.name_of(a.reviewer)} → {config.name_of(a.owner)}: "
                     f"{link(file, file.name if file else draw.cycle.isoformat())}")
    if draw.excluded:
        lines.append("Not in this draw: " + "; ".join(f"{config.name_of(e.email)} ({e.reason})"
                                                       for e in draw.excluded))
    lines.append("Reviewers: pick one of the owner's cases (open, or solved within the last 7 days), fill the "
                 "header's case ID, answer each criterion yes/no with a comment, and tell the owner when done.")
    lines.append(NOT_A_REPORT_CARD)
    return "\n".join(lines)


def reviewer_dm(config: Config, owner: Member, file: ReviewFile, cycle: str, suggested_case: str) -> str:
    """The direct message to a reviewer: whose case, the file, and how the owner likes feedback."""
    lines = [f"This cycle ({cycle}) you review a case of {owner.name}. Your review file: {link(file, file.name)}"]
    if suggested_case:
        lines.append(f"Suggested case: {suggested_case} (any open case, or one solved within 7 days, is fine).")
    else:
        lines.append("Pick one of their cases: open, or solved within the last 7 days; put its ID in the header.")
    if owner.feedback_url:
        lines.append(f"How {owner.name} likes to receive feedback: {owner.feedback_url}")
    if owner.technical_comments is True:
        lines.append(f"{owner.name} welcomes technical comments in the optional section.")
    elif owner.technical_comments is False:
        lines.append(f"{owner.name} prefers no technical comments this time; keep to the criteria.")
    else:
        lines.append(f"Technical comments go in the optional section if {owner.name} confirms they'd find them useful.")
    lines.append(NOT_A_REPORT_CARD)
    return "\n".join(lines)


def monthly_member_dm(member: Member, month: str, files: Sequence[ReviewFile], manager_case: str) -> str:
    """Tells a member about their two self-review files for the month."""
    lines = [f"Your self reviews for {month} are ready in your folder:"]
    lines += [f"• {link(f, f.name)}" for f in files]
    if manager_case:
        lines.append(f"Your manager's pick: case {manager_case}. Choose a second case yourself and put its ID in the "
                     "other file's header.")
    else:
        lines.append("Your manager will tell you their pick; choose a second case yourself.")
    lines.append("Self-assess each criterion yes/no with comments, then tell your manager. " + NOT_A_REPORT_CARD)
    return "\n".join(lines)


def monthly_manager_dm(config: Config, month: str, picks: Sequence[tuple[Member, str, ReviewFile | None]]) -> str:
    """Tells a manager which cases were picked for their reports this month."""
    lines = [f"Self + manager reviews for {month}: the random open-case pick for each of your reports:"]
    for member, case_id, file in picks:
        where = link(file, file.name) if file else "file not ready yet"
        lines.append(f"• {member.name}: {case_id or 'no open case found: pick one'} ({where})")
    return "\n".join(lines)

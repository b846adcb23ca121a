"""Mid-cycle nudges and the practice's "tell the other person" notices, each sent once.

- a peer review not complete: its reviewer is nudged (at most once a day);
- a peer review complete: its case owner is told, once (the practice's "notify the case owner");
- a self review complete: the member's manager is told, once;
- a self review validated by the manager: the member is told, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from gworkspace_reviews.domain.cycles import month_of
from gworkspace_reviews.services.context import Context
from gworkspace_reviews.services.messages import link
from gworkspace_reviews.services.notices import Message, SendReport, send_once, unsent
from gworkspace_reviews.services.status import ReviewStatus, review_status


@dataclass
class RemindResult:
    """The notices planned and what was sent."""

    messages: list[Message] = field(default_factory=list)
    report: SendReport = field(default_factory=SendReport)
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        """1 when a message could not be sent."""
        return 1 if self.report.failed else 0

    def as_json(self) -> dict[str, Any]:
        """Machine output."""
        return {"dry_run": self.dry_run,
                "messages": [{"key": m.key, "to": m.target} for m in self.messages],
                "sent": self.report.sent, "failed": [{"key": k, "error": e} for k, e in self.report.failed]}


def _notices(ctx: Context, st: ReviewStatus, today: str) -> list[Message]:
    cfg = ctx.config
    f = st.file
    k = f.key
    owner = cfg.member(k.owner)
    reviewer = cfg.member(k.reviewer)
    if owner is None or reviewer is None:
        return []
    where = link(f, f.name)
    if k.kind == "peer":
        if st.state == "complete":
            return [Message(key=f"done:peer:{f.file_id}", email=owner.email, slack=owner.slack, marker=f.location,
                            text=f"{reviewer.name} finished the peer review of your case {f.case_id}: {where}. "
                                 "Questions or context? Reply in the comments or talk it through with them.")]
        return [Message(key=f"nudge:{f.file_id}:{today}", email=reviewer.email, slack=reviewer.slack,
                        marker=f"{f.location} {today}",
                        text=f"Reminder: your peer review of {owner.name}'s case for {k.period} is "
                             f"{st.state.replace('_', ' ')}: {where}"
                             + (f" (cells to fix: {', '.join(st.invalid)})" if st.invalid else ""))]
    manager = cfg.manager(owner.manager)
    out: list[Message] = []
    if st.state == "complete" and manager is not None:
        out.append(Message(key=f"done:self:{f.file_id}", email=manager.email, slack=manager.slack, marker=f.location,
                           text=f"{owner.name} completed a self review for {k.period}: {where}. "
                                "Please validate it (manager answer column)."))
    if st.validated:
        out.append(Message(key=f"validated:{f.file_id}", email=owner.email, slack=owner.slack,
                           marker=f"validated {f.location}",
                           text=f"Your manager validated your self review for {k.period}: {where}"))
    elif st.state != "complete":
        out.append(Message(key=f"nudge:{f.file_id}:{today}", email=owner.email, slack=owner.slack,
                           marker=f"{f.location} {today}",
                           text=f"Reminder: your self review for {k.period} is {st.state.replace('_', ' ')}: {where}"))
    return out


def remind(ctx: Context, *, dry_run: bool = False) -> RemindResult:
    """Plan the notices for the latest cycle and the self reviews of this and last month; send the unsent."""
    today = ctx.today()
    peers = review_status(ctx, cycle=today).reviews
    # Self reviews are provisioned on the month's last working day, so most of their work falls in the next month.
    months = dict.fromkeys((month_of(today.replace(day=1) - timedelta(days=1)), month_of(today)))
    selves = [s for m in months for s in review_status(ctx, month=m, self_only=True).reviews]
    msgs = [m for st in (*peers, *selves) for m in _notices(ctx, st, today.isoformat())]
    entries = ctx.ledger.entries()
    result = RemindResult(messages=unsent(msgs, entries), dry_run=dry_run)
    if not dry_run:
        result.report = send_once(ctx.notifier, ctx.ledger, result.messages, entries)
    return result

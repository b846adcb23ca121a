"""Send each message exactly once across reruns and crashes, using the ledger as the record.

A message is marked ``pending`` in the ledger before it is sent and ``sent`` after. A rerun skips ``sent`` ones;
for a ``pending`` one (the run died between sending and recording) it looks for the message's marker in the
channel's or DM's history before sending again, so a crash never causes a duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from gworkspace_reviews.errors import ReviewsError
from gworkspace_reviews.ports import Ledger, Notifier

log = logging.getLogger(__name__)

SENT = "sent"
PENDING = "pending"


@dataclass(frozen=True)
class Message:
    """One message: to a channel (``channel``) or to a person (``email``, optional Slack id)."""

    key: str
    text: str
    marker: str
    channel: str | None = None
    email: str | None = None
    slack: str | None = None

    @property
    def target(self) -> str:
        """Where it goes, for reports: the channel or the person's email."""
        return self.channel or self.email or "?"


@dataclass
class SendReport:
    """What happened to each message."""

    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def unsent(messages: Sequence[Message], entries: dict[str, str]) -> list[Message]:
    """Messages not yet recorded as sent."""
    return [m for m in messages if entries.get(m.key) != SENT]


def send_once(notifier: Notifier, ledger: Ledger, messages: Sequence[Message],
              entries: dict[str, str]) -> SendReport:
    """Send every message not yet sent; a failure is reported, never raised, and retried by the next run."""
    report = SendReport()
    todo: list[Message] = []
    recovered: list[str] = []
    for msg in messages:
        state = entries.get(msg.key)
        if state == SENT:
            report.already.append(msg.key)
        elif state == PENDING and _already_posted(notifier, msg):
            recovered.append(msg.key)
        else:
            todo.append(msg)
    if recovered:
        ledger.put_many([(k, SENT) for k in recovered])
        report.already.extend(recovered)
    if not todo:
        return report
    ledger.put_many([(m.key, PENDING) for m in todo])
    done: list[str] = []
    for msg in todo:
        try:
            if msg.channel:
                notifier.post_channel(msg.channel, msg.text)
            else:
                notifier.direct(msg.email or "", msg.slack, msg.text)
        except ReviewsError as exc:
            log.warning("message %s to %s not sent: %s", msg.key, msg.target, exc)
            report.failed.append((msg.key, f"{msg.target}: {exc}"))
            continue
        done.append(msg.key)
    if done:
        ledger.put_many([(k, SENT) for k in done])
    log.info("messages: %d sent, %d failed, %d already sent", len(done), len(report.failed), len(report.already))
    report.sent.extend(done)
    return report


def _already_posted(notifier: Notifier, msg: Message) -> bool:
    try:
        return notifier.find_in_history(msg.channel or msg.email or "", msg.marker)
    except ReviewsError as exc:
        log.warning("could not check history for %s: %s", msg.key, exc)
        return False

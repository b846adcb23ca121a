"""The notifier used when Slack is not configured: every message goes to a log file people can read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

Now = Callable[[], datetime]

_HEADER = "--- "
_INDENT = "    "


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class LoggedMessage:
    """One message as it would have been sent: when, to whom (``#channel`` or email) and the text."""

    at: datetime
    target: str
    text: str


class LogNotifier:
    """ports.Notifier that appends each message to ``path`` and keeps them in ``sent``."""

    def __init__(self, path: Path, *, now: Now = _utc_now) -> None:
        self.path = path
        self.sent: list[LoggedMessage] = []
        self._now = now

    def post_channel(self, channel: str, text: str) -> None:
        """Record a post in ``channel``."""
        self._append(channel, text)

    def direct(self, email: str, slack_id: str | None, text: str) -> None:
        """Record a direct message to ``email``."""
        self._append(email, text)

    def find_in_history(self, channel: str, marker: str, *, since: datetime | None = None) -> bool:
        """True when the log holds a message to ``channel`` (newer than ``since``) containing ``marker``."""
        return any(
            m.target == channel and marker in m.text and (since is None or m.at >= since) for m in self.read()
        )

    def read(self) -> list[LoggedMessage]:
        """Every message in the log file, oldest first (empty when there is no file yet)."""
        if not self.path.exists():
            return []
        messages: list[LoggedMessage] = []
        header: tuple[datetime, str] | None = None
        lines: list[str] = []
        for line in [*self.path.read_bytes().decode("utf-8").split("\n"), _HEADER]:
            if line.startswith(_HEADER):
                if header is not None:
                    messages.append(LoggedMessage(header[0], header[1], "\n".join(lines)))
                stamp, _, target = line[len(_HEADER) :].partition(" to ")
                header = (datetime.fromisoformat(stamp), target) if stamp else None
                lines = []
            elif line.startswith(_INDENT):
                lines.append(line[len(_INDENT) :])
        return messages

    def _append(self, target: str, text: str) -> None:
        message = LoggedMessage(self._now(), target, text)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Text indented under its header: the file reads like a chat log and parses back unambiguously.
        body = "".join(f"{_INDENT}{line}\n" for line in text.split("\n"))
        with self.path.open("a", encoding="utf-8", newline="") as f:
            f.write(f"{_HEADER}{message.at.isoformat()} to {target}\n{body}")
        self.sent.append(message)

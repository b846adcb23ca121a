"""Running the CLI in a child process, and killing it with SIGKILL at a chosen point."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fakegoogle.faults import DropConnection

_SCRIPT = Path(sys.executable).parent / "gworkspace-reviews"


def cli_command(config: Path, *args: str) -> list[str]:
    """The console script cron runs (``python -c`` of the entry point when the script is not installed)."""
    lead = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c",
                                                    "from gworkspace_reviews.cli import main; main()"]
    return [*lead, "--config", str(config), *args]


def start(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start the CLI in a child process (stdout/stderr captured, no terminal)."""
    return subprocess.Popen(cli_command(config, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})}, cwd=config.parent)


@dataclass
class KillAfter:
    """A FakeGoogle.on_request hook: SIGKILL the child once the fake has served its ``k``-th API request.

    The k-th request has taken effect on the fake, but its answer (and every later one) is lost, as when a
    machine dies mid-call.
    """

    k: int
    proc: subprocess.Popen[str] | None = None
    seen: int = 0
    killed_at: str | None = None
    methods: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, entry: Any) -> None:
        with self._lock:
            self.seen += 1
            n = self.seen
            self.methods.append(entry.method_id)
        if n < self.k:
            return
        if n == self.k and self.proc is not None:
            self.killed_at = entry.method_id
            os.kill(self.proc.pid, signal.SIGKILL)
        raise DropConnection()


def run_killed(fake: Any, config: Path, k: int, *args: str) -> tuple[KillAfter, int, str]:
    """Run the CLI in a child, killed after the fake's k-th request; the hook, exit code and stderr."""
    hook = KillAfter(k)
    fake.on_request = hook
    try:
        proc = start(config, *args)
        hook.proc = proc
        _out, err = proc.communicate(timeout=120)
    finally:
        fake.on_request = None
    return hook, proc.returncode, err

"""Loaded by a child Python when this folder is on PYTHONPATH: kill the process at a chosen point.

GWR_CRASH_AFTER_WRITES=n: SIGKILL right after the n-th file-system write step (os.fsync, os.link,
os.replace, os.rename), i.e. between two steps of an atomic write or between two files.
GWR_CRASH_AFTER_SECONDS=x: SIGKILL after x seconds, wherever the process is.
GWR_CRASH_COUNT_FILE=path: append one line per write step (so a test can measure a whole run).
Nothing happens without these variables.
"""

from __future__ import annotations

import os
import signal
import threading

_after = int(os.environ.get("GWR_CRASH_AFTER_WRITES", "0") or 0)
_count_file = os.environ.get("GWR_CRASH_COUNT_FILE", "")
_seconds = float(os.environ.get("GWR_CRASH_AFTER_SECONDS", "0") or 0)
_seen = 0
_lock = threading.Lock()


def _step(name: str) -> None:
    global _seen
    with _lock:
        _seen += 1
        n = _seen
    if _count_file:
        with open(_count_file, "a", encoding="utf-8") as out:
            out.write(f"{n} {name}\n")
    if _after and n >= _after:
        os.kill(os.getpid(), signal.SIGKILL)


def _wrap(name: str) -> None:
    real = getattr(os, name)

    def step(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(*args, **kwargs)
        _step(name)
        return result

    setattr(os, name, step)


if _after or _count_file:
    for _name in ("fsync", "link", "replace", "rename"):
        _wrap(_name)
if _seconds:
    _timer = threading.Timer(_seconds, lambda: os.kill(os.getpid(), signal.SIGKILL))
    _timer.daemon = True
    _timer.start()

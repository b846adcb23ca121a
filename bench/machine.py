"""Machine details for results.md: CPU model, cores, Python, package versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

PACKAGES = ("google-api-python-client", "google-auth", "gspread", "pandas", "requests")


def cpu_model() -> str:
    """The CPU model named in /proc/cpuinfo (else platform's guess)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def details() -> list[tuple[str, str]]:
    """(what, value) rows describing the machine and the software."""
    rows = [("CPU", cpu_model()), ("cores (os.cpu_count)", str(os.cpu_count())),
            ("load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg())),
            ("OS", platform.platform()), ("Python", platform.python_version())]
    for name in PACKAGES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return rows

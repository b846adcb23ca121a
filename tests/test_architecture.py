"""The direction of imports: the pure core imports no I/O; services depend on ports, never on adapters."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gworkspace_reviews"
IO_MODULES = {"googleapiclient", "google", "gspread", "click", "slack_sdk", "openpyxl", "docx", "requests",
              "httplib2", "os", "pathlib", "shutil", "socket", "subprocess", "tempfile", "fcntl"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_domain_is_pure() -> None:
    for path in sorted((PACKAGE / "domain").glob("*.py")):
        for name in imports(path):
            top = name.split(".")[0]
            assert top not in IO_MODULES, f"{path.name} imports {name}"
            assert not name.startswith(("gworkspace_reviews.adapters", "gworkspace_reviews.services",
                                        "gworkspace_reviews.cli", "gworkspace_reviews.bootstrap")), \
                f"{path.name} imports {name}"


def test_services_use_ports_not_adapters() -> None:
    for path in sorted((PACKAGE / "services").glob("*.py")):
        for name in imports(path):
            assert not name.startswith(("gworkspace_reviews.adapters", "gworkspace_reviews.cli")), \
                f"services/{path.name} imports {name}"
            assert name.split(".")[0] not in IO_MODULES - {"os"}, f"services/{path.name} imports {name}"


def test_only_the_google_adapter_imports_google_clients() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "adapters/google" in path.as_posix():
            continue
        for name in imports(path):
            assert name.split(".")[0] not in {"googleapiclient", "gspread", "google"}, f"{path} imports {name}"


def test_importing_the_cli_does_no_io(tmp_path: Path) -> None:
    # Import in a fresh interpreter from an empty folder: no config read, no auth, no network at import time.
    code = ("import socket, builtins\n"
            "def refuse(*a, **k): raise SystemExit('network at import time')\n"
            "socket.socket.connect = refuse\n"
            "import gworkspace_reviews.cli, gworkspace_reviews.bootstrap\n"
            "import gworkspace_reviews.adapters.google.workspace\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    assert list(tmp_path.iterdir()) == []

"""A ready-to-run sample for `init`: default templates, member folders and a case export (no config)."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path

from gworkspace_reviews.adapters.local.atomic import create_bytes_exclusive
from gworkspace_reviews.adapters.local.templates import doc_template_bytes, sheet_template_bytes
from gworkspace_reviews.domain.models import Format, Kind
from gworkspace_reviews.domain.principles import GUIDING_PRINCIPLES

# Made-up people at example.com. Managers: (name, email); members: (name, email, manager email).
SAMPLE_MANAGERS: tuple[tuple[str, str], ...] = (
    ("Noor Haddad", "noor.haddad@example.com"),
    ("Tomas Lindqvist", "tomas.lindqvist@example.com"),
)
_NOOR, _TOMAS = (email for _, email in SAMPLE_MANAGERS)
SAMPLE_MEMBERS: tuple[tuple[str, str, str], ...] = (
    ("Amara Okafor", "amara.okafor@example.com", _NOOR),
    ("Bram de Vries", "bram.devries@example.com", _NOOR),
    ("Chiara Benedetti", "chiara.benedetti@example.com", _NOOR),
    ("Dev Raman", "dev.raman@example.com", _NOOR),
    ("Elif Aydin", "elif.aydin@example.com", _NOOR),
    ("Farid Mansour", "farid.mansour@example.com", _NOOR),
    ("Greta Solberg", "greta.solberg@example.com", _NOOR),
    ("Hiro Tanabe", "hiro.tanabe@example.com", _TOMAS),
    ("Imani Mwangi", "imani.mwangi@example.com", _TOMAS),
    ("Jonas Weber", "jonas.weber@example.com", _TOMAS),
    ("Kalani Akana", "kalani.akana@example.com", _TOMAS),
    ("Lucia Ferreyra", "lucia.ferreyra@example.com", _TOMAS),
    ("Mateo Ibarra", "mateo.ibarra@example.com", _TOMAS),
)

SAMPLE_ROOT = "review-workspace"
SAMPLE_CASES = "cases.csv"
# reviews.toml [templates] key -> path relative to the sample directory.
SAMPLE_TEMPLATES: dict[str, str] = {
    "peer_sheet": "templates/peer-review.xlsx",
    "peer_doc": "templates/peer-review.docx",
    "self_sheet": "templates/self-review.xlsx",
    "self_doc": "templates/self-review.docx",
}
CASE_COLUMNS: tuple[str, ...] = ("id", "owner_email", "status", "solved_at", "updated_at")
_CASES_PER_MEMBER = (4, 5)  # 13 members -> about 60 cases
_SEED = "gworkspace-reviews sample cases"


def _template_bytes(key: str) -> bytes:
    kind_name, fmt_name = key.split("_")
    kind: Kind = "self" if kind_name == "self" else "peer"
    fmt: Format = "doc" if fmt_name == "doc" else "sheet"
    if fmt == "sheet":
        return sheet_template_bytes(kind=kind, criteria=GUIDING_PRINCIPLES)
    return doc_template_bytes(kind=kind, criteria=GUIDING_PRINCIPLES)


def sample_cases_csv(today: date) -> str:
    """A made-up case export: every member has open cases and a few solved in the last weeks."""
    rng = random.Random(_SEED)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CASE_COLUMNS)
    case_number = 48100
    for _, email, _ in SAMPLE_MEMBERS:
        count = rng.randint(*_CASES_PER_MEMBER)
        # At least two open cases each, so the monthly manager pick and the member's own pick both exist.
        extra = [rng.choice(["open", "pending", "solved", "solved", "closed"]) for _ in range(count - 2)]
        statuses = ["open", "open", *extra]
        for status in statuses:
            case_number += rng.randint(3, 40)
            if status in ("solved", "closed"):
                solved = today - timedelta(days=rng.randint(1, 20))
                updated = solved + timedelta(days=rng.randint(0, 1))
                solved_at = solved.isoformat()
            else:
                updated = today - timedelta(days=rng.randint(0, 6))
                solved_at = ""
            writer.writerow([str(case_number), email, status, solved_at, min(updated, today).isoformat()])
    return out.getvalue()


def write_sample(directory: Path, *, today: date | None = None) -> list[Path]:
    """Write templates, member folders and ``cases.csv`` under ``directory``; returns what it created.

    Files that already exist are left exactly as they are (and not listed).
    """
    directory = Path(directory)
    written: list[Path] = []
    for key, rel in SAMPLE_TEMPLATES.items():
        path = directory / rel
        if create_bytes_exclusive(path, _template_bytes(key)):
            written.append(path)
    for name, _, _ in SAMPLE_MEMBERS:
        folder = directory / SAMPLE_ROOT / name
        if not folder.is_dir():
            folder.mkdir(parents=True)
            written.append(folder)
    cases = directory / SAMPLE_CASES
    if create_bytes_exclusive(cases, sample_cases_csv(today or date.today()).encode("utf-8")):
        written.append(cases)
    return written

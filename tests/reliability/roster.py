"""A generated team of any size on the fake Google (or locally), set up through the CLI as an admin would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.cli.google_team import SPREADSHEET
from tests.cli.people import run
from tests.fakegoogle.fixtures import google_client_options

KICKOFF = "2021-12-13"
# The cycle Mondays after the kickoff: bi-weekly at first, weekly from 2022-01-24 (see the config below).
CYCLES = ("2021-12-13", "2021-12-27", "2022-01-10", "2022-01-24", "2022-01-31", "2022-02-07", "2022-02-14",
          "2022-02-21", "2022-02-28", "2022-03-07", "2022-03-14", "2022-03-21", "2022-03-28", "2022-04-04",
          "2022-04-11", "2022-04-18", "2022-04-25", "2022-05-02", "2022-05-09", "2022-05-16", "2022-05-23",
          "2022-05-30", "2022-06-06", "2022-06-13", "2022-06-20", "2022-06-27", "2022-07-04", "2022-07-11")


def member_email(i: int) -> str:
    """The email of generated member ``i``."""
    return f"member{i:03d}@example.com"


def roster_toml(n: int, managers: int = 0) -> str:
    """[[managers]] and [[members]] for ``n`` members; every fourth member prefers a document."""
    managers = managers or max(1, n // 10)
    parts = []
    for j in range(managers):
        parts.append(f'[[managers]]\nname = "Manager {j:02d}"\nemail = "manager{j:02d}@example.com"\n')
    for i in range(n):
        fmt = 'format = "doc"\n' if i % 4 == 3 else ""
        parts.append(f'[[members]]\nname = "Member {i:03d} Ünïcødé"\nemail = "{member_email(i)}"\n'
                     f'manager = "manager{i % managers:02d}@example.com"\n{fmt}')
    return "\n".join(parts)


def cases_csv(n: int) -> str:
    """One open case per member (ids 70000 + i), so each review's header gets a case ID."""
    rows = ["id,owner_email,status,solved_at,updated_at"]
    rows += [f"{70000 + i},{member_email(i)},open,,2021-12-01" for i in range(n)]
    return "\n".join(rows) + "\n"


def base_toml(backend: str, root: str, templates: str, extra: str = "") -> str:
    """The sections every generated config has."""
    return (f'[team]\nname = "Generated Team"\ntimezone = "UTC"\nchannel = "#reviews"\n\n'
            f"[cadence]\nkickoff = {KICKOFF}\nevery_weeks = 2\nweekly_from = 2022-01-24\navoid_repeats = 4\n\n"
            f"[kr1]\ntarget = 0.95\nfirst_test = 2021-12-09\n\n"
            f"[workspace]\nbackend = \"{backend}\"\n{root}\n"
            f"[templates]\n{templates}\n"
            f'[cases]\nexport = "cases.csv"\n\n{extra}\n')


def google_toml(fake: Any, key: Path, *, max_attempts: int = 8, max_retry_seconds: float = 60.0,
                workers: int = 4, retry_base_seconds: float = 0.05) -> str:
    """[google]: the fake's endpoints, the key, the retry caps (fast backoff); no client-side quota wait."""
    opts = google_client_options(fake.base_url)
    return (f'[google]\ncredentials = "{key}"\nworkers = {workers}\nmax_attempts = {max_attempts}\n'
            f"max_retry_seconds = {max_retry_seconds}\nretry_base_seconds = {retry_base_seconds}\n"
            f"requests_per_minute = 1000000\n"
            f'[google.endpoints]\ndrive = "{opts["drive"]["api_endpoint"]}"\n'
            f'sheets = "{opts["sheets"]["api_endpoint"]}"\ndocs = "{opts["docs"]["api_endpoint"]}"\n')


def make_google_roster(directory: Path, fake: Any, key: Path, drive: Any, n: int, *, extra: str = "",
                       **google: Any) -> Path:
    """A config for ``n`` generated members on the fake: templates created, folders synced, a rollup sheet."""
    directory.mkdir(parents=True, exist_ok=True)
    seed = fake.seed
    rollup = drive.files().create(
        body={"name": "KR1 rollup", "mimeType": SPREADSHEET, "parents": [seed["folder_id"]]},
        supportsAllDrives=True, fields="id").execute()["id"]
    root = f'root = "{seed["folder_id"]}"\nrollup = "{rollup}"\n'
    placeholder = f'peer_sheet = "{seed["template_sheet_id"]}"\nself_sheet = "{seed["template_sheet_id"]}"\n'
    head = google_toml(fake, key, **google)
    config = directory / "reviews.toml"
    (directory / "cases.csv").write_text(cases_csv(n))
    body = roster_toml(n)
    config.write_text(base_toml("google", root, placeholder, extra) + head + "\n" + body)
    made = run(config, "templates", "create", "--folder", seed["templates_folder_id"])
    assert made.exit_code == 0, made.output
    ids = dict(re.findall(r'^(\w+_(?:sheet|doc)) = "([^"]+)"$', made.output, re.M))
    templates = "".join(f'{k} = "{v}"\n' for k, v in sorted(ids.items()))
    config.write_text(base_toml("google", root, templates, extra) + head + "\n" + body)
    synced = run(config, "folders", "sync")
    assert synced.exit_code == 0 and synced.output.count("created") == n, synced.output
    return config


def make_local_roster(directory: Path, n: int, *, extra: str = "") -> Path:
    """A config for ``n`` generated members on the local workspace, with the default templates."""
    assert run(directory / "x.toml", "init", str(directory / "sample")).exit_code == 0
    sample = directory / "sample"
    templates = ('peer_sheet = "templates/peer-review.xlsx"\npeer_doc = "templates/peer-review.docx"\n'
                 'self_sheet = "templates/self-review.xlsx"\nself_doc = "templates/self-review.docx"\n')
    (sample / "cases.csv").write_text(cases_csv(n))
    config = sample / "reviews.toml"
    config.write_text(base_toml("local", 'root = "review-workspace"\n', templates, extra) + roster_toml(n))
    synced = run(config, "folders", "sync")
    assert synced.exit_code == 0, synced.output
    return config


def member_index(email: str) -> int:
    """The ``i`` of a generated member's email."""
    return int(email.removeprefix("member").split("@")[0])


def expected_header(reviewer: str, owner: str, period: str) -> dict[str, str]:
    """The header a generated pair's review must carry: case ID, reviewer and owner names, cycle."""
    def name(email: str) -> str:
        return f"Member {member_index(email):03d} Ünïcødé"

    return {"case_id": str(70000 + member_index(owner)), "reviewer": name(reviewer), "case_owner": name(owner),
            "cycle": period}

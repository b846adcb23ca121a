"""Render the measurements as the Markdown of bench/results.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench import floors
from bench.conditions import PER_MINUTE
from bench.counting import Phase
from bench.run import CHANGED_SHARE, SizeResult

TARGET_REQUESTS = 1.05
TARGET_WALL = 1.2
CELL_LIMIT = 50_000  # characters in one Google Sheets cell
PURPOSE = {
    "drive.files.list": "files.list: member folders (1 page per 1,000); the cycle's reviews, by the plan (1) and "
                        "by the adapter just before copying (1), so create_reviews alone never copies twice",
    "sheets.spreadsheets.values.get": "ledger reads (the draw, header marks, messages sent)",
    "drive.files.get": "checking that workspace.root (the review folder) exists, before any write",
    "sheets.spreadsheets.values.append": "ledger appends: the draw (before any copy), header marks, messages "
                                         "pending, messages sent",
    "sheets.spreadsheets.get": "template check (named ranges), once per template in use",
    "sheets.spreadsheets.batchUpdate": "adding the hidden _ledger tab (the first run ever only)",
    "docs.documents.get": "template check of a document template",
}
HEADER_WRITES = ("sheets.spreadsheets.values.batchUpdate", "docs.documents.batchUpdate")


@dataclass(frozen=True)
class Settings:
    """How the run was made."""

    command: str
    date: str
    latency_ms: float
    scale: float
    machine: list[tuple[str, str]]
    aggregation_row: str
    elapsed_s: float


def _x(value: float, floor: float) -> str:
    return f"{value / floor:.3f}x" if floor else "n/a"


def _s(seconds: float) -> str:
    return f"{seconds:.2f}"


def _per_cycle(phase: Phase) -> list[tuple[str, int]]:
    skip = ("drive.files.copy", *HEADER_WRITES)
    return sorted((k, n) for k, n in phase.by_method.items() if k not in skip)


def weekly_table(results: Sequence[SizeResult], minute_s: float) -> list[str]:
    """The weekly provisioning rows."""
    out = ["| members | new reviews | requests | per new review (copy + header) | requests per review, all "
           "in | floor | x floor | Sheets writes / reads | 429s | wall s | quota floor s | x quota floor |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        w = r.weekly
        new = int(w.notes["created"])  # type: ignore[call-overload]
        floor = floors.weekly(new, r.size)
        core = w.count("drive.files.copy") + w.count(*HEADER_WRITES)
        quota = floor.quota_s(minute_s)
        shown = _x(w.wall_s, quota) if floor.sheets_writes > PER_MINUTE else "-"
        out.append(f"| {r.size:,} | {new:,} | {w.requests:,} | {core / new:.2f} | {w.requests / new:.3f} | "
                   f"{floor.requests:,} | {_x(w.requests, floor.requests)} | {w.sheets_writes:,} / "
                   f"{w.sheets_reads:,} | {w.throttled} | {_s(w.wall_s)} | {_s(quota)} | {shown} |")
    return out


def per_cycle_lines(results: Sequence[SizeResult]) -> list[str]:
    """What the few per-cycle requests are, measured at each size."""
    out = ["| request | " + " | ".join(f"{r.size:,} members" for r in results) + " | what for |",
           "|---|" + "---:|" * len(results) + "---|"]
    methods = sorted({k for r in results for k, _ in _per_cycle(r.weekly)})
    for m in methods:
        counts = " | ".join(str(r.weekly.by_method.get(m, 0)) for r in results)
        out.append(f"| `{m}` | {counts} | {PURPOSE.get(m, '')} |")
    totals = " | ".join(str(sum(n for _, n in _per_cycle(r.weekly))) for r in results)
    floor = " | ".join(str(floors.weekly_per_cycle(r.size)) for r in results)
    out.append(f"| **all per-cycle requests** | {totals} | |")
    out.append(f"| per-cycle floor | {floor} | template 1, folder pages, review page, ledger read 1, "
               "ledger appends 2 |")
    return out


def rerun_table(results: Sequence[SizeResult]) -> list[str]:
    """The weekly rerun rows."""
    out = ["| members | requests | writes | floor | by method | wall s |", "|---:|---:|---:|---:|---|---:|"]
    for r in results:
        p = r.rerun
        methods = ", ".join(f"{k} {n}" for k, n in sorted(p.by_method.items()))
        out.append(f"| {r.size:,} | {p.requests} | {p.writes} | {floors.rerun(r.files).requests} | {methods} | "
                   f"{_s(p.wall_s)} |")
    return out


def rollup_table(results: Sequence[SizeResult], minute_s: float) -> list[str]:
    """The three rollups per size."""
    out = ["| members | rollup | changed reviews | review reads | requests | floor | x floor | 429s | wall s | "
           "quota floor s | x quota floor |", "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for label, phase, changed in (("first (every review answered)", r.rollup_first, r.files),
                                      (f"after 1 in {CHANGED_SHARE} edited", r.rollup_changed, r.changed),
                                      ("rerun, nothing changed", r.rollup_rerun, 0)):
            floor = floors.rollup(changed, r.files)
            reads = phase.count("sheets.spreadsheets.values.batchGet", "docs.documents.get")
            quota = floor.quota_s(minute_s)
            shown = _x(phase.wall_s, quota) if changed > PER_MINUTE else "-"
            out.append(f"| {r.size:,} | {label} | {changed:,} | {reads:,} | {phase.requests:,} | "
                       f"{floor.requests:,} | {_x(phase.requests, floor.requests)} | {phase.throttled} | "
                       f"{_s(phase.wall_s)} | {_s(quota)} | {shown} |")
    return out


def _extrapolate(points: dict[int, float], size: int) -> float:
    """Linear in team size through the two largest measured sizes (through the origin with one)."""
    sizes = sorted(points)
    if len(sizes) == 1:
        return points[sizes[0]] / sizes[0] * size
    a, b = sizes[-2], sizes[-1]
    slope = (points[b] - points[a]) / (b - a)
    return points[b] + slope * (size - b)


def naive_table(results: Sequence[SizeResult], minute_s: float) -> list[str]:
    """Naive gspread vs ours, measured where it ran, extrapolated elsewhere."""
    out = ["| members | job | naive requests | our requests | naive / ours | naive wall s | our wall s | "
           "naive / ours | naive 429s | naive's own quota floor s | naive |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    measured = [r for r in results if r.naive_weekly is not None and r.naive_rollup is not None]
    for job in ("weekly", "rollup"):
        req = {r.size: float(getattr(r, f"naive_{job}").requests) for r in measured}
        wall = {r.size: getattr(r, f"naive_{job}").wall_s for r in measured}
        for r in results:
            mine: Phase = r.weekly if job == "weekly" else r.rollup_first
            naive_phase: Phase | None = getattr(r, f"naive_{job}")
            if naive_phase is not None:
                n_req, n_wall, how = float(naive_phase.requests), naive_phase.wall_s, "measured"
                thr = str(naive_phase.throttled)
                own = _s(max(naive_phase.sheets_writes, naive_phase.sheets_reads) / PER_MINUTE * minute_s)
            elif measured:
                n_req, n_wall = _extrapolate(req, r.size), _extrapolate(wall, r.size)
                basis = sorted(req)
                how = (f"**extrapolated** linearly from {', '.join(str(s) for s in basis)}" if len(basis) > 1
                       else f"**extrapolated** in proportion to size from {basis[0]}")
                thr, own = "-", "-"
            else:
                continue
            out.append(f"| {r.size:,} | {job} | {n_req:,.0f} | {mine.requests:,} | {n_req / mine.requests:.1f}x | "
                       f"{_s(n_wall)} | {_s(mine.wall_s)} | {n_wall / mine.wall_s:.1f}x | {thr} | {own} | {how} |")
    return out


def naive_breakdown(results: Sequence[SizeResult]) -> list[str]:
    """The naive script's requests by method at its largest measured size."""
    measured = [r for r in results if r.naive_weekly is not None and r.naive_rollup is not None]
    if not measured:
        return []
    r = measured[-1]
    lines = []
    for label, phase in (("weekly", r.naive_weekly), ("rollup", r.naive_rollup)):
        assert phase is not None
        methods = ", ".join(f"`{k}` {n}" for k, n in sorted(phase.by_method.items()))
        lines.append(f"- naive {label} at {r.size}: {methods}")
    return lines


def verdict(results: Sequence[SizeResult], minute_s: float) -> list[str]:
    """The targets at the largest size."""
    r = max(results, key=lambda x: x.size)
    new = int(r.weekly.notes["created"])  # type: ignore[call-overload]
    floor = floors.weekly(new, r.size)
    req = r.weekly.requests / floor.requests
    wall = r.weekly.wall_s / floor.quota_s(minute_s)
    rf = floors.rollup(r.files, r.files)
    rreq = r.rollup_first.requests / rf.requests
    rwall = r.rollup_first.wall_s / rf.quota_s(minute_s)

    def ok(value: float, limit: float) -> str:
        return "met" if value <= limit else "**NOT met**"

    return [f"At {r.size:,} members (targets: <= {TARGET_REQUESTS}x the request floor, <= {TARGET_WALL}x the quota "
            "floor in wall time):",
            f"- weekly: {req:.3f}x the request floor ({ok(req, TARGET_REQUESTS)}), {wall:.3f}x the quota floor "
            f"({ok(wall, TARGET_WALL)}); rerun writes: {r.rerun.writes}.",
            f"- rollup: {rreq:.3f}x the request floor ({ok(rreq, TARGET_REQUESTS)}), {rwall:.3f}x the quota floor "
            f"({ok(rwall, TARGET_WALL)}); rerun review reads: "
            f"{r.rollup_rerun.count('sheets.spreadsheets.values.batchGet', 'docs.documents.get')}."]


def _draw_note(results: Sequence[SizeResult]) -> str:
    chars = {r.size: int(r.weekly.notes.get("draw_chars", 0)) for r in results}  # type: ignore[call-overload]
    sizes = ", ".join(f"{v:,} characters at {k:,} members" for k, v in chars.items())
    over = [k for k, v in chars.items() if v > CELL_LIMIT]
    verdict = (f"at {', '.join(f'{k:,}' for k in over)} members the ledger spans the value over several cells "
               "of its row (45,000 characters each) and joins them on reading" if over else "every size fits one cell")
    return (f"- The draw record's size: {sizes}. Google Sheets (and the fake, since this bench found it) refuse "
            f"a cell over {CELL_LIMIT:,} characters: {verdict}.")


def render(results: Sequence[SizeResult], settings: Settings) -> str:
    """The whole results.md."""
    minute_s = 60.0 / settings.scale
    lines = ["# Benchmarks: the Google backend, measured against the loopback fake", "",
             "Regenerate with (from the repository root):", "", "```", settings.command, "```", "",
             f"Run on {settings.date}, took {settings.elapsed_s:.0f} s.", "", "| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in settings.machine]
    lines += ["", "## Conditions", "",
              f"- The loopback fake (tests/fakegoogle) answers every request after **{settings.latency_ms:g} ms** "
              "of latency (real time, not scaled) and enforces Sheets' per-user quota of **60 read and 60 write "
              "requests per minute** (Docs: 60 writes) as a sliding window, answering 429 beyond it.",
              f"- Time scale **{settings.scale:g}**: a quota minute lasts {minute_s:g} s. Our client runs its "
              "limiter and retry policy on a virtual clock (`monotonic() x scale`, sleeps divided by the scale, "
              "injected through `GoogleWorkspace(clock=, sleep=)`), so `[google] requests_per_minute` stays "
              "**60**, the production default. (Scaling requests_per_minute instead would be wrong: the limiter's "
              "window is a minute, so 60 x scale per minute allows bursts the scaled quota refuses.)",
              "- Every other `[google]` setting is the default (workers 4, max_attempts 6, max_retry_seconds "
              "120). Latency is not scaled, so the bench is harsher than production: at scale S, 80 ms is S x 80 "
              "ms of quota time; 4 workers keep up up to a scale of about 15.",
              "- Teams: N generated members, all on spreadsheets, one open case each; set up through the CLI "
              "(`templates create`, `folders sync`) with no latency and no quota; each approach and size gets "
              "a fresh fake. Requests are counted by the fake, each Drive batch part as one; the token endpoint "
              "is not counted.", ""]
    lines += ["## Weekly provisioning (first run of the cycle)", ""]
    lines += weekly_table(results, minute_s)
    lines += ["", "The few requests per cycle besides the 2 per new review (measured):", ""]
    lines += per_cycle_lines(results)
    lines += ["", "## Weekly rerun (everything exists: must write nothing)", ""]
    lines += rerun_table(results)
    lines += ["", "## Rollup (1 read per changed review; none when nothing changed)", "",
              "Before the first rollup every reviewer answers; then 1 review in "
              f"{CHANGED_SHARE} is edited; then the rollup runs again with nothing changed. Review reads are "
              "`values.batchGet` (one per spreadsheet). x quota floor is shown where the reads exceed one "
              "minute's quota.", ""]
    lines += rollup_table(results, minute_s)
    lines += ["", "## The straightforward gspread script, side by side", "",
              "Same team, same draw, same conditions, on its own fresh fake: `gc.copy()` of the "
              "template into the owner's folder (gspread then calls open_by_key and copies comments), "
              "`sh.sheet1`, one `update_acell` per header cell; the rollup `list_spreadsheet_files`, "
              "`open_by_key`, `worksheets()` and `get_all_values()` per sheet. Sequential; on 429 it backs off "
              "like gspread's BackOffHTTPClient, in scaled seconds. Ours = the weekly run and the first "
              "rollup above.", ""]
    lines += naive_table(results, minute_s)
    lines += ["", *naive_breakdown(results),
              "- At this time scale the sequential script is bound by latency (about 0.1 s a request) more than "
              "by its own quota floor; in production (a 60 s minute) its 4 Sheets writes per review bind it "
              "instead: 4x our writes, so at least 4x our time.", ""]
    lines += ["", "## Rollup aggregation (pandas)", "",
              "`python bench/bench_aggregation.py` (its own process, so the RSS is its own):", "",
              "| what | input | time | memory | | rows | target |", "|---|---|---:|---:|---:|---:|---|",
              settings.aggregation_row.strip(), ""]
    lines += ["## Verdict", ""]
    lines += verdict(results, minute_s)
    lines += ["", "## Notes", "", _draw_note(results),
              "- Wall times are of one run on a shared 2-core machine (other jobs were running); request "
              "counts are exact and repeatable, times are not.",
              "- One-off diagnostic runs at 1,000 members, scale 10, 80 ms (not regenerated by this command): "
              "with the limiter's former default burst (per_minute // 6 = 10, refilling at 50/min) the weekly "
              "run took 121.2 s, 1.21x its quota floor (over the 1.2x target); the default is now "
              "per_minute // 30 = 2 at 58/min (gworkspace_reviews/adapters/google/ratelimit.py). A version "
              "that called create_reviews in chunks of 50 (for progress output) made 2,030 requests in ~108 s: "
              "each chunk listed the cycle again; progress is now logged by the adapter instead.", ""]
    return "\n".join(lines)

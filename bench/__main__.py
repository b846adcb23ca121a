"""`python -m bench`: measure the weekly job and the rollup on the Google backend, ours vs naive gspread.

Prints the Markdown report and rewrites bench/results.md. Options:
  --sizes 13,100,1000     team sizes (members) to measure
  --naive-sizes 13,100    sizes at which the naive gspread script also runs (larger ones are extrapolated)
  --latency-ms 80         latency of every request in the fake (real time)
  --time-scale 10         quota minutes per real minute: a quota minute lasts 60/scale seconds
  --quick                 sizes 13,100, naive at 13 only (under 2 minutes)
  --out PATH              where to write the report (default bench/results.md; "-" for stdout only)
Run from the repository root (it imports the fake from tests/).
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import machine
from bench.report import Settings, render
from bench.run import SizeResult, run_naive, run_ours
from bench.virtual_time import VirtualTime

HERE = Path(__file__).resolve().parent


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 13,100,1000, got {text!r}") from None
    if not sizes or min(sizes) < 3:
        raise argparse.ArgumentTypeError(f"team sizes must be 3 or more, got {text!r}")
    return sizes


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=None, help="team sizes (default 13,100,1000)")
    parser.add_argument("--naive-sizes", type=_sizes, default=None, help="sizes the naive script runs at "
                        "(default 13,100; larger sizes are extrapolated)")
    parser.add_argument("--latency-ms", type=float, default=80.0, help="latency per request (default 80)")
    parser.add_argument("--time-scale", type=float, default=10.0, help="quota time scale (default 10)")
    parser.add_argument("--quick", action="store_true", help="sizes 13,100; naive at 13 only")
    parser.add_argument("--out", default=str(HERE / "results.md"), help="report file, '-' for none")
    args = parser.parse_args(argv)
    if args.time_scale <= 0 or args.latency_ms < 0:
        parser.error("--time-scale must be > 0 and --latency-ms >= 0")
    if args.sizes is None:
        args.sizes = [13, 100] if args.quick else [13, 100, 1000]
    if args.naive_sizes is None:
        args.naive_sizes = [13] if args.quick else [13, 100]
    return args


def _aggregation() -> str:
    done = subprocess.run([sys.executable, str(HERE / "bench_aggregation.py")], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        return f"| rollup aggregation | failed: {done.stderr.strip().splitlines()[-1:]} | | | | | |"
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    """Run every measurement, print the report, write it to --out."""
    args = _args(argv)
    start = time.perf_counter()
    shown = " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    command = f"python -m bench {shown}".strip()
    details = machine.details()
    sys.stderr.write("pandas aggregation of 10,000 reviews\n")
    aggregation = _aggregation()
    vt = VirtualTime(args.time_scale)
    results: list[SizeResult] = []
    with tempfile.TemporaryDirectory(prefix="gwr-bench-") as tmp:
        for size in args.sizes:
            result = run_ours(size, vt, args.latency_ms, Path(tmp))
            if size in args.naive_sizes:
                run_naive(result, vt, args.latency_ms, Path(tmp))
            results.append(result)
    settings = Settings(command=command, date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                        latency_ms=args.latency_ms, scale=args.time_scale, machine=details,
                        aggregation_row=aggregation, elapsed_s=time.perf_counter() - start)
    text = render(results, settings)
    sys.stdout.write(text)
    if args.out != "-":
        Path(args.out).write_text(text, encoding="utf-8")
        sys.stderr.write(f"wrote {args.out}\n")


if __name__ == "__main__":
    main()

"""The command line: each command parses, builds via bootstrap, calls one service, renders, returns an exit code.

Exit codes: 0 ok, 1 partial failure (each failure named), 2 configuration or usage.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from gworkspace_reviews import __version__
from gworkspace_reviews.errors import ReviewsError, UsageError

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("gworkspace_reviews")


def _setup_logging(verbose: int, quiet: bool) -> None:
    """Logging is configured once, here: progress on a terminal, warnings only under cron or --json."""
    if verbose:
        level = logging.DEBUG if verbose > 1 else logging.INFO
    elif quiet or not sys.stderr.isatty():
        level = logging.WARNING
    else:
        level = logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(message)s", stream=sys.stderr, force=True)
    for noisy in ("googleapiclient", "google", "urllib3", "slack_sdk", "httplib2"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=False, default=str))


def _machine_output(as_json: bool) -> None:
    """With --json, stderr carries only warnings and errors, so scripts and cron see no progress chatter."""
    if as_json:
        logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))


def handles_errors(func: F) -> F:
    """Show a ReviewsError as a message on stderr with its exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = func(*args, **kwargs)
        except ReviewsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # the machine's side (permissions, a full disk, no network): say which file
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}; check that path, its permissions and free space, "
                       "then run the command again (what was done is kept)", err=True)
            sys.exit(1)
        sys.exit(code or 0)

    return cast(F, wrapper)


def exclusive(func: F) -> F:
    """Run a changing command under the config's run lock; a second concurrent run exits 0 at once."""

    @functools.wraps(func)
    def wrapper(state: State, *args: Any, **kwargs: Any) -> Any:
        from gworkspace_reviews.adapters.runlock import run_lock

        lock = state.config_path.expanduser().resolve().parent / ".gworkspace-reviews" / "run.lock"
        with run_lock(lock) as acquired:
            if not acquired:
                click.echo(f"another gworkspace-reviews run holds {lock}; exiting without doing anything",
                           err=True)
                return 0
            return func(state, *args, **kwargs)

    return cast(F, wrapper)


class State:
    """What the group passes to commands: where the config is, and how to load it."""

    def __init__(self, config_path: Path, today: date | None = None) -> None:
        self.config_path = config_path
        self.today = today
        self.built: list[Any] = []

    def close(self) -> None:
        """Close every context built for the command (saves the Google read cache)."""
        while self.built:
            self.built.pop().close()

    def config(self) -> Any:
        from gworkspace_reviews.config import load_config

        return load_config(self.config_path)

    def context(self, messaging: bool = True) -> Any:
        from gworkspace_reviews.bootstrap import build

        config = self.config()
        clock = None
        if self.today is not None:
            from datetime import datetime, time

            from gworkspace_reviews.adapters.clock import FixedClock
            from gworkspace_reviews.domain.cycles import zone

            clock = FixedClock(datetime.combine(self.today, time(9), tzinfo=zone(config.team.timezone)))
        ctx = build(config, messaging=messaging, clock=clock)
        self.built.append(ctx)
        return ctx


pass_state = click.make_pass_decorator(State)


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2021-12-13") from None


def _parse_month(value: str | None) -> str | None:
    if value is None:
        return None
    from gworkspace_reviews.domain.cycles import parse_month

    try:
        return parse_month(value)
    except ValueError as exc:
        raise UsageError(f"--month: {exc}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gworkspace-reviews")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Path to reviews.toml (env GWORKSPACE_REVIEWS_CONFIG, default ./reviews.toml).")
@click.option("--today", "today_text", metavar="YYYY-MM-DD", default=None,
              help="Run as if today were this date (catching up a missed run; tests).")
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, today_text: str | None, verbose: int, quiet: bool) -> None:
    """Run a support team's case-review practice on Google Workspace or a local workspace.

    Peer reviews are drawn and provisioned each cycle (`weekly`), self + manager reviews monthly (`monthly`),
    and every yes/no answer rolls up into the KR1 compliance spreadsheet (`rollup`). Reviews are conversations,
    not a performance assessment or a report card.
    """
    _setup_logging(verbose, quiet)
    path = config_path or Path(os.environ.get("GWORKSPACE_REVIEWS_CONFIG", "reviews.toml"))
    ctx.call_on_close(lambda: ctx.obj.close() if isinstance(ctx.obj, State) else None)
    try:
        today = _parse_date(today_text, "--today")
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--today") from None
    ctx.obj = State(path, today)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@handles_errors
def init(directory: Path) -> int:
    """Write a ready-to-run sample (13 members, local templates, a case export) into DIRECTORY."""
    from gworkspace_reviews.sample import write_sample_project

    written = write_sample_project(directory)
    click.echo(f"wrote a sample team into {directory}:")
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"next: gworkspace-reviews --config {directory / 'reviews.toml'} weekly --cycle 2021-12-13")
    return 0


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_state
@handles_errors
def check(state: State, as_json: bool) -> int:
    """Validate the config (every problem at once) and summarise it."""
    _machine_output(as_json)
    from gworkspace_reviews.config import config_summary

    config = state.config()
    if as_json:
        _emit({"ok": True, "config": str(config.path), "summary": config_summary(config)})
    else:
        click.echo(f"{config.path}: ok")
        for line in config_summary(config):
            click.echo(f"  {line}")
    return 0


@cli.command()
@click.option("--cycle", help="A date in the cycle (YYYY-MM-DD); default today.")
@click.option("--json", "as_json", is_flag=True, help="Print the draw as JSON.")
@pass_state
@handles_errors
def draw(state: State, cycle: str | None, as_json: bool) -> int:
    """Show a cycle's peer draw (the recorded one, else what `weekly` would draw); records nothing."""
    _machine_output(as_json)
    from gworkspace_reviews.services.draw_record import preview_draw

    ctx = state.context(messaging=False)
    preview = preview_draw(ctx, _parse_date(cycle, "--cycle"))
    if as_json:
        _emit(preview.as_json())
        return 0
    if not preview.due or preview.draw is None:
        click.echo(f"{preview.cycle}: not a cycle week; no draw")
        return 0
    d = preview.draw
    click.echo(f"draw for {preview.cycle} ({'recorded' if preview.recorded else 'not recorded yet'}; seed {d.seed})")
    if d.note:
        click.echo(f"  note: {d.note}")
    cfg = ctx.config
    for a in d.assignments:
        click.echo(f"  {cfg.name_of(a.reviewer)} <{a.reviewer}> -> {cfg.name_of(a.owner)} <{a.owner}>")
    for e in d.excluded:
        click.echo(f"  not drawn: {cfg.name_of(e.email)} <{e.email}>: {e.reason}")
    return 0


def _render_provision(result: Any, as_json: bool) -> int:
    if as_json:
        _emit(result.as_json())
        return int(result.exit_code)
    plan = result.plan
    what = "cycle" if plan.kind == "peer" else "month"
    if not plan.due:
        click.echo(f"{plan.period}: not a cycle week; nothing to do")
        return 0
    verb = "would create" if result.dry_run else "created"
    data = result.as_json()
    if plan.draw is not None:
        click.echo(f"{what} {plan.period}: draw seed {plan.draw.seed}"
                   + (" (new draw)" if plan.new_draw else " (recorded draw)"))
        for e in plan.draw.excluded:
            click.echo(f"  not drawn: {e.email}: {e.reason}")
    else:
        click.echo(f"{what} {plan.period}")
    for r in data["reviews"]:
        label = {"create": verb, "created": verb, "exists": "exists", "error": "FAILED"}[r["action"]]
        who = r["owner"] if plan.kind == "self" else f"{r['reviewer']} -> {r['owner']}"
        where = r["location"] or (f"{r['name']} ({r['format']})" if r["name"] else "")
        case = f" case {r['case_id']}" if r["case_id"] else ""
        click.echo(f"  {label:13} {who}{case}: {where}" + (f" [{r['error']}]" if r["error"] else ""))
    for p in plan.problems:
        click.echo(f"  note: {p}")
    if plan.cases_note:
        click.echo(f"  note: {plan.cases_note}")
    msgs = data["messages"]
    if result.dry_run:
        click.echo(f"  would send {len(plan.messages)} message(s): " + ", ".join(m.key for m in plan.messages))
    else:
        click.echo(f"  messages: {len(msgs['sent'])} sent, {len(msgs['already_sent'])} already sent, "
                   f"{len(msgs['failed'])} failed")
    for failure in result.failures:
        click.echo(f"failed: {failure}", err=True)
    return int(result.exit_code)


@cli.command()
@click.option("--cycle", help="A date in the cycle week (YYYY-MM-DD); default today.")
@click.option("--dry-run", is_flag=True, help="Print the plan; create and send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_state
@handles_errors
@exclusive
def weekly(state: State, cycle: str | None, dry_run: bool, as_json: bool) -> int:
    """The Monday job: draw, provision each peer review in its owner's folder, announce once."""
    _machine_output(as_json)
    from gworkspace_reviews.services.weekly import apply_weekly, plan_weekly

    ctx = state.context(messaging=not dry_run)
    plan = plan_weekly(ctx, _parse_date(cycle, "--cycle"))
    return _render_provision(apply_weekly(ctx, plan, dry_run=dry_run), as_json)


@cli.command()
@click.option("--month", help="YYYY-MM; default this month.")
@click.option("--if-last-working-day", "guard", is_flag=True,
              help="Do nothing (exit 0) unless today is the month's last working day (for cron).")
@click.option("--dry-run", is_flag=True, help="Print the plan; create and send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_state
@handles_errors
@exclusive
def monthly(state: State, month: str | None, guard: bool, dry_run: bool, as_json: bool) -> int:
    """The monthly job: two self-review files per member (manager's random open case + their own pick)."""
    _machine_output(as_json)
    from gworkspace_reviews.domain.cycles import last_working_day, month_of
    from gworkspace_reviews.services.monthly import apply_monthly, plan_monthly

    ctx = state.context(messaging=not dry_run)
    today = ctx.today()
    if guard and today != last_working_day(month_of(today)):
        click.echo(f"{today} is not the last working day of {month_of(today)}; nothing to do")
        return 0
    plan = plan_monthly(ctx, _parse_month(month))
    return _render_provision(apply_monthly(ctx, plan, dry_run=dry_run), as_json)


@cli.command()
@click.option("--cycle", help="A date in the cycle (YYYY-MM-DD); default the latest cycle.")
@click.option("--month", help="YYYY-MM: the month's peer cycles and self reviews.")
@click.option("--json", "as_json", is_flag=True, help="Print the reviews as JSON.")
@pass_state
@handles_errors
def status(state: State, cycle: str | None, month: str | None, as_json: bool) -> int:
    """Every review of a cycle or month with its state: not_started, in_progress, complete, invalid."""
    _machine_output(as_json)
    from gworkspace_reviews.services.status import review_status

    if cycle and month:
        raise UsageError("give --cycle or --month, not both")
    ctx = state.context(messaging=False)
    result = review_status(ctx, cycle=_parse_date(cycle, "--cycle"), month=_parse_month(month))
    if as_json:
        _emit(result.as_json())
        return 0
    counts = ", ".join(f"{n} {s}" for s, n in sorted(result.counts().items())) or "no reviews"
    click.echo(f"{result.label}: {counts}")
    for r in result.reviews:
        k = r.file.key
        who = f"{k.owner} ({k.slot})" if k.kind == "self" else f"{k.reviewer} -> {k.owner}"
        extra = f", manager: {r.manager_state}" if r.manager_state else ""
        bad = f" invalid: {', '.join(r.invalid)}" if r.invalid else ""
        click.echo(f"  {r.state:11} {k.kind} {who} case {r.file.case_id or '-'}{extra}: {r.file.location}{bad}")
    return 0


@cli.command()
@click.option("--dry-run", is_flag=True, help="List the messages; send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_state
@handles_errors
@exclusive
def remind(state: State, dry_run: bool, as_json: bool) -> int:
    """Nudge reviewers of incomplete reviews; tell owners and managers, once, when a review is complete."""
    _machine_output(as_json)
    from gworkspace_reviews.services.remind import remind as run_remind

    ctx = state.context(messaging=not dry_run)
    result = run_remind(ctx, dry_run=dry_run)
    if as_json:
        _emit(result.as_json())
        return result.exit_code
    verb = "would send" if dry_run else "sent"
    click.echo(f"{verb} {len(result.messages) if dry_run else len(result.report.sent)} message(s)")
    for m in result.messages:
        click.echo(f"  {m.key} -> {m.target}")
    for key, why in result.report.failed:
        click.echo(f"failed: {key}: {why}", err=True)
    return result.exit_code


@cli.command()
@click.option("--month", help="Only this month (YYYY-MM).")
@click.option("--through", help="Last KR test date to include (YYYY-MM-DD); default today.")
@click.option("--per-person-for", "manager", help="A manager's email: also write their own reports' detail, "
              "to a separate file only for them.")
@click.option("--dry-run", is_flag=True, help="Compute and print; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the rollup as JSON.")
@pass_state
@handles_errors
@exclusive
def rollup(state: State, month: str | None, through: str | None, manager: str | None, dry_run: bool,
           as_json: bool) -> int:
    """Read every review's answers and write the KR1 compliance spreadsheet."""
    _machine_output(as_json)
    from gworkspace_reviews.services.rollup import run_rollup

    ctx = state.context(messaging=False)
    if manager:
        manager = manager.strip().lower()
        if ctx.config.manager(manager) is None:
            raise UsageError(f"--per-person-for: {manager} is not among [[managers]]")
        if ctx.config.workspace.backend == "google" and manager not in ctx.config.workspace.per_person:
            raise UsageError(f"--per-person-for: no spreadsheet for {manager}; create one shared only with them "
                             f'and add [workspace.per_person] "{manager}" = "<spreadsheet id>" to reviews.toml')
    result = run_rollup(ctx.config, ctx.workspace, ctx.today(), month=_parse_month(month),
                        through=_parse_date(through, "--through"), dry_run=dry_run, per_person_for=manager)
    if as_json:
        _emit(result.as_json())
        return 0
    tests = result.tests
    if tests:
        latest = tests[-1]
        rate = "no data" if latest["yes_rate"] is None else f"{latest['yes_rate']:.1%}"
        click.echo(f"KR1 latest test {latest['date']}: yes-rate {rate} over {latest['reviews']} review(s), "
                   f"target {ctx.config.kr1.target:.0%}, met: {latest['met']}")
    click.echo(f"{len(tests)} weekly test(s), {len(result.attention)} item(s) need attention")
    click.echo(f"written to {result.location}" if result.location else "dry run: nothing written")
    return 0


@cli.command("set-case")
@click.argument("owner")
@click.argument("case_id")
@click.option("--cycle", help="The cycle (YYYY-MM-DD) of a peer review.")
@click.option("--month", help="The month (YYYY-MM) of a self review.")
@click.option("--slot", type=click.Choice(["manager-pick", "own-pick"]), help="Which self review.")
@pass_state
@handles_errors
@exclusive
def set_case(state: State, owner: str, case_id: str, cycle: str | None, month: str | None,
             slot: str | None) -> int:
    """Set or replace the case ID of OWNER's review (peer: --cycle; self: --month and --slot)."""
    from gworkspace_reviews.domain.cycles import monday_of
    from gworkspace_reviews.services.manage import set_case as run_set_case

    if bool(cycle) == bool(month):
        raise UsageError("give exactly one of --cycle (peer review) or --month (self review)")
    ctx = state.context(messaging=False)
    if cycle:
        day = _parse_date(cycle, "--cycle")
        assert day is not None
        file = run_set_case(ctx, "peer", monday_of(day).isoformat(), owner.lower(), case_id)
    else:
        file = run_set_case(ctx, "self", _parse_month(month) or "", owner.lower(), case_id, slot or "")
    click.echo(f"case {case_id} set on {file.location}")
    return 0


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--cycle", required=True, help="The cycle (YYYY-MM-DD) whose draw changes.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@pass_state
@handles_errors
@exclusive
def swap(state: State, old: str, new: str, cycle: str, yes: bool, dry_run: bool) -> int:
    """Put NEW in OLD's place in a cycle's draw (exchanging them when both are drawn)."""
    from gworkspace_reviews.domain.cycles import monday_of
    from gworkspace_reviews.services.manage import apply_swap, plan_swap

    day = _parse_date(cycle, "--cycle")
    assert day is not None
    ctx = state.context(messaging=False)
    plan = plan_swap(ctx, monday_of(day), old.lower(), new.lower())
    for a in plan.new.assignments:
        if a not in plan.old.assignments:
            click.echo(f"  new pair: {a.reviewer} -> {a.owner}")
    for file, a in plan.moves:
        click.echo(f"  move/re-head {file.location} -> {a.reviewer} -> {a.owner}")
    for file, why in plan.blocked:
        click.echo(f"  keep {file.location}: {why}")
    for a in plan.missing:
        click.echo(f"  to create by the next `weekly --cycle {plan.cycle}`: {a.reviewer} -> {a.owner}")
    if dry_run:
        return 0
    if not yes and not click.confirm("apply this swap?", default=False):
        click.echo("nothing changed")
        return 0
    apply_swap(ctx, plan)
    click.echo(f"draw for {plan.cycle} updated")
    return 0


@cli.command()
@click.argument("email")
@click.option("--from", "start", required=True, help="First day away (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day away (YYYY-MM-DD).")
@click.option("--reason", default="away", show_default=True, help="Shown in the draw's announcement.")
@pass_state
@handles_errors
@exclusive
def away(state: State, email: str, start: str, end: str, reason: str) -> int:
    """Record an absence for EMAIL (written to reviews.away.toml beside the config)."""
    from gworkspace_reviews.services.manage import record_away

    ctx = state.context(messaging=False)
    s, e = _parse_date(start, "--from"), _parse_date(end, "--to")
    assert s is not None and e is not None
    path = record_away(ctx, email.lower(), s, e, reason)
    click.echo(f"{email} away {s} to {e} ({reason}); recorded in {path}")
    return 0


@cli.group()
def templates() -> None:
    """Default review templates."""


@templates.command("create")
@click.option("--folder", help="Drive folder id for the templates (google); default the workspace root.")
@pass_state
@handles_errors
def templates_create(state: State, folder: str | None) -> int:
    """Create the default peer and self templates and print their ids/paths for [templates]."""
    from gworkspace_reviews.setup_commands import create_templates

    created = create_templates(state.config(), folder)
    click.echo("[templates]")
    for key, value in created.items():
        click.echo(f'{key} = "{value}"')
    return 0


@cli.group()
def folders() -> None:
    """Members' review folders."""


@folders.command("sync")
@click.option("--dry-run", is_flag=True, help="List the missing folders; create nothing.")
@pass_state
@handles_errors
def folders_sync(state: State, dry_run: bool) -> int:
    """Create each member's folder under the peer-review folder when missing (shares nothing)."""
    from gworkspace_reviews.setup_commands import sync_folders

    for email, folder, action in sync_folders(state.config(), dry_run=dry_run):
        click.echo(f"  {action:8} {email}: {folder}")
    return 0


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()

"""Our way: the weekly job and the rollup through the services and the Google adapter, as cron runs them.

The context is the composition root's (bootstrap.build) except that the Google workspace gets the bench's
virtual clock and sleep, so its limiter and retry policy run in the same time-scaled minutes as the fake's
quota (see virtual_time). Every [google] setting is the default.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from bench.counting import Phase, measure
from bench.team import CYCLE, Team
from bench.virtual_time import VirtualTime
from gworkspace_reviews import bootstrap
from gworkspace_reviews.adapters.google.workspace import GoogleWorkspace
from gworkspace_reviews.config import load_config
from gworkspace_reviews.services.context import Context
from gworkspace_reviews.services.draw_record import encode_draw
from gworkspace_reviews.services.rollup import run_rollup
from gworkspace_reviews.services.weekly import apply_weekly, plan_weekly

ROLLUP_DAY = date(2021, 12, 16)  # the Thursday of the first cycle


def context(team: Team, vt: VirtualTime) -> Context:
    """A job context for the team, its Google workspace on virtual time."""
    config = load_config(team.config)
    base = bootstrap.build(config, messaging=True)
    base.workspace.close()
    workspace = GoogleWorkspace(config.google, config.workspace, dict(config.templates),
                                cache_path=config.base_dir / bootstrap.STATE_DIR / "read-cache.json",
                                clock=vt.clock, sleep=vt.sleep)
    return dataclasses.replace(base, workspace=workspace, ledger=workspace.ledger())


def weekly(team: Team, vt: VirtualTime, name: str) -> Phase:
    """One `weekly` run for the first cycle (a fresh context, as each cron run builds its own)."""
    ctx = context(team, vt)
    try:
        with measure(team.fake, name) as phase:
            plan = plan_weekly(ctx, date.fromisoformat(CYCLE))
            result = apply_weekly(ctx, plan)
    finally:
        ctx.close()
    if result.exit_code:
        raise RuntimeError(f"weekly at {team.size} failed: {result.failures[:3]}")
    phase.notes["created"] = sum(1 for o in result.outcomes if o.created)
    phase.notes["reviews"] = len(plan.reviews)
    phase.notes["sent"] = len(result.report.sent)
    # The draw record's size: Sheets caps a cell at 50,000 characters, so the ledger splits longer values.
    phase.notes["draw_chars"] = len(encode_draw(plan.draw)) if plan.draw else 0
    return phase


def rollup(team: Team, vt: VirtualTime, name: str) -> Phase:
    """One `rollup` run (the read cache persists between runs, as on disk between cron runs)."""
    ctx = context(team, vt)
    try:
        with measure(team.fake, name) as phase:
            result = run_rollup(ctx.config, ctx.workspace, ROLLUP_DAY)
    finally:
        ctx.close()
    phase.notes["tests"] = len(result.tests)
    phase.notes["reviews_in_latest_test"] = result.tests[-1]["reviews"] if result.tests else 0
    return phase

"""Manager commands: set a review's case ID, swap a person in a recorded draw, record an absence."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from gworkspace_reviews.domain.draw import assignment_problems
from gworkspace_reviews.domain.models import Assignment, Draw, Excluded, Kind, ReviewFile, ReviewKey
from gworkspace_reviews.errors import UsageError
from gworkspace_reviews.services.context import Context
from gworkspace_reviews.services.draw_record import draw_key, encode_draw, recorded_draw
from gworkspace_reviews.services.naming import build_spec
from gworkspace_reviews.services.status import status_of


def find_review(ctx: Context, kind: Kind, period: str, owner: str, slot: str = "") -> ReviewFile:
    """The one review file of ``owner`` for a period (and slot), or a UsageError saying what exists."""
    files = [f for f in ctx.workspace.list_reviews(kind=kind, period=period)
             if f.key.owner == owner and (not slot or f.key.slot == slot)]
    if not files:
        raise UsageError(f"no {kind} review of {owner} for {period}"
                         + (f" ({slot})" if slot else "") + "; check the date/month and the email (`status`)")
    if len(files) > 1:
        raise UsageError(f"{len(files)} {kind} reviews of {owner} for {period}: pass --slot "
                         + " or ".join(sorted({f.key.slot for f in files})))
    return files[0]


def set_case(ctx: Context, kind: Kind, period: str, owner: str, case_id: str, slot: str = "") -> ReviewFile:
    """Set or replace a review's case ID (header and tags)."""
    if not case_id.strip():
        raise UsageError("the case ID must not be empty")
    return ctx.workspace.set_case(find_review(ctx, kind, period, owner, slot), case_id.strip())


@dataclass
class SwapPlan:
    """A swap's new draw and what happens to each affected file."""

    cycle: date
    old: Draw
    new: Draw
    moves: list[tuple[ReviewFile, Assignment]] = field(default_factory=list)  # untouched files re-tagged/moved
    blocked: list[tuple[ReviewFile, str]] = field(default_factory=list)  # touched: left as they are
    missing: list[Assignment] = field(default_factory=list)  # created by the next `weekly` run

    def as_json(self) -> dict[str, Any]:
        """Machine output."""
        return {"cycle": self.cycle.isoformat(),
                "assignments": [{"reviewer": a.reviewer, "owner": a.owner} for a in self.new.assignments],
                "moves": [{"location": f.location, "reviewer": a.reviewer, "owner": a.owner} for f, a in self.moves],
                "blocked": [{"location": f.location, "reason": why} for f, why in self.blocked],
                "missing": [{"reviewer": a.reviewer, "owner": a.owner} for a in self.missing]}


def _swapped(assignments: tuple[Assignment, ...], old: str, new: str) -> tuple[Assignment, ...]:
    def sub(email: str) -> str:
        return new if email == old else old if email == new else email
    return tuple(Assignment(sub(a.reviewer), sub(a.owner)) for a in assignments)


def plan_swap(ctx: Context, cycle: date, old: str, new: str) -> SwapPlan:
    """Replace ``old`` by ``new`` in a cycle's draw (exchanging their places when both are in it)."""
    draw = recorded_draw(ctx.ledger.entries(), cycle)
    if draw is None:
        raise UsageError(f"no draw recorded for {cycle}; run `weekly --cycle {cycle}` first")
    people = {e for a in draw.assignments for e in (a.reviewer, a.owner)}
    if old not in people:
        raise UsageError(f"{old} is not in the draw for {cycle}")
    if ctx.config.member(new) is None:
        raise UsageError(f"{new} is not a member; add them to [[members]] first")
    assignments = _swapped(draw.assignments, old, new)
    problems = assignment_problems(assignments)
    if problems:
        raise UsageError(f"swapping {old} and {new} breaks the draw: " + "; ".join(problems))
    excluded = tuple(e for e in draw.excluded if e.email != new)
    if new not in people:
        excluded += (Excluded(old, f"swapped out for {new}"),)
    new_draw = replace(draw, assignments=assignments, excluded=excluded,
                       note=((draw.note + "; ") if draw.note else "") + f"swap: {old} -> {new}")
    plan = SwapPlan(cycle, draw, new_draw)
    files = {(f.key.reviewer, f.key.owner): f
             for f in ctx.workspace.list_reviews(kind="peer", period=cycle.isoformat())}
    changed = [a for a in assignments if a not in draw.assignments]
    replaced = [a for a in draw.assignments if a not in assignments]
    touched = {r.file.file_id: r for r in ctx.workspace.read_reviews([files[(a.reviewer, a.owner)] for a in replaced
                                                                      if (a.reviewer, a.owner) in files])}
    pool = [files[(a.reviewer, a.owner)] for a in replaced if (a.reviewer, a.owner) in files]
    for target in changed:
        # Prefer the file already in the target owner's folder (only the reviewer changes); else any freed file.
        candidates = sorted(pool, key=lambda f: f.key.owner != target.owner)
        file = next(iter(candidates), None)
        if file is None:
            plan.missing.append(target)
            continue
        pool.remove(file)
        state = status_of(touched[file.file_id]).state
        if state != "not_started":
            plan.blocked.append((file, f"already {state.replace('_', ' ')}: left as it is"))
            plan.missing.append(target)
        else:
            plan.moves.append((file, target))
    return plan


def apply_swap(ctx: Context, plan: SwapPlan) -> list[ReviewFile]:
    """Record the new draw, then re-tag, move and re-head the untouched files."""
    ctx.ledger.put(draw_key(plan.cycle), encode_draw(plan.new))
    done = []
    for file, target in plan.moves:
        owner = ctx.config.member(target.owner)
        assert owner is not None
        key = ReviewKey(kind="peer", period=plan.cycle.isoformat(), reviewer=target.reviewer, owner=target.owner)
        folder = file.folder if file.key.owner == target.owner else ctx.workspace.resolve_folder(owner)
        done.append(ctx.workspace.reassign(file, build_spec(ctx.config, key, owner, folder, file.case_id)))
    return done


def record_away(ctx: Context, email: str, start: date, end: date, reason: str) -> str:
    """Record an absence in the tool-owned roster file (never edits reviews.toml); returns where."""
    if ctx.config.member(email) is None:
        raise UsageError(f"{email} is not a member of {ctx.config.path}")
    if end < start:
        raise UsageError(f"the absence ends ({end}) before it starts ({start})")
    if ctx.absences is None:
        raise UsageError("this run has no absences file configured")
    return ctx.absences.add(email, start, end, reason)

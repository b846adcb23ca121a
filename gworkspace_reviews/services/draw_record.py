"""The recorded draws in the ledger: a draw once made is never silently redrawn."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from gworkspace_reviews.domain.cycles import cycle_for, monday_of, previous_cycles
from gworkspace_reviews.domain.draw import draw_cycle
from gworkspace_reviews.domain.models import Assignment, Draw, Excluded
from gworkspace_reviews.ports import Ledger
from gworkspace_reviews.services.context import Context


def draw_key(cycle: date) -> str:
    """Ledger key of a cycle's draw."""
    return f"draw:{cycle.isoformat()}"


def encode_draw(draw: Draw) -> str:
    """The draw as compact JSON."""
    return json.dumps({
        "cycle": draw.cycle.isoformat(), "seed": draw.seed, "note": draw.note,
        "assignments": [[a.reviewer, a.owner] for a in draw.assignments],
        "excluded": [[e.email, e.reason] for e in draw.excluded],
    }, separators=(",", ":"), sort_keys=True)


def decode_draw(text: str) -> Draw:
    """A draw from its JSON."""
    data = json.loads(text)
    return Draw(cycle=date.fromisoformat(data["cycle"]), seed=data["seed"], note=data.get("note"),
                assignments=tuple(Assignment(r, o) for r, o in data["assignments"]),
                excluded=tuple(Excluded(e, why) for e, why in data["excluded"]))


def recorded_draw(entries: dict[str, str], cycle: date) -> Draw | None:
    """The draw recorded for ``cycle``, if any."""
    text = entries.get(draw_key(cycle))
    return decode_draw(text) if text else None


def draw_for(ctx: Context, cycle: date, entries: dict[str, str]) -> tuple[Draw, bool]:
    """The recorded draw for ``cycle``, else a new one avoiding recent pairs; True when it is new."""
    existing = recorded_draw(entries, cycle)
    if existing is not None:
        return existing, False
    cfg = ctx.config
    history = []
    for past in previous_cycles(cycle, cfg.cadence, cfg.avoid_repeats):
        past_draw = recorded_draw(entries, past)
        history.append(past_draw.assignments if past_draw else ())
    draw = draw_cycle(list(cfg.members), cycle, team=cfg.team.name, history=history,
                      avoid_repeats=cfg.avoid_repeats)
    return draw, True


def save_draw(ledger: Ledger, draw: Draw) -> None:
    """Record (or, for swap, replace) a cycle's draw."""
    ledger.put(draw_key(draw.cycle), encode_draw(draw))


@dataclass(frozen=True)
class DrawPreview:
    """A cycle's draw as `draw` shows it: recorded when one exists, else what the weekly job would draw."""

    cycle: date
    due: bool
    draw: Draw | None
    recorded: bool

    def as_json(self) -> dict[str, Any]:
        """The DESIGN.md shape (``due: false`` with empty lists on an off-week)."""
        d = self.draw
        return {"cycle": self.cycle.isoformat(), "due": self.due, "recorded": self.recorded,
                "seed": d.seed if d else None, "note": d.note if d else None,
                "assignments": [{"reviewer": a.reviewer, "owner": a.owner} for a in (d.assignments if d else ())],
                "excluded": [{"email": e.email, "reason": e.reason} for e in (d.excluded if d else ())]}


def preview_draw(ctx: Context, day: date | None) -> DrawPreview:
    """The draw for the cycle of ``day`` (default today) without recording anything."""
    monday = monday_of(day or ctx.today())
    if cycle_for(monday, ctx.config.cadence) is None:
        return DrawPreview(monday, False, None, False)
    draw, new = draw_for(ctx, monday, ctx.ledger.entries())
    return DrawPreview(monday, True, draw, not new)

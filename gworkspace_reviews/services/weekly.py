"""The Monday job: draw, provision every peer review into its owner's folder, announce once.

Plan first (:func:`plan_weekly`, which writes nothing), then apply (:func:`apply_weekly`). Apply is idempotent:
the draw is recorded in the ledger before any copy; existing files (found by their tags) are never copied again;
headers are filled only where empty; every message goes out once (see ``notices``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gworkspace_reviews.domain.cases import suggest_peer_case
from gworkspace_reviews.domain.cycles import cycle_for, monday_of
from gworkspace_reviews.domain.models import Case, Draw, Kind, Outcome, ReviewFile, ReviewKey, ReviewSpec
from gworkspace_reviews.errors import ReviewsError, TemplateError
from gworkspace_reviews.services import messages
from gworkspace_reviews.services.context import Context
from gworkspace_reviews.services.draw_record import draw_for, save_draw
from gworkspace_reviews.services.naming import build_spec
from gworkspace_reviews.services.notices import Message, SendReport, send_once, unsent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedReview:
    """One review of the plan: its spec, the file when it exists already, or why it cannot be done."""

    spec: ReviewSpec | None
    key: ReviewKey
    existing: ReviewFile | None = None
    error: str | None = None
    header_pending: bool = False  # existing file whose header write is not recorded: fill where empty


@dataclass
class ProvisionPlan:
    """What a provisioning run will do."""

    kind: Kind
    period: str
    due: bool
    draw: Draw | None = None
    new_draw: bool = False
    reviews: list[PlannedReview] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    cases_note: str | None = None
    # The ledger as read when planning: applying reuses it (one read per run), since provisioning only adds
    # draw and header records, never message states.
    entries: dict[str, str] = field(default_factory=dict)

    @property
    def to_create(self) -> list[ReviewSpec]:
        """Specs of the files that do not exist yet."""
        return [r.spec for r in self.reviews if r.existing is None and r.spec is not None and r.error is None]


@dataclass
class ProvisionResult:
    """What a provisioning run did (or, on dry-run, would do)."""

    plan: ProvisionPlan
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    files: dict[ReviewKey, ReviewFile] = field(default_factory=dict)
    headers_filled: list[str] = field(default_factory=list)
    report: SendReport = field(default_factory=SendReport)

    @property
    def failures(self) -> list[str]:
        """Every failed review or message, each named with its reason."""
        out = [f"{r.key.owner}: {r.error}" for r in self.plan.reviews if r.error]
        out += [f"{o.spec.key.owner} ({o.spec.name}): {o.error}" for o in self.outcomes if o.error]
        out += [f"message {key}: {why}" for key, why in self.report.failed]
        return out

    @property
    def exit_code(self) -> int:
        """0 when everything was done, 1 when something failed (the rest done)."""
        return 1 if self.failures else 0

    def as_json(self) -> dict[str, Any]:
        """Machine output."""
        plan = self.plan
        outcomes = {o.spec.key: o for o in self.outcomes}
        return {
            "kind": plan.kind, "period": plan.period, "due": plan.due, "dry_run": self.dry_run,
            "seed": plan.draw.seed if plan.draw else None,
            "new_draw": plan.new_draw,
            "excluded": [{"email": e.email, "reason": e.reason} for e in (plan.draw.excluded if plan.draw else ())],
            "reviews": [self._review_json(r, outcomes) for r in plan.reviews],
            "headers_filled": self.headers_filled,  # existing files whose empty header cells a rerun filled
            "messages": {"planned": [m.key for m in plan.messages], "sent": self.report.sent,
                         "already_sent": self.report.already,
                         "failed": [{"key": k, "error": e} for k, e in self.report.failed]},
            "failures": self.failures,
        }

    def _review_json(self, r: PlannedReview, outcomes: dict[ReviewKey, Outcome]) -> dict[str, Any]:
        outcome = outcomes.get(r.key)
        file = self.files.get(r.key) or r.existing
        error = r.error or (outcome.error if outcome else None)
        if r.existing is not None:
            action = "exists"
        elif r.error:
            action = "error"
        elif self.dry_run:
            action = "create"
        else:
            action = "created" if outcome is not None and outcome.file is not None and not outcome.error else "error"
        return {"reviewer": r.key.reviewer, "owner": r.key.owner, "slot": r.key.slot or None,
                "name": r.spec.name if r.spec else None, "format": r.spec.format if r.spec else None,
                "case_id": r.spec.header.case_id if r.spec else "", "action": action,
                "location": file.location if file else None, "error": error}


def resolve_cycle(ctx: Context, cycle: date | None) -> tuple[date, bool]:
    """The cycle Monday asked for (or this week's) and whether it is a cycle week."""
    day = cycle or ctx.today()
    monday = monday_of(day)
    return monday, cycle_for(monday, ctx.config.cadence) is not None


def load_cases(ctx: Context) -> tuple[tuple[Case, ...], list[str]]:
    """The case export's cases and the problems of its bad rows (empty without an export)."""
    if ctx.cases is None:
        return (), []
    loaded = ctx.cases.load()
    return loaded.cases, list(loaded.problems)


def plan_weekly(ctx: Context, cycle: date | None = None) -> ProvisionPlan:
    """Compute the draw, the files to create and the messages to send for a cycle; writes nothing."""
    monday, due = resolve_cycle(ctx, cycle)
    plan = ProvisionPlan(kind="peer", period=monday.isoformat(), due=due)
    if not due:
        return plan
    ctx.workspace.check_root()  # a wrong root would fail every review: stop before drawing or announcing
    entries = plan.entries = ctx.ledger.entries()
    plan.draw, plan.new_draw = draw_for(ctx, monday, entries)
    existing = {f.key: f for f in ctx.workspace.list_reviews(kind="peer", period=plan.period)}
    cases, plan.problems = load_cases(ctx)
    taken = {f.case_id for f in existing.values() if f.case_id}
    folders: dict[str, str | ReviewsError] = {}
    for a in plan.draw.assignments:
        key = ReviewKey(kind="peer", period=plan.period, reviewer=a.reviewer, owner=a.owner)
        owner = ctx.config.member(a.owner)
        if owner is None:
            plan.reviews.append(PlannedReview(None, key, error=f"{a.owner} is no longer in the roster; use `swap`"))
            continue
        file = existing.get(key)
        if file is not None:
            spec = build_spec(ctx.config, key, owner, file.folder, file.case_id)
            pending = f"header:{file.file_id}" not in entries
            plan.reviews.append(PlannedReview(spec, key, existing=file, header_pending=pending))
            continue
        if a.owner not in folders:
            try:
                folders[a.owner] = ctx.workspace.resolve_folder(owner)
            except ReviewsError as exc:
                folders[a.owner] = exc
        folder = folders[a.owner]
        if isinstance(folder, ReviewsError):
            plan.reviews.append(PlannedReview(None, key, error=str(folder)))
            continue
        case = suggest_peer_case(cases, a.owner, monday, seed=f"{plan.draw.seed}/{a.owner}", exclude=taken)
        if case is not None:
            taken.add(case.case_id)
        plan.reviews.append(PlannedReview(build_spec(ctx.config, key, owner, folder,
                                                     case.case_id if case else ""), key))
    return plan


def _announce_messages(ctx: Context, plan: ProvisionPlan, files: dict[ReviewKey, ReviewFile]) -> list[Message]:
    assert plan.draw is not None
    cfg = ctx.config
    by_pair = {(k.reviewer, k.owner): f for k, f in files.items()}
    msgs = []
    if cfg.team.channel:
        msgs.append(Message(key=f"announce:{plan.period}", channel=cfg.team.channel,
                            text=messages.announcement(cfg, plan.draw, by_pair),
                            marker=messages.seed_marker(plan.draw)))
    for r in plan.reviews:
        file = files.get(r.key)
        owner = cfg.member(r.key.owner)
        reviewer = cfg.member(r.key.reviewer)
        if file is None or owner is None or reviewer is None:
            continue  # not provisioned: the DM goes out with the run that creates it
        text = messages.reviewer_dm(cfg, owner, file, plan.period, file.case_id)
        msgs.append(Message(key=f"dm:peer:{plan.period}:{r.key.reviewer}", email=reviewer.email,
                            slack=reviewer.slack, text=text, marker=file.location))
    return msgs


def apply_weekly(ctx: Context, plan: ProvisionPlan, *, dry_run: bool = False) -> ProvisionResult:
    """Carry out a weekly plan idempotently (or, on dry-run, only list the messages it would send)."""
    result = ProvisionResult(plan=plan, dry_run=dry_run)
    if not plan.due or plan.draw is None:
        return result
    files = {r.key: r.existing for r in plan.reviews if r.existing is not None}
    if dry_run:
        plan.messages = unsent(_announce_messages(ctx, plan, files), plan.entries)
        return result
    provision(ctx, plan, result, draw_to_record=plan.draw if plan.new_draw else None)
    plan.messages = _announce_messages(ctx, plan, result.files)
    result.report = send_once(ctx.notifier, ctx.ledger, plan.messages, plan.entries)
    return result


def provision(ctx: Context, plan: ProvisionPlan, result: ProvisionResult,
              draw_to_record: Draw | None = None) -> None:
    """Check templates, record the draw, create missing files and fill pending headers; record what was done."""
    result.files = {r.key: r.existing for r in plan.reviews if r.existing is not None}
    specs = plan.to_create
    needed = sorted({(s.key.kind, s.format) for s in specs})
    if needed:
        problems = ctx.workspace.check_templates(needed)
        if problems:
            raise TemplateError("the templates do not follow the template contract (nothing was copied):\n"
                                + "\n".join(f"  - {p}" for p in problems))
    if draw_to_record is not None:
        save_draw(ctx.ledger, draw_to_record)
        log.info("%s %s: draw recorded (seed %s)", plan.kind, plan.period, draw_to_record.seed)
    marks: list[tuple[str, str]] = []
    existing = len(plan.reviews) - len(specs)
    log.info("%s %s: %d review file(s) to create, %d exist already", plan.kind, plan.period, len(specs), existing)
    if specs:
        result.outcomes = ctx.workspace.create_reviews(specs)  # the adapter logs progress as files are done
        log.info("%s %s: %d created, %d failed", plan.kind, plan.period,
                 sum(o.file is not None for o in result.outcomes), sum(o.error is not None for o in result.outcomes))
    for o in result.outcomes:
        if o.file is not None:
            result.files[o.spec.key] = o.file
            if o.header_written or not _header_values(o.spec):
                marks.append((f"header:{o.file.file_id}", "done"))
    for r in plan.reviews:
        if r.existing is not None and r.header_pending and r.spec is not None:
            if ctx.workspace.fill_header(r.existing, r.spec.header):
                result.headers_filled.append(r.existing.location)
            marks.append((f"header:{r.existing.file_id}", "done"))
    if marks:
        ctx.ledger.put_many(marks)


def _header_values(spec: ReviewSpec) -> bool:
    return any((spec.header.case_id, spec.header.reviewer, spec.header.case_owner, spec.header.cycle))

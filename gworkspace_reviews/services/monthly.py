"""The monthly job: two self-review files per member (the manager's random open case, and one of their own).

The manager's pick avoids the cases peer-reviewed that month, as the practice asks. Same plan/apply shape and the
same idempotency as the weekly job; the member and their manager are told once.
"""

from __future__ import annotations

from collections import defaultdict

from gworkspace_reviews.domain.cases import pick_monthly_case
from gworkspace_reviews.domain.cycles import month_of, month_window
from gworkspace_reviews.domain.models import SELF_SLOTS, Member, ReviewFile, ReviewKey
from gworkspace_reviews.errors import ReviewsError
from gworkspace_reviews.services import messages
from gworkspace_reviews.services.context import Context
from gworkspace_reviews.services.naming import build_spec
from gworkspace_reviews.services.notices import Message, send_once, unsent
from gworkspace_reviews.services.weekly import (
    PlannedReview,
    ProvisionPlan,
    ProvisionResult,
    load_cases,
    provision,
)


def peer_cases_in_month(files: list[ReviewFile], month: str) -> dict[str, set[str]]:
    """Case IDs peer-reviewed in ``month``, per owner."""
    start, end = month_window(month)
    out: dict[str, set[str]] = defaultdict(set)
    for f in files:
        if f.key.kind == "peer" and f.case_id and start.isoformat() <= f.key.period <= end.isoformat():
            out[f.key.owner].add(f.case_id)
    return out


def plan_monthly(ctx: Context, month: str | None = None) -> ProvisionPlan:
    """Compute the month's self-review files and messages; writes nothing."""
    month = month or month_of(ctx.today())
    plan = ProvisionPlan(kind="self", period=month, due=True)
    ctx.workspace.check_root()
    entries = plan.entries = ctx.ledger.entries()
    existing = {f.key: f for f in ctx.workspace.list_reviews(kind="self", period=month)}
    reviewed = peer_cases_in_month(ctx.workspace.list_reviews(kind="peer"), month)
    cases, plan.problems = load_cases(ctx)
    if ctx.cases is None:
        plan.cases_note = "no case export configured: managers tell each member their pick"
    first, last = month_window(month)
    for member in ctx.config.members:
        if not member.active:
            continue
        # Only a member away the whole month is skipped: the files wait in their folder for their return.
        away = next((a for a in member.away if a.start <= first and a.end >= last), None)
        if away is not None:
            plan.problems.append(f"{member.email}: away all of {month} ({away.reason}); no self reviews")
            continue
        taken = reviewed.get(member.email, set()) | {f.case_id for k, f in existing.items()
                                                      if k.owner == member.email and f.case_id}
        pick = pick_monthly_case(cases, member.email, month, seed=f"{ctx.config.team.name}/{month}/{member.email}",
                                 exclude=taken)
        folder: str | None = None
        for slot in SELF_SLOTS:
            key = ReviewKey(kind="self", period=month, reviewer=member.email, owner=member.email, slot=slot)
            file = existing.get(key)
            if file is not None:
                plan.reviews.append(PlannedReview(build_spec(ctx.config, key, member, file.folder, file.case_id),
                                                  key, existing=file,
                                                  header_pending=f"header:{file.file_id}" not in entries))
                continue
            if folder is None:
                try:
                    folder = ctx.workspace.resolve_folder(member)
                except ReviewsError as exc:
                    plan.reviews.append(PlannedReview(None, key, error=str(exc)))
                    continue
            case_id = pick.case_id if (pick is not None and slot == "manager-pick") else ""
            plan.reviews.append(PlannedReview(build_spec(ctx.config, key, member, folder, case_id), key))
    return plan


def _monthly_messages(ctx: Context, plan: ProvisionPlan, files: dict[ReviewKey, ReviewFile]) -> list[Message]:
    cfg = ctx.config
    per_member: dict[str, list[ReviewFile]] = defaultdict(list)
    for key, file in files.items():
        per_member[key.owner].append(file)
    msgs: list[Message] = []
    picks: dict[str, list[tuple[Member, str, ReviewFile | None]]] = defaultdict(list)
    for email, member_files in sorted(per_member.items()):
        member = cfg.member(email)
        if member is None or len(member_files) < len(SELF_SLOTS):
            continue  # told once both files exist
        member_files.sort(key=lambda f: f.key.slot != "manager-pick")
        manager_case = member_files[0].case_id
        msgs.append(Message(key=f"dm:self:{plan.period}:{email}", email=email, slack=member.slack,
                            text=messages.monthly_member_dm(member, plan.period, member_files, manager_case),
                            marker=member_files[0].location))
        picks[member.manager].append((member, manager_case, member_files[0]))
    for manager_email, rows in sorted(picks.items()):
        manager = cfg.manager(manager_email)
        text = messages.monthly_manager_dm(cfg, plan.period, rows)
        msgs.append(Message(key=f"dm:self-manager:{plan.period}:{manager_email}:{len(rows)}", email=manager_email,
                            slack=manager.slack if manager else None, text=text,
                            marker=f"Self + manager reviews for {plan.period}"))
    return msgs


def apply_monthly(ctx: Context, plan: ProvisionPlan, *, dry_run: bool = False) -> ProvisionResult:
    """Carry out a monthly plan idempotently."""
    result = ProvisionResult(plan=plan, dry_run=dry_run)
    if dry_run:
        files = {r.key: r.existing for r in plan.reviews if r.existing is not None}
        plan.messages = unsent(_monthly_messages(ctx, plan, files), plan.entries)
        return result
    provision(ctx, plan, result)
    plan.messages = _monthly_messages(ctx, plan, result.files)
    result.report = send_once(ctx.notifier, ctx.ledger, plan.messages, plan.entries)
    return result

"""The peer draw: who reviews whom in one cycle.

An assignment is a permutation ``owner = s(reviewer)`` of the members taking part. With three or more
people a valid assignment has no fixed point (nobody reviews themselves) and no 2-cycle (nobody both
reviews and is reviewed by the same person), i.e. every cycle of ``s`` has length 3 or more; the odd team
of 13 is no special case. Two people review each other; one or none: no draw.

Distribution: **uniform over all valid assignments** (not only single cycles, as Sattolo's algorithm
gives) that also avoid every reviewer->owner pair of the last ``avoid_repeats`` cycles. It is sampled
exactly by rejection: a uniform random permutation is built one reviewer at a time (Fisher-Yates) and
thrown away at the first reviewer that breaks a rule; the first permutation that survives is uniform over
the valid ones because rejection only depends on the finished permutation. When a short rejection run
fails, the valid assignments are enumerated (if there are few enough) and one is picked uniformly by
reservoir sampling; then a long rejection run; both stay exactly uniform. Only if all of these give up
(never seen in practice: for 13 people with 4 cycles of history the long run fails with probability
about e^-26) does a randomized depth-first search take over, which finds a valid assignment but is not
exactly uniform.

When no assignment avoids every recent pair (tiny teams), the oldest history cycle is dropped and the draw is
retried, down to no history at all; the note on the draw says how far it had to go.

Random numbers come from ``random.Random`` seeded with SHA-256 of ``"<team>/<cycle Monday>"``; members are
sorted by email first, so the same roster and history give the same draw whatever their order.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from gworkspace_reviews.domain.models import Assignment, Away, Draw, Excluded, Member

Forbidden = list[set[int]]  # forbidden[reviewer] = owners that reviewer must not get (indices)


@dataclass(frozen=True)
class Budget:
    """How much work each sampling stage may do before the next one takes over."""

    quick_attempts: int = 1_000
    rejection_attempts: int = 20_000
    rejection_steps: int = 2_000_000
    # the search stages pay about n per node, so their budgets count nodes x team size
    enumeration_work: int = 100_000
    search_work: int = 4_000_000


DEFAULT_BUDGET = Budget()


def seed_for(team: str, cycle: date) -> str:
    """The seed string of a team's draw for a cycle, shown to people so the draw can be reproduced."""
    return f"{team}/{cycle.isoformat()}"


def rng_for(seed: str) -> random.Random:
    """A ``random.Random`` seeded from the SHA-256 of ``seed`` (stable across runs and Python versions)."""
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big"))


def away_reason(away: Away) -> str:
    """How an absence is shown when a member is left out of a draw."""
    span = f"away {away.start.isoformat()} to {away.end.isoformat()}"
    return span if away.reason in ("", "away") else f"{span}: {away.reason}"


def draw_cycle(
    members: Sequence[Member],
    cycle: date,
    *,
    team: str,
    history: Sequence[Sequence[Assignment]] = (),
    avoid_repeats: int = 4,
    budget: Budget = DEFAULT_BUDGET,
) -> Draw:
    """Draw the peer reviews of ``cycle``; ``history`` holds past cycles' pairs, newest first."""
    seed = seed_for(team, cycle)
    pool, excluded = _split(members, cycle)
    emails = [m.email for m in pool]
    n = len(emails)
    if n == 0:
        return Draw(cycle, seed, (), excluded, note="nobody is available this cycle: no draw")
    if n == 1:
        note = f"only one person is available ({emails[0]}): no draw, a peer review needs two people"
        return Draw(cycle, seed, (), excluded, note=note)
    if n == 2:
        pair = (Assignment(emails[0], emails[1]), Assignment(emails[1], emails[0]))
        return Draw(cycle, seed, pair, excluded, note="two people: they review each other")

    rng = rng_for(seed)
    index = {email: i for i, email in enumerate(emails)}
    recent = list(history[: max(avoid_repeats, 0)])
    for depth in range(len(recent), -1, -1):
        owners = sample_assignment(n, forbidden_pairs(recent[:depth], index), rng, budget=budget)
        if owners is not None:
            break
    else:  # pragma: no cover - with no history every n >= 3 has a valid assignment and rejection finds it
        raise AssertionError(f"no valid assignment for {n} people")
    assignments = tuple(Assignment(emails[i], emails[j]) for i, j in enumerate(owners))
    return Draw(cycle, seed, assignments, excluded, note=_relax_note(n, len(recent), depth))


def forbidden_pairs(history: Sequence[Sequence[Assignment]], index: dict[str, int]) -> Forbidden:
    """Per reviewer index, the owner indices paired with them in ``history`` (others ignored)."""
    forbidden: Forbidden = [set() for _ in index]
    for pairs in history:
        for pair in pairs:
            reviewer, owner = index.get(pair.reviewer), index.get(pair.owner)
            if reviewer is not None and owner is not None and reviewer != owner:
                forbidden[reviewer].add(owner)
    return forbidden


def sample_assignment(
    n: int, forbidden: Forbidden, rng: random.Random, *, budget: Budget = DEFAULT_BUDGET
) -> list[int] | None:
    """A valid assignment ``owners[reviewer]`` for ``n >= 3`` avoiding ``forbidden``; None if none found."""
    # Every stage but the last returns an exactly uniform pick when it returns one, and whether a stage
    # gives up does not depend on which assignment it would have picked, so the mixture stays uniform.
    owners = _rejection(n, forbidden, rng, budget.quick_attempts, budget.rejection_steps)
    if owners is not None:
        return owners
    owners, complete = _enumeration(n, forbidden, rng, budget.enumeration_work // n)
    if owners is not None or complete:
        return owners
    owners = _rejection(n, forbidden, rng, budget.rejection_attempts, budget.rejection_steps)
    if owners is not None:
        return owners
    return _search(n, forbidden, rng, budget.search_work // n)


def is_valid(owners: Sequence[int], forbidden: Forbidden) -> bool:
    """Whether ``owners`` is a permutation with every cycle of length >= 3 that avoids ``forbidden``."""
    n = len(owners)
    if sorted(owners) != list(range(n)):
        return False
    return all(j != i and owners[j] != i and j not in forbidden[i] for i, j in enumerate(owners))


def assignment_problems(assignments: Sequence[Assignment]) -> list[str]:
    """Why a set of pairs is not a valid draw (for checking a manual swap); empty when it is."""
    problems: list[str] = []
    reviewers = [a.reviewer for a in assignments]
    owners = [a.owner for a in assignments]
    problems += [f"{e} gives more than one review" for e in sorted({e for e in reviewers if reviewers.count(e) > 1})]
    problems += [f"{e} receives more than one review" for e in sorted({e for e in owners if owners.count(e) > 1})]
    problems += [f"{e} gives a review but receives none" for e in sorted(set(reviewers) - set(owners))]
    problems += [f"{e} receives a review but gives none" for e in sorted(set(owners) - set(reviewers))]
    problems += [f"{a.reviewer} reviews themselves" for a in assignments if a.reviewer == a.owner]
    people = set(reviewers) | set(owners)
    pairs = {(a.reviewer, a.owner) for a in assignments}
    if len(people) >= 3:
        problems += [f"{r} and {o} review each other" for r, o in sorted(pairs) if r < o and (o, r) in pairs]
    return problems


def _split(members: Sequence[Member], cycle: date) -> tuple[list[Member], tuple[Excluded, ...]]:
    """The members taking part (sorted by email) and those left out with their reason."""
    ordered = sorted(members, key=lambda m: m.email)
    for first, second in itertools.pairwise(ordered):
        if first.email == second.email:
            raise ValueError(f"member email {first.email} appears more than once in the roster")
    pool: list[Member] = []
    excluded: list[Excluded] = []
    for member in ordered:
        away = member.away_on(cycle)
        if not member.active:
            excluded.append(Excluded(member.email, "not active"))
        elif away is not None:
            excluded.append(Excluded(member.email, away_reason(away)))
        else:
            pool.append(member)
    return pool, tuple(excluded)


def _relax_note(n: int, wanted: int, depth: int) -> str | None:
    if depth == wanted:
        return None
    if depth == 0:
        return (
            f"with {n} people no draw avoids every pair of the last {wanted} cycle(s): "
            "pairs from earlier cycles may repeat"
        )
    return (
        f"with {n} people no draw avoids every pair of the last {wanted} cycles: "
        f"it avoids the pairs of the last {depth}"
    )


def _rejection(n: int, forbidden: Forbidden, rng: random.Random, attempts: int, max_steps: int) -> list[int] | None:
    """Exact uniform sampling: Fisher-Yates permutations, abandoned at the first broken rule."""
    randbelow = rng.randrange
    steps = 0
    for _ in range(attempts):
        values = list(range(n))
        for i in range(n):
            k = i + randbelow(n - i)
            j = values[k]
            values[k] = values[i]
            values[i] = j
            # values[:i] are the owners already given; values[j] is j's owner only when j < i
            if j == i or j in forbidden[i] or (j < i and values[j] == i):
                break
        else:
            return values
        steps += i + 1
        if steps >= max_steps:
            break
    return None


def _candidates(i: int, owners: list[int], taken: list[bool], forbidden: Forbidden, n: int) -> list[int]:
    """Owners still open to reviewer ``i`` given the owners of reviewers ``0..i-1``."""
    return [j for j in range(n) if not taken[j] and j != i and j not in forbidden[i] and not (j < i and owners[j] == i)]


def _enumeration(n: int, forbidden: Forbidden, rng: random.Random, max_nodes: int) -> tuple[list[int] | None, bool]:
    """A valid assignment picked uniformly (reservoir sampling over all), and whether all were seen."""
    owners = [-1] * n
    taken = [False] * n
    stack = [_candidates(0, owners, taken, forbidden, n)]
    chosen: list[int] | None = None
    seen = 0
    nodes = 0
    while stack:
        i = len(stack) - 1
        if owners[i] >= 0:
            taken[owners[i]] = False
            owners[i] = -1
        if not stack[-1]:
            stack.pop()
            continue
        j = stack[-1].pop()
        owners[i] = j
        taken[j] = True
        nodes += 1
        if nodes > max_nodes:
            return None, False
        if i == n - 1:
            seen += 1
            if rng.randrange(seen) == 0:
                chosen = list(owners)
            continue
        stack.append(_candidates(i + 1, owners, taken, forbidden, n))
    return chosen, True


def _search(n: int, forbidden: Forbidden, rng: random.Random, max_nodes: int) -> list[int] | None:
    """Randomized depth-first search for any valid assignment (not exactly uniform)."""
    order = list(range(n))
    rng.shuffle(order)
    order.sort(key=lambda i: -len(forbidden[i]))
    owners = [-1] * n
    taken = [False] * n
    nodes = 0

    def options(depth: int) -> list[int]:
        i = order[depth]
        found = [j for j in range(n) if not taken[j] and j != i and j not in forbidden[i] and owners[j] != i]
        rng.shuffle(found)
        return found

    stack = [options(0)]
    while stack:
        i = order[len(stack) - 1]
        if owners[i] >= 0:
            taken[owners[i]] = False
            owners[i] = -1
        if not stack[-1]:
            stack.pop()
            continue
        j = stack[-1].pop()
        owners[i] = j
        taken[j] = True
        nodes += 1
        if len(stack) == n:
            return owners
        if nodes > max_nodes:
            return None
        stack.append(options(len(stack)))
    return None

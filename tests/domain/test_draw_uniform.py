"""The draw is uniform over all valid assignments (not only single cycles), also under repeat avoidance.

For small teams every valid assignment can be listed; the draws of many deterministic seeds (team names) are
compared with the uniform distribution by a chi-square statistic against a bound that a uniform sampler
exceeds with probability about 3e-7. The seeds are fixed, so the test never flakes.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

import pytest

from gworkspace_reviews.domain.draw import Budget, Forbidden, draw_cycle, forbidden_pairs, is_valid
from gworkspace_reviews.domain.models import Assignment, Member

CYCLE = date(2022, 1, 24)
PER_CELL = 60


def roster(n: int) -> list[Member]:
    return [Member(f"Engineer {i}", f"e{i}@example.com", "boss@example.com") for i in range(n)]


def valid_assignments(n: int, forbidden: Forbidden) -> list[tuple[int, ...]]:
    return [p for p in itertools.permutations(range(n)) if is_valid(p, forbidden)]


def chi_square_bound(df: int, z: float = 5.0) -> float:
    """Wilson-Hilferty upper quantile of chi-square with ``df`` degrees of freedom at ``z`` sigmas."""
    k = 2 / (9 * df)
    return df * (1 - k + z * math.sqrt(k)) ** 3


def chi_square(counts: Counter[tuple[int, ...]], cells: Sequence[tuple[int, ...]], total: int) -> float:
    expected = total / len(cells)
    return sum((counts[c] - expected) ** 2 / expected for c in cells)


def observed(
    n: int, history: Sequence[Sequence[Assignment]], budget: Budget | None, draws: int, tag: str
) -> Counter[tuple[int, ...]]:
    members = roster(n)
    index = {m.email: i for i, m in enumerate(members)}
    counts: Counter[tuple[int, ...]] = Counter()
    for k in range(draws):
        kwargs = {} if budget is None else {"budget": budget}
        draw = draw_cycle(members, CYCLE, team=f"{tag}-{k}", history=history, **kwargs)  # type: ignore[arg-type]
        owners = [0] * n
        for a in draw.assignments:
            owners[index[a.reviewer]] = index[a.owner]
        counts[tuple(owners)] += 1
    return counts


def assert_uniform(counts: Counter[tuple[int, ...]], cells: Sequence[tuple[int, ...]], total: int) -> None:
    # Explicit raises, not bare asserts: pytest's rewritten-assert diff of two large sets takes minutes to build.
    outside = set(counts) - set(cells)
    if outside:
        raise AssertionError(f"{len(outside)} draw(s) outside the valid assignments")
    never = set(cells) - set(counts)
    if never:
        raise AssertionError(f"{len(never)} valid assignment(s) never came up")
    stat = chi_square(counts, cells, total)
    if stat >= chi_square_bound(len(cells) - 1):
        raise AssertionError(f"chi-square {stat:.1f} over {len(cells)} cells")


def history_for(n: int) -> list[tuple[Assignment, ...]]:
    """One past cycle: the 'next in line' ring, which leaves a smaller set of valid draws."""
    emails = [m.email for m in roster(n)]
    return [tuple(Assignment(emails[i], emails[(i + 1) % n]) for i in range(n))]


@pytest.mark.parametrize(("n", "valid_count"), [(4, 6), (5, 24), (6, 160)])
def test_uniform_over_all_valid_assignments(n: int, valid_count: int) -> None:
    cells = valid_assignments(n, [set() for _ in range(n)])
    # 6 people: 120 rings plus 40 pairs of triangles; Sattolo's algorithm would never give the triangles
    assert len(cells) == valid_count
    total = PER_CELL * len(cells)
    assert_uniform(observed(n, (), None, total, f"plain{n}"), cells, total)


@pytest.mark.parametrize(
    "budget",
    [None, Budget(quick_attempts=0, rejection_attempts=0), Budget(quick_attempts=0, enumeration_work=0)],
    ids=["default", "enumeration", "rejection"],
)
@pytest.mark.parametrize("n", [5, 6])
def test_uniform_among_draws_that_avoid_repeats(n: int, budget: Budget | None) -> None:
    history = history_for(n)
    index = {m.email: i for i, m in enumerate(roster(n))}
    cells = valid_assignments(n, forbidden_pairs(history, index))
    assert 1 < len(cells) < len(valid_assignments(n, [set() for _ in range(n)]))
    total = PER_CELL * len(cells)
    tag = f"hist{n}-{'default' if budget is None else budget.enumeration_work}"
    assert_uniform(observed(n, history, budget, total, tag), cells, total)


def sattolo(n: int, rnd: random.Random) -> tuple[int, ...]:
    items = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rnd.randrange(i)
        items[i], items[j] = items[j], items[i]
    return tuple(items)


SIX = valid_assignments(6, [set() for _ in range(6)])


def biased_toward_first(n: int, rnd: random.Random) -> tuple[int, ...]:
    # uniform but for one assignment that comes up about 17 times too often
    return SIX[0] if rnd.random() < 0.1 else rnd.choice(SIX)


@pytest.mark.parametrize("sampler", [sattolo, biased_toward_first])
def test_the_check_catches_non_uniform_samplers(sampler: Callable[[int, random.Random], tuple[int, ...]]) -> None:
    n = 6
    cells = valid_assignments(n, [set() for _ in range(n)])
    total = PER_CELL * len(cells)
    rnd = random.Random(0)
    counts = Counter(sampler(n, rnd) for _ in range(total))
    with pytest.raises(AssertionError):
        assert_uniform(counts, cells, total)

"""Builders shared by the Google adapter tests: members, specs, and a person typing into a review."""

from __future__ import annotations

from typing import Any

from gworkspace_reviews.adapters.google import docs, sheets
from gworkspace_reviews.adapters.google.gateway import Gateway
from gworkspace_reviews.adapters.google.templates import TAB, TABLE_ROW
from gworkspace_reviews.domain.models import Format, Header, Kind, Member, ReviewKey, ReviewSpec

PEOPLE = [("Ada Lovelace", "ada@example.com"), ("Bob Babbage", "bob@example.com"),
          ("Cleo Curie", "cleo@example.com"), ("Dan Dijkstra", "dan@example.com")]
CYCLE = "2021-12-13"


def members() -> list[Member]:
    return [Member(name, email, "grace@example.com") for name, email in PEOPLE]


def peer_spec(reviewer: Member, owner: Member, folder: str, *, fmt: Format = "sheet", case_id: str = "4711",
              cycle: str = CYCLE) -> ReviewSpec:
    return ReviewSpec(ReviewKey("peer", cycle, reviewer.email, owner.email), fmt, cycle,
                      Header(case_id, reviewer.name, owner.name, cycle), folder)


def self_spec(member: Member, folder: str, *, fmt: Format = "sheet", slot: str = "manager-pick",
              month: str = "2022-01", case_id: str = "900") -> ReviewSpec:
    kind: Kind = "self"
    return ReviewSpec(ReviewKey(kind, month, member.email, member.email, slot), fmt, f"{month} self-review {slot}",
                      Header(case_id, member.name, member.name, month), folder)


def type_sheet_answers(gw: Gateway, file_id: str, answers: list[tuple[Any, str]], *, column: str = "B") -> None:
    """A person choosing answers and writing comments in the criteria table (columns B:C, or D:E)."""
    first = TABLE_ROW + 2  # 1-based row of the first criterion
    last_col = chr(ord(column) + 1)
    rng = f"{TAB}!{column}{first}:{last_col}{first + len(answers) - 1}"
    sheets.write_ranges(gw, file_id, {rng: [list(a) for a in answers]}, what="typing answers")


def type_doc_answers(gw: Gateway, file_id: str, answers: list[tuple[str, str]], *, first_col: int = 1) -> None:
    """A person typing answers and comments into the rubric table of a review document."""
    doc = docs.get_document(gw, file_id, what="typing answers")
    table = next(t for t in docs.tables(doc) if docs.table_rows(t)[0][0] == "Criterion")
    inserts = []
    for row, (answer, comment) in zip(table["tableRows"][1:], answers, strict=False):
        for offset, text in ((0, answer), (1, comment)):
            if text:
                cell = row["tableCells"][first_col + offset]
                inserts.append((cell["content"][0]["startIndex"], text))
    requests = [{"insertText": {"location": {"index": i}, "text": t}} for i, t in sorted(inserts, reverse=True)]
    docs.batch_update(gw, file_id, requests, what="typing answers")

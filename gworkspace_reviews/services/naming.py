"""File names, headers and specs of review files, as the practice names them."""

from __future__ import annotations

from gworkspace_reviews.config_types import Config
from gworkspace_reviews.domain.models import Format, Header, Kind, Member, ReviewKey, ReviewSpec

SELF_NAMES = {
    "manager-pick": "{month} self-review 1 (manager's pick)",
    "own-pick": "{month} self-review 2 (your pick)",
}


def review_name(key: ReviewKey) -> str:
    """The file name: the cycle Monday for peer reviews (``2021-12-13``), a distinct name for self reviews."""
    if key.kind == "peer":
        return key.period
    return SELF_NAMES[key.slot].format(month=key.period)


def template_format(config: Config, kind: Kind, preferred: Format) -> Format:
    """The member's preferred format when a template for it exists, else the other one."""
    if (kind, preferred) in config.templates:
        return preferred
    return "doc" if preferred == "sheet" else "sheet"


def build_spec(config: Config, key: ReviewKey, owner: Member, folder: str, case_id: str) -> ReviewSpec:
    """The spec of one review file in its owner's folder, in the owner's preferred format."""
    header = Header(case_id=case_id, reviewer=config.name_of(key.reviewer), case_owner=owner.name,
                    cycle=key.period)
    fmt = template_format(config, key.kind, owner.format)
    return ReviewSpec(key=key, format=fmt, name=review_name(key), header=header, folder=folder)

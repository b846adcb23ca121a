"""The tags every provisioned file carries, kept in the file's custom document properties."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from gworkspace_reviews.domain.models import KINDS, Kind, ReviewKey

PREFIX = "gwr_"
CUSTOM_PROPS_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_PROPS_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Tags:
    """What a review file is: its key and the case it is about."""

    key: ReviewKey
    case_id: str = ""
    created: str = ""  # when we provisioned it (ISO timestamp): audit only, never part of identity

    def to_props(self) -> dict[str, str]:
        """The custom document properties for these tags (empty values left out)."""
        raw = {
            "kind": self.key.kind,
            "period": self.key.period,
            "reviewer": self.key.reviewer,
            "owner": self.key.owner,
            "slot": self.key.slot,
            "case": self.case_id,
            "created": self.created,
        }
        return {PREFIX + k: v for k, v in raw.items() if v}

    @classmethod
    def from_props(cls, props: dict[str, str]) -> Tags | None:
        """Tags read back from document properties, or None when the file is not one of ours."""

        def get(name: str) -> str:
            return (props.get(PREFIX + name) or "").strip()

        kind = get("kind")
        period, reviewer, owner = get("period"), get("reviewer"), get("owner")
        if kind not in KINDS or not (period and reviewer and owner):
            return None
        typed: Kind = "peer" if kind == "peer" else "self"
        key = ReviewKey(kind=typed, period=period, reviewer=reviewer, owner=owner, slot=get("slot"))
        return cls(key=key, case_id=get("case"), created=get("created"))


def parse_custom_xml(blob: bytes) -> dict[str, str]:
    """Name -> text of every property in a docProps/custom.xml part."""
    root = ElementTree.fromstring(blob)
    props: dict[str, str] = {}
    for prop in root.findall(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name is None:
            continue
        value = next(iter(prop), None)
        props[name] = (value.text or "") if value is not None else ""
    return props


def _custom_part_name(archive: zipfile.ZipFile) -> str | None:
    try:
        rels = ElementTree.fromstring(archive.read("_rels/.rels"))
    except KeyError:
        return None
    for rel in rels.findall(f"{{{_RELS_NS}}}Relationship"):
        if rel.get("Type") == CUSTOM_PROPS_RELTYPE and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            return posixpath.normpath(target.lstrip("/"))
    return None


def read_file_tags(path: Path) -> Tags | None:
    """The tags of an .xlsx/.docx file, read straight from its zip (fast: no workbook parse)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _custom_part_name(archive)
            if part is None:
                return None
            props = parse_custom_xml(archive.read(part))
    except (OSError, zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        # Not a readable Office file (a lock file, a half-synced copy): not one of ours to list.
        return None
    return Tags.from_props(props)


def merge_custom_xml(blob: bytes | None, props: dict[str, str]) -> bytes:
    """A custom.xml part with our properties replaced by ``props`` and everyone else's kept as they were."""
    ElementTree.register_namespace("", CUSTOM_NS)
    ElementTree.register_namespace("vt", VT_NS)
    root = ElementTree.fromstring(blob) if blob else ElementTree.Element(f"{{{CUSTOM_NS}}}Properties")
    for prop in root.findall(f"{{{CUSTOM_NS}}}property"):
        if (prop.get("name") or "").startswith(PREFIX):
            root.remove(prop)
    for name, value in props.items():
        prop = ElementTree.SubElement(root, f"{{{CUSTOM_NS}}}property", {"fmtid": PROPERTY_FMTID, "name": name})
        ElementTree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    # Property ids must be unique and start at 2.
    for pid, prop in enumerate(root.findall(f"{{{CUSTOM_NS}}}property"), start=2):
        prop.set("pid", str(pid))
    return bytes(ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8"))

"""Strictness from Google's own contract: routing, parameter and body validation, ``fields`` masks.

Everything here is driven by the discovery documents that googleapiclient ships
(``googleapiclient/discovery_cache/documents/{drive.v3,sheets.v4,docs.v1}.json``), so the fake accepts
exactly the paths, methods, query parameters, enum values and request-body keys that real Google accepts,
and rejects the rest the way Google does (404 for an unknown path or method, 400 INVALID_ARGUMENT otherwise).
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from dataclasses import dataclass
from functools import cache
from typing import Any

from tests.fakegoogle.store import ApiError

SERVICES = {"drive": "drive.v3", "sheets": "sheets.v4", "docs": "docs.v1"}


class ParamError(ApiError):
    """A 400 that names the offending parameter the way Drive does (``location`` / ``locationType``)."""

    def __init__(
        self,
        message: str,
        location: str,
        reason: str = "invalidParameter",
        location_type: str = "parameter",
        code: int = 400,
    ) -> None:
        super().__init__(code, message, reason=reason)
        self.location = location
        self.location_type = location_type

    def body(self) -> dict[str, Any]:
        """Google's error body plus the location of the bad parameter."""
        out = super().body()
        out["error"]["errors"][0].update({"location": self.location, "locationType": self.location_type})
        return out


def _documents_dir() -> str:
    import googleapiclient

    return os.path.join(os.path.dirname(googleapiclient.__file__), "discovery_cache", "documents")


@cache
def document(service: str) -> dict[str, Any]:
    """The discovery document googleapiclient ships for ``service`` ("drive", "sheets", "docs")."""
    with open(os.path.join(_documents_dir(), SERVICES[service] + ".json"), encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


@dataclass(frozen=True)
class Route:
    """One REST method of one service, with the regex that matches its full URL path."""

    service: str
    method_id: str
    http_method: str
    pattern: re.Pattern[str]
    literal_len: int
    desc: dict[str, Any]


def _walk_methods(resource: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(resource.get("methods", {}).values())
    for sub in resource.get("resources", {}).values():
        out.extend(_walk_methods(sub))
    return out


def _compile(full_path: str) -> tuple[re.Pattern[str], int]:
    regex = ""
    literal = 0
    pos = 0
    for m in re.finditer(r"\{(\+?)([^}]+)\}", full_path):
        text = full_path[pos : m.start()]
        regex += re.escape(text)
        literal += len(text)
        # {+name} is reserved expansion (may contain '/'); plain {name} is one path segment.
        regex += f"(?P<{_group(m.group(2))}>{'.+' if m.group(1) else '[^/]+'})"
        pos = m.end()
    regex += re.escape(full_path[pos:])
    literal += len(full_path) - pos
    return re.compile("^" + regex + "$"), literal


def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)


@cache
def routes() -> tuple[Route, ...]:
    """Every method of the three services, most specific path first (``{id}:batchUpdate`` before ``{id}``)."""
    out: list[Route] = []
    for service in SERVICES:
        doc = document(service)
        for desc in _walk_methods(doc):
            pattern, literal = _compile("/" + doc["servicePath"] + desc["path"])
            out.append(Route(service, desc["id"], desc["httpMethod"], pattern, literal, desc))
            upload = desc.get("mediaUpload", {}).get("protocols", {}).get("simple", {}).get("path")
            if upload:
                pattern, literal = _compile(upload)
                out.append(Route(service, desc["id"], desc["httpMethod"], pattern, literal, {**desc, "_upload": True}))
    out.sort(key=lambda r: -r.literal_len)
    return tuple(out)


def route(http_method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The method a request addresses and its decoded path parameters; Google's 404 if none."""
    for r in routes():
        if r.http_method != http_method:
            continue
        m = r.pattern.match(path)
        if m:
            names = {_group(n): n for n in r.desc.get("parameters", {})}
            return r, {names[k]: urllib.parse.unquote(v) for k, v in m.groupdict().items() if k in names}
    raise ApiError(
        404, f"The requested URL {path} was not found on this server.", reason="notFound", status="NOT_FOUND"
    )


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def decode_params(r: Route, path_params: dict[str, str], query: dict[str, list[str]]) -> dict[str, Any]:
    """Path and query parameters typed per the discovery document; 400 for unknown names, types, enums."""
    specs: dict[str, Any] = {**document(r.service)["parameters"], **r.desc.get("parameters", {})}
    out: dict[str, Any] = dict(path_params)
    for name, values in query.items():
        spec = specs.get(name)
        if spec is None and r.service == "drive" and name in _drive_param_names():
            # Drive ignores a parameter of another Drive method (gspread sends includeItemsFromAllDrives to
            # files.get, and the recordings show Google answering 200); names no Drive method has stay a 400.
            continue
        if spec is None or spec.get("location") == "path":
            raise ParamError(
                f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                f"Field '{name}' could not be found in request message.",
                name,
                reason="invalid",
            )
        typed = [_typed(name, v, spec, r.service) for v in values]
        if spec.get("repeated"):
            out[name] = typed
        elif len(typed) > 1:
            raise ParamError(f"Parameter {name} must be given once, got {len(typed)} values.", name)
        else:
            out[name] = typed[0]
    for name, spec in r.desc.get("parameters", {}).items():
        if spec.get("required") and name not in out:
            raise ParamError(f"Required parameter: {name}", name, reason="required")
    return out


@cache
def _drive_param_names() -> frozenset[str]:
    return frozenset(
        n
        for r in routes()
        if r.service == "drive"
        for n, spec in r.desc.get("parameters", {}).items()
        if spec.get("location") == "query"
    )


def _typed(name: str, raw: str, spec: dict[str, Any], service: str = "") -> Any:
    kind = spec.get("type", "string")
    if kind == "boolean":
        # Google parses booleans case-insensitively (gspread sends Python's "True").
        if raw.lower() not in ("true", "false"):
            raise ParamError(f"Invalid value at '{_snake(name)}' (TYPE_BOOL), \"{raw}\"", name, reason="invalid")
        return raw.lower() == "true"
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", raw):
            raise ParamError(f"Invalid value at '{_snake(name)}' (TYPE_INT32), \"{raw}\"", name, reason="invalid")
        value: Any = int(raw)
        # Google coerces values above "maximum" (handlers clamp); below "minimum" is an error.
        lo = spec.get("minimum")
        if lo is not None and value < int(lo):
            raise ParamError(f"Invalid value '{raw}'. Values must be at least {lo}.", name, reason="invalid")
        return value
    if kind == "number":
        try:
            return float(raw)
        except ValueError:
            raise ParamError(
                f"Invalid value at '{_snake(name)}' (TYPE_DOUBLE), \"{raw}\"", name, reason="invalid"
            ) from None
    if "enum" in spec and raw not in spec["enum"]:
        # Google names the enum's proto type, which for these APIs is the parameter name capitalised.
        enum_type = f"type.googleapis.com/{PROTO_PACKAGES.get(service, 'google')}.{name[:1].upper()}{name[1:]}"
        raise ParamError(f"Invalid value at '{_snake(name)}' ({enum_type}), \"{raw}\"", name, reason="invalid")
    return raw


def schema(service: str, name: str) -> dict[str, Any]:
    """A named schema of a service."""
    found: dict[str, Any] = document(service)["schemas"][name]
    return found


def _resolve(service: str, node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema(service, node["$ref"])
    return node


class BodyError(ApiError):
    """A 400 for a request body, with Google's ``google.rpc.BadRequest`` field violation."""

    def __init__(self, message: str, field_path: str) -> None:
        super().__init__(400, message, reason="invalid")
        self.field_path = field_path

    def body(self) -> dict[str, Any]:
        """Google's error body plus ``details[].fieldViolations``."""
        out = super().body()
        out["error"]["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": self.field_path, "description": self.message}],
            }
        ]
        return out


PROTO_PACKAGES = {
    "drive": "google.apps.drive.v3",
    "sheets": "google.apps.sheets.v4",
    "docs": "google.apps.docs.v1",
}


def _body_field(r: Route) -> str:
    """The proto field the HTTP body binds to, which Google prefixes to error paths ("" for ``body: "*"``)."""
    ref = str(r.desc.get("request", {}).get("$ref", ""))
    if r.service == "drive" or not ref or ref.endswith("Request"):
        return ""
    return {"ValueRange": "data"}.get(ref, _snake(ref))


def validate_body(r: Route, body: Any) -> None:
    """400 unless ``body`` fits the method's request schema at every depth (keys, JSON types, enums)."""
    request = r.desc.get("request")
    if request is None:
        if body not in (None, {}):
            raise ApiError(400, "Invalid JSON payload received. This method does not take a request body.")
        return
    if body is None:
        return
    _check(r.service, request, body, _body_field(r))


def _where(path: str) -> str:
    return f" at '{path}'" if path else ""


def _type_name(service: str, node: dict[str, Any]) -> str:
    ref = node.get("$ref")
    if ref:
        return f"type.googleapis.com/{PROTO_PACKAGES[service]}.{ref}"
    kind = node.get("type", "any")
    if kind == "array":
        items = node.get("items", {})
        return (
            "type.googleapis.com/google.protobuf.ListValue"
            if items.get("type", "any") == "any"
            else _type_name(service, items)
        )
    if kind == "string" and "enum" in node:
        return "TYPE_ENUM"
    fmt = node.get("format", "")
    return {
        "int32": "TYPE_INT32",
        "int64": "TYPE_INT64",
        "uint32": "TYPE_UINT32",
        "uint64": "TYPE_UINT64",
        "double": "TYPE_DOUBLE",
        "float": "TYPE_FLOAT",
        "byte": "TYPE_BYTES",
    }.get(
        fmt,
        {
            "string": "TYPE_STRING",
            "boolean": "TYPE_BOOL",
            "integer": "TYPE_INT32",
            "number": "TYPE_DOUBLE",
            "object": "type.googleapis.com/google.protobuf.Struct",
        }.get(kind, "TYPE_MESSAGE"),
    )


def _invalid(service: str, node: dict[str, Any], value: Any, path: str) -> BodyError:
    # Google's protobuf JSON parser: Invalid value at 'data.values' (type.googleapis.com/...ListValue), "X"
    shown = json.dumps(value, separators=(",", ":"))
    return BodyError(f"Invalid value at '{path}' ({_type_name(service, node)}), {shown}", path)


def _check(service: str, declared: dict[str, Any], value: Any, path: str) -> None:
    node = _resolve(service, declared)
    if value is None:
        return  # JSON null means "unset" in Google's JSON mapping (Drive deletes appProperties keys so)
    kind = node.get("type", "any")
    if kind == "object":
        if not isinstance(value, dict):
            raise _invalid(service, declared, value, path)
        props = node.get("properties")
        extra = node.get("additionalProperties")
        for key, sub in value.items():
            here = f"{path}.{_snake(key)}" if path else _snake(key)
            if props is not None and key in props:
                _check(service, props[key], sub, here)
            elif extra is not None:
                _check(service, extra, sub, f"{path}[{key}]" if path else key)
            elif props is not None:
                raise BodyError(
                    f'Invalid JSON payload received. Unknown name "{key}"{_where(path)}: Cannot find field.',
                    path,
                )
        return
    if kind == "array":
        if not isinstance(value, list):
            raise _invalid(service, declared, value, path)
        for i, item in enumerate(value):
            _check(service, node.get("items", {}), item, f"{path}[{i}]")
        return
    bad = False
    if kind == "string":
        if node.get("format") in ("int64", "uint64") and isinstance(value, int) and not isinstance(value, bool):
            return
        bad = not isinstance(value, str)
        if not bad and "enum" in node and value not in node["enum"]:
            bad = True
    elif kind == "integer":
        bad = isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"-?\d+", value))
        )
    elif kind == "number":
        bad = isinstance(value, bool) or not isinstance(value, int | float | str)
    elif kind == "boolean":
        bad = not isinstance(value, bool)
    if bad:
        raise _invalid(service, declared, value, path)


# ----- fields masks -----------------------------------------------------------------------------------------

Mask = dict[str, "Mask | None"]  # key -> sub-mask; None selects the whole value


def parse_fields(text: str) -> Mask:
    """Parse a ``fields`` selector (``kind,files(id,name),nextPageToken``, ``a/b``, ``a.b``, ``*``)."""
    pos = 0

    def parse_list(depth: int) -> Mask:
        nonlocal pos
        out: Mask = {}
        while True:
            start = pos
            while pos < len(text) and text[pos] not in ",()":
                pos += 1
            path = [p.strip() for p in re.split(r"[/.]", text[start:pos])]
            if not all(path):
                raise ParamError(f"Invalid field selection {text}", "fields")
            sub: Mask | None = None
            if pos < len(text) and text[pos] == "(":
                pos += 1
                sub = parse_list(depth + 1)
                if pos >= len(text) or text[pos] != ")":
                    raise ParamError(f"Invalid field selection {text}", "fields")
                pos += 1
            _merge(out, path, sub)
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            if depth == 0 and pos < len(text):
                raise ParamError(f"Invalid field selection {text}", "fields")
            return out

    mask = parse_list(0)
    return mask


def _merge(out: Mask, path: list[str], sub: Mask | None) -> None:
    head, rest = path[0], path[1:]
    if rest:
        child = out.get(head, {})
        if head in out and child is None:
            return  # already selecting all of head
        assert child is not None
        _merge(child, rest, sub)
        out[head] = child
    elif sub is None or out.get(head, {}) is None:
        out[head] = None
    else:
        existing = out.get(head) or {}
        for k, v in sub.items():
            _merge(existing, [k], v)
        out[head] = existing


def check_mask(service: str, node: dict[str, Any] | None, mask: Mask | None, text: str) -> None:
    """400 ``Invalid field selection`` when the mask names a field the response schema does not have."""
    if node is None or mask is None:
        return
    node = _resolve(service, node)
    if node.get("type") == "array":
        check_mask(service, node.get("items"), mask, text)
        return
    props = node.get("properties")
    if props is None:
        return  # a map or free-form object: any key may be selected
    for key, sub in mask.items():
        if key == "*":
            continue
        if key not in props:
            raise ParamError(f"Invalid field selection {key}", "fields")
        check_mask(service, props[key], sub, text)


def apply_mask(value: Any, mask: Mask | None) -> Any:
    """The partial response: only the selected keys, recursively (lists are masked element-wise)."""
    if mask is None:
        return value
    if isinstance(value, list):
        return [apply_mask(v, mask) for v in value]
    if not isinstance(value, dict):
        return value
    if "*" in mask:
        rest = {k: v for k, v in mask.items() if k != "*"}
        return {k: apply_mask(v, rest[k]) if k in rest else v for k, v in value.items()}
    return {k: apply_mask(value[k], sub) for k, sub in mask.items() if k in value}

"""Drive's ``q`` search language, the subset the fake supports; anything else is a 400, never a silent match.

Supported terms (Drive v3 "Search for files and folders"):
- ``'<id>' in parents`` (``'root'`` is the caller's My Drive; gspread's ``parents in '<id>'`` too),
  ``'<email>' in owners|writers|readers`` (``'me'`` is the caller); strings take single or double quotes
- ``name = | != | contains '<text>'`` (contains is prefix matching on words, like Drive),
  ``fullText contains '<text>'`` (substring of name and description)
- ``mimeType = | != '<type>'``, ``trashed = | != true|false``, ``starred = false``
- ``modifiedTime | createdTime  = != < <= > >= '<RFC 3339>'``
- ``appProperties has { key='k' and value='v' }``, ``properties has { ... }``
- ``and``, ``or``, ``not``, parentheses; ``\\'`` and ``\\\\`` escapes inside strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tests.fakegoogle.discovery import ParamError
from tests.fakegoogle.store import FileRecord

_TOKEN = re.compile(
    r"""\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?P<op><=|>=|!=|=|<|>)"""
    r"|(?P<punct>[(){}])|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<bad>\S))"
)


@dataclass
class Env:
    """What a query needs besides the file: the caller's My Drive root id and roles on files."""

    root_id: str
    roles: Callable[[FileRecord, str], set[str]]  # (file, email) -> roles of that email on the file
    me: str = ""  # the caller's email, which Drive's 'me' stands for


Pred = Callable[[FileRecord, Env], bool]


def invalid(q: str, why: str) -> ParamError:
    """Drive's answer to a query it cannot run (its message is a bare "Invalid Value"; ours adds why)."""
    return ParamError(f"Invalid Value: {why} in q={q!r}", "q", reason="invalid")


def _tokens(q: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(q):
        m = _TOKEN.match(q, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        kind = m.lastgroup or ""
        if kind == "bad":
            raise invalid(q, f"unexpected character {m.group(kind)!r}")
        out.append((kind, m.group(kind)))
    return out


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def _rfc3339(q: str, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(q, f"{text!r} is not an RFC 3339 date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _word_prefix(name: str, text: str) -> bool:
    low, want = name.lower(), text.lower()
    starts = [0] + [i for i in range(1, len(low)) if not low[i - 1].isalnum() and low[i].isalnum()]
    return any(low.startswith(want, i) for i in starts)


class _Parser:
    def __init__(self, q: str) -> None:
        self.q = q
        self.toks = _tokens(q)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise invalid(self.q, "unexpected end of query")
        self.i += 1
        return tok

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok and tok[0] == "word" and tok[1].lower() == word:
            self.i += 1
            return True
        return False

    def expect(self, kind: str, value: str | None = None) -> str:
        tok = self.take()
        if tok[0] != kind or (value is not None and tok[1].lower() != value):
            raise invalid(self.q, f"expected {value or kind}, got {tok[1]!r}")
        return tok[1]

    def parse(self) -> Pred:
        pred = self.or_expr()
        if self.peek() is not None:
            raise invalid(self.q, f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return pred

    def or_expr(self) -> Pred:
        parts = [self.and_expr()]
        while self.keyword("or"):
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else (lambda f, e: any(p(f, e) for p in parts))

    def and_expr(self) -> Pred:
        parts = [self.not_expr()]
        while self.keyword("and"):
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else (lambda f, e: all(p(f, e) for p in parts))

    def not_expr(self) -> Pred:
        if self.keyword("not"):
            inner = self.not_expr()
            return lambda f, e: not inner(f, e)
        tok = self.peek()
        if tok == ("punct", "("):
            self.i += 1
            inner = self.or_expr()
            self.expect("punct", ")")
            return inner
        return self.term()

    def term(self) -> Pred:
        q = self.q
        kind, value = self.take()
        if kind == "str":
            literal = _unquote(value)
            self.expect("word", "in")
            field = self.expect("word")
            if field == "parents":
                return lambda f, e: (e.root_id if literal == "root" else literal) in f.parents
            if field in ("owners", "writers", "readers"):
                need = {
                    "owners": {"owner"},
                    "writers": {"owner", "organizer", "fileOrganizer", "writer"},
                    "readers": {"owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"},
                }[field]
                return lambda f, e: bool(e.roles(f, e.me if literal == "me" else literal) & need)
            raise invalid(q, f"'in {field}' is not supported")
        if kind != "word":
            raise invalid(q, f"unexpected {value!r}")
        field = value
        if field == "parents" and self.keyword("in"):
            # The reversed form gspread sends (``parents in "<id>"``); Drive accepts it too.
            wanted = _unquote(self.expect("str"))
            return lambda f, e: (e.root_id if wanted == "root" else wanted) in f.parents
        if field in ("appProperties", "properties"):
            self.expect("word", "has")
            self.expect("punct", "{")
            self.expect("word", "key")
            self.expect("op", "=")
            key = _unquote(self.expect("str"))
            self.expect("word", "and")
            self.expect("word", "value")
            self.expect("op", "=")
            val = _unquote(self.expect("str"))
            self.expect("punct", "}")
            if field == "appProperties":
                return lambda f, e: f.appProperties.get(key) == val
            return lambda f, e: f.properties.get(key) == val
        op_tok = self.take()
        op = op_tok[1].lower()
        if op_tok[0] not in ("op", "word") or (op_tok[0] == "word" and op != "contains"):
            raise invalid(q, f"expected an operator after {field}, got {op_tok[1]!r}")
        rhs_kind, rhs = self.take()
        if field in ("trashed", "starred"):
            if rhs_kind != "word" or rhs.lower() not in ("true", "false") or op not in ("=", "!="):
                raise invalid(q, f"{field} takes = or != with true or false")
            want = rhs.lower() == "true"
            attr = field

            def boolean(f: FileRecord, e: Env) -> bool:
                have = f.trashed if attr == "trashed" else False
                return (have == want) == (op == "=")

            return boolean
        if rhs_kind != "str":
            raise invalid(q, f"{field} needs a quoted string, got {rhs!r}")
        text = _unquote(rhs)
        if field in ("name", "mimeType"):
            get: Callable[[FileRecord], str] = (lambda f: f.name) if field == "name" else (lambda f: f.mimeType)
            if op == "=":
                return lambda f, e: get(f) == text
            if op == "!=":
                return lambda f, e: get(f) != text
            if op == "contains":
                if field == "name":
                    return lambda f, e: _word_prefix(f.name, text)
                return lambda f, e: text in f.mimeType
            raise invalid(q, f"operator {op} is not supported for {field}")
        if field == "fullText" and op == "contains":
            low = text.lower()
            return lambda f, e: low in f.name.lower() or low in (f.description or "").lower()
        if field in ("modifiedTime", "createdTime"):
            moment = _rfc3339(q, text)
            cmp: dict[str, Callable[[datetime, datetime], bool]] = {
                "=": lambda a, b: a == b,
                "!=": lambda a, b: a != b,
                "<": lambda a, b: a < b,
                "<=": lambda a, b: a <= b,
                ">": lambda a, b: a > b,
                ">=": lambda a, b: a >= b,
            }
            if op not in cmp:
                raise invalid(q, f"operator {op} is not supported for {field}")
            check = cmp[op]
            attr_t = field
            return lambda f, e: check(_rfc3339(q, getattr(f, attr_t)), moment)
        raise invalid(q, f"term {field} {op} is not supported")


def parse(q: str) -> Pred:
    """Compile a Drive query into a predicate over files; 400 ``Invalid Value`` for anything unsupported."""
    if not q.strip():
        return lambda f, e: True
    return _Parser(q).parse()

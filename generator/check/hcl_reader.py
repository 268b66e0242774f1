"""A tolerant reader of Terraform (HCL) files for `avm check`.

python-hcl2 gives the values but no line numbers, so a small scanner of our own finds the blocks, their
extent and the lines of their attributes; the values of block `i` of kind `k` are the `i`-th entry of
python-hcl2's list for `k`. Those values are read from the scanner's tokens by `hcl_values` (python-hcl2's values,
much faster) when the file is in the subset it mirrors, else by python-hcl2 itself. A file python-hcl2 cannot
parse yields an `HclFile` with `error` set and no blocks, never an exception.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from generator.paths import cache_dir

_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_OPERATORS = ("==", "!=", "<=", ">=", "&&", "||", "=>", "...", "::")
# One match reads the next newline, run of blanks (never a newline: it moves along one line), identifier, number or
# operator; the characters that may open a comment, a string or a heredoc are looked at first.
_SIMPLE_TOKEN = re.compile(
    r"(\n)|([ \t\r\ufeff]+)|([A-Za-z_][A-Za-z0-9_-]*)|([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)|("
    + "|".join(map(re.escape, _OPERATORS))
    + ")"
)
_SIMPLE_KINDS = (None, "newline", None, "ident", "number", "punct")
_STRING_STOPS = re.compile(r'[\\"$%\n]')
_TEMPLATE_STOPS = re.compile(r'["{}]')
_META_KEYS = ("__is_block__", "__comments__", "__inline_comments__", "__start_line__", "__end_line__")


class Token(NamedTuple):  # a tuple: a file has tens of thousands of them
    kind: str  # ident | string | heredoc | number | punct | newline
    value: str
    line: int
    col: int
    start: int
    end: int


@dataclass(frozen=True)
class Comment:
    style: str  # "#", "//" or "/*"
    line: int
    col: int


class _Scanner:
    """Splits HCL source into tokens; strings (with their `${}`/`%{}` templates) and heredocs are single tokens."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.tokens: list[Token] = []
        self.comments: list[Comment] = []

    def _advance_to(self, end: int) -> None:
        chunk = self.src[self.pos : end]
        newlines = chunk.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = self.pos + chunk.rindex("\n") + 1
        self.pos = end

    def _emit(self, kind: str, end: int) -> None:
        start, line, col = self.pos, self.line, self.pos - self.line_start + 1
        self._advance_to(end)
        self.tokens.append(Token(kind, self.src[start:end], line, col, start, end))

    def _string_end(self, i: int) -> int:
        """The index after the closing quote of the string opening at `i`."""
        src, n = self.src, len(self.src)
        i += 1
        while (stop := _STRING_STOPS.search(src, i)) is not None:
            i = stop.start()
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == '"':
                return i + 1
            if c == "\n":
                return i  # an unterminated string; HCL forbids newlines in quoted strings
            if src.startswith(c + c + "{", i):
                i += 3  # `$${` and `%%{` are escaped literals
                continue
            if src.startswith("{", i + 1):
                i = self._template_end(i + 2)
                continue
            i += 1
        return n

    def _template_end(self, i: int) -> int:
        """The index after the `}` closing a template interpolation whose body starts at `i`."""
        src, depth = self.src, 1
        while (stop := _TEMPLATE_STOPS.search(src, i)) is not None:
            i = stop.start()
            c = src[i]
            if c == '"':
                i = self._string_end(i)
                continue
            if c == "{":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return len(src)

    def _special(self, c: str) -> bool:
        """Reads the comment, string or heredoc opening at the current position; False when there is none."""
        src, i = self.src, self.pos
        if c == "#" or src.startswith("//", i):
            self.comments.append(Comment("#" if c == "#" else "//", self.line, i - self.line_start + 1))
            end = src.find("\n", i)
            self._advance_to(len(src) if end < 0 else end)
        elif src.startswith("/*", i):
            self.comments.append(Comment("/*", self.line, i - self.line_start + 1))
            end = src.find("*/", i + 2)
            self._advance_to(len(src) if end < 0 else end + 2)
        elif c == '"':
            self._emit("string", self._string_end(i))
        elif c == "<" and (m := _HEREDOC.match(src, i)):
            self._emit("heredoc", self._heredoc_end(m))
        else:
            return False
        return True

    def run(self) -> list[Token]:
        src, n, append, simple = self.src, len(self.src), self.tokens.append, _SIMPLE_TOKEN.match
        pos, line, line_start = self.pos, self.line, self.line_start
        while pos < n:
            c = src[pos]
            if c in '#/"<':
                self.pos, self.line, self.line_start = pos, line, line_start
                if self._special(c):
                    pos, line, line_start = self.pos, self.line, self.line_start
                    continue
            m = simple(src, pos)
            if m is None:  # any other character is a punctuation token of its own
                append(Token("punct", c, line, pos - line_start + 1, pos, pos + 1))
                pos += 1
                continue
            end, group = m.end(), m.lastindex
            if group != 2:  # blanks make no token
                append(Token(_SIMPLE_KINDS[group], m.group(), line, pos - line_start + 1, pos, end))  # type: ignore[arg-type]
            if group == 1:
                line, line_start = line + 1, end
            pos = end
        self.pos, self.line, self.line_start = pos, line, line_start
        return self.tokens

    def _heredoc_end(self, m: re.Match[str]) -> int:
        """The end of the line holding the closing marker (the end of the text without one)."""
        src, marker, start = self.src, m.group(2), m.end()
        while True:
            newline = src.find("\n", start)
            end = len(src) if newline < 0 else newline
            if src[start:end].strip() == marker or newline < 0:
                return end
            start = newline + 1


@dataclass
class Block:
    kind: str
    labels: tuple[str, ...]
    line: int  # 1-based line of the block header
    body: dict[str, Any]
    attr_lines: dict[str, int]  # top-level attributes and nested blocks of the body, in source order
    text: str
    end_line: int = 0

    @property
    def name(self) -> str:
        """The last label: the name of a variable/output/module, or of a resource or data source."""
        return self.labels[-1] if self.labels else ""

    def attr_line(self, name: str) -> int:
        return self.attr_lines.get(name, self.line)

    def has(self, name: str) -> bool:
        return name in self.attr_lines


@dataclass
class HclFile:
    name: str
    source: str
    blocks_all: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    heredocs: list[Token] = field(default_factory=list)  # each heredoc, marker line to closing marker
    error: str | None = None
    error_line: int | None = None
    error_col: int | None = None

    def blocks(self, kind: str | None = None) -> list[Block]:
        return [b for b in self.blocks_all if kind is None or b.kind == kind]

    def block(self, kind: str, *labels: str) -> Block | None:
        return next((b for b in self.blocks_all if b.kind == kind and b.labels[: len(labels)] == labels), None)


def expr(value: Any) -> str | None:
    """The expression text of a python-hcl2 value `${...}`, else None (literals)."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1].strip()
    return None


def _matching(tokens: list[Token], i: int) -> int:
    """The index of the `}` that closes the `{` at `tokens[i]` (or the last token)."""
    depth = 0
    for j in range(i, len(tokens)):
        v = tokens[j].value
        if tokens[j].kind == "punct":
            if v in "{[(":
                depth += 1
            elif v in "}])":
                depth -= 1
                if depth == 0:
                    return j
    return len(tokens) - 1


def _header(tokens: list[Token], i: int) -> tuple[list[str], int] | None:
    """At a statement start `tokens[i]` (an identifier): the labels and the index of `{` if this is a block."""
    labels: list[str] = []
    j = i + 1
    while j < len(tokens) and tokens[j].kind in ("string", "ident"):
        labels.append(tokens[j].value[1:-1] if tokens[j].kind == "string" else tokens[j].value)
        j += 1
    if j < len(tokens) and tokens[j].kind == "punct" and tokens[j].value == "{":
        return labels, j
    return None


def _attr_lines(tokens: list[Token], open_i: int, close_i: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    depth = 0
    at_start = True
    j = open_i + 1
    while j < close_i:
        t = tokens[j]
        if depth == 0 and at_start and t.kind == "ident":
            nxt = tokens[j + 1] if j + 1 < close_i else None
            is_attribute = nxt is not None and nxt.kind == "punct" and nxt.value in ("=", ":")
            if is_attribute or _header(tokens, j) is not None:
                lines.setdefault(t.value, t.line)
        if t.kind == "punct" and t.value in "{[(":
            depth += 1
        elif t.kind == "punct" and t.value in "}])":
            depth -= 1
        at_start = t.kind == "newline" or (t.kind == "punct" and t.value == "{" and depth == 1)
        j += 1
    return lines


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {_unquote(k): _clean(v) for k, v in value.items() if k not in _META_KEYS}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


CACHE_FORMAT = "2"


@cache
def _hcl2_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("python-hcl2")
    except Exception:
        return None


def _cache_file(source: str) -> Path | None:
    """Where the parsed values of `source` are kept between runs: python-hcl2 is the slow part of a check."""
    import hashlib

    hcl2_version = _hcl2_version()  # read once: the package metadata lookup is slower than a cached parse
    if hcl2_version is None:
        return None
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    return cache_dir() / "check" / f"hcl-{hcl2_version}-{CACHE_FORMAT}" / digest[:2] / f"{digest}.json"


@lru_cache(maxsize=256)
def _values(source: str) -> dict[str, Any]:
    """python-hcl2's values of `source`, read once per process (modules share files word for word); callers do not
    change them."""
    from generator.check.hcl_values import read_values

    values = read_values(source)
    return values if values is not None else _hcl2_load(source)


def _hcl2_load(source: str) -> dict[str, Any]:
    """python-hcl2's values of `source`, from the user cache when this text was parsed before."""
    import json

    cached = _cache_file(source)
    if cached is not None:
        try:
            return json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    data = _hcl2_parse(source)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temporary, cached)
        except (OSError, TypeError, ValueError):
            pass  # a cache that cannot be written only costs time
    return data


# python-hcl2 8 lexes the template escapes `$${` and `%%{` (a literal `${`, `%{`) only when a `}` closes them, so
# valid HCL such as `"the $${x."` fails to parse; terraform accepts it. The escapes are bridged by characters of
# the same length from the private-use area, and put back, as the literal text they stand for, in the values.
_ESCAPES = {"$${": "\ue000\ue001{", "%%{": "\ue002\ue003{"}
_LITERALS = {bridge: escape[1:] for escape, bridge in _ESCAPES.items()}


def _unbridged(value: Any) -> Any:
    if isinstance(value, str):
        for bridge, literal in _LITERALS.items():
            value = value.replace(bridge, literal)
        return value
    if isinstance(value, dict):
        return {_unbridged(k): _unbridged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unbridged(v) for v in value]
    return value


def _hcl2_parse(source: str) -> dict[str, Any]:
    import hcl2

    bridged = source
    for escape, bridge in _ESCAPES.items():
        bridged = bridged.replace(escape, bridge)
    try:
        from hcl2.utils import SerializationOptions

        options = SerializationOptions(with_comments=False, preserve_heredocs=False, strip_string_quotes=True)
        data = hcl2.loads(bridged, serialization_options=options)
    except ImportError:  # older python-hcl2 without serialization options
        data = hcl2.loads(bridged)
    return _unbridged(data) if bridged != source else data


def _body_of(entry: Any, depth: int) -> dict[str, Any]:
    for _ in range(depth):
        if not isinstance(entry, dict) or not entry:
            return {}
        entry = next(iter(v for k, v in entry.items() if k not in _META_KEYS), {})
    return _clean(entry) if isinstance(entry, dict) else {}


def parse(source: str, name: str) -> HclFile:
    """Parse one `.tf` file; never raises on bad input."""
    result = HclFile(name=name, source=source)
    try:
        data = _values(source)
    except Exception as exc:  # python-hcl2 raises lark errors and assorted others
        result.error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        result.error_line = getattr(exc, "line", None) if isinstance(getattr(exc, "line", None), int) else None
        result.error_col = getattr(exc, "column", None) if isinstance(getattr(exc, "column", None), int) else None
        return result
    tokens, comments = _scan(source)
    result.comments = list(comments)
    result.heredocs = [t for t in tokens if t.kind == "heredoc"]
    seen: dict[str, int] = {}
    for placed in _layout(source):
        index = seen.get(placed.kind, 0)
        seen[placed.kind] = index + 1
        entries = data.get(placed.kind) if isinstance(data, dict) else None
        entry = entries[index] if isinstance(entries, list) and index < len(entries) else {}
        result.blocks_all.append(
            Block(
                kind=placed.kind,
                labels=placed.labels,
                line=placed.line,
                body=_body_of(entry, len(placed.labels)),
                attr_lines=dict(placed.attr_lines),
                text=source[placed.start : placed.end],
                end_line=placed.end_line,
            )
        )
    return result


class _Placed(NamedTuple):
    """Where a top-level block is, without its values: the same for every module holding the same text."""

    kind: str
    labels: tuple[str, ...]
    line: int
    attr_lines: tuple[tuple[str, int], ...]
    start: int
    end: int
    end_line: int


@lru_cache(maxsize=256)
def _layout(source: str) -> tuple[_Placed, ...]:
    tokens = _scan(source)[0]
    placed: list[_Placed] = []
    i, at_start = 0, True
    while i < len(tokens):
        t = tokens[i]
        if at_start and t.kind == "ident" and (head := _header(tokens, i)) is not None:
            labels, open_i = head
            close_i = _matching(tokens, open_i)
            lines = tuple(_attr_lines(tokens, open_i, close_i).items())
            placed.append(
                _Placed(t.value, tuple(labels), t.line, lines, t.start, tokens[close_i].end, tokens[close_i].line)
            )
            i = close_i + 1
            at_start = False
            continue
        at_start = t.kind == "newline"
        i += 1
    return tuple(placed)


@lru_cache(maxsize=1024)
def _scan(source: str) -> tuple[tuple[Token, ...], tuple[Comment, ...]]:
    """The tokens and comments of a text, scanned once per process (modules share many files word for word)."""
    scanner = _Scanner(source)
    return tuple(scanner.run()), tuple(scanner.comments)


def _opens(token: Token, value: str = "{") -> bool:
    return token.kind == "punct" and token.value == value


def object_key_positions(block: Block, attribute: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """The line and column of every key of the object literal assigned to `attribute` in the block, and of the
    object literals inside it, by path (`("properties", "sku")`); the attribute itself is `()`. Keys of objects
    inside lists, conditionals or function calls are not listed."""
    tokens = _scan(block.text)[0]
    first = next((i for i, t in enumerate(tokens) if _opens(t)), None)
    if first is None:
        return {}
    close = _matching(tokens, first)
    positions: dict[tuple[str, ...], tuple[int, int]] = {}

    def place(token: Token) -> tuple[int, int]:
        return block.line + token.line - 1, token.col

    def read(i: int, end: int, prefix: tuple[str, ...]) -> None:
        """The entries of the object whose contents are tokens[i:end]."""
        at_start = True
        while i < end:
            token = tokens[i]
            following = tokens[i + 1] if i + 1 < end else None
            if token.kind == "newline" or _opens(token, ","):
                at_start = True
                i += 1
                continue
            if at_start and token.kind in ("ident", "string") and following and following.value in ("=", ":"):
                path = (*prefix, token.value[1:-1] if token.kind == "string" else token.value)
                positions[path] = place(token)
                value = tokens[i + 2] if i + 2 < end else None
                if value is not None and _opens(value) and not _is_for(tokens, i + 3):
                    inner_end = _matching(tokens, i + 2)
                    read(i + 3, inner_end, path)
                    i = inner_end + 1
                else:
                    i += 2
                at_start = False
                continue
            if token.kind == "punct" and token.value in "([{":
                i = _matching(tokens, i) + 1
            else:
                i += 1
            at_start = False

    i = first + 1
    while i < close:
        token = tokens[i]
        if token.kind == "ident" and token.value == attribute and _opens(tokens[i + 1], "="):
            if _opens(tokens[i + 2]) and not _is_for(tokens, i + 3):
                positions[()] = place(token)
                read(i + 3, _matching(tokens, i + 2), ())
            break
        i = _matching(tokens, i) + 1 if token.kind == "punct" and token.value in "([{" else i + 1
    return positions


def _is_for(tokens: list[Token], i: int) -> bool:
    """Whether the object opening before `tokens[i]` is a `for` expression."""
    while i < len(tokens) and tokens[i].kind == "newline":
        i += 1
    return i < len(tokens) and tokens[i].kind == "ident" and tokens[i].value == "for"

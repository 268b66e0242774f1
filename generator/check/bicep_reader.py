"""A reader of Bicep files for `avm check`: top-level statements with their decorators and line numbers.

Purpose-built rather than a full grammar, so that it keeps up with the language (nullable types,
`resourceInput<>`, `.?`, `!`, lambdas, spreads, multi-line strings): it splits a file into top-level
statements by tracking brackets, strings (with `${}` interpolation) and comments, then reads each
statement's head with a few patterns. Everything it cannot read stays available as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

KEYWORDS = ("param", "var", "resource", "module", "output", "type", "func", "import", "metadata", "targetScope")
STRING_RE = re.compile(r"'''(.*?)'''|'((?:[^'\\]|\\.)*)'", re.S)
ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", "$": "$"}


@dataclass(frozen=True)
class Decorator:
    name: str
    args: str  # the text between the parentheses
    line: int

    @property
    def string(self) -> str | None:
        """The decorator's string argument (`@description('...')`), unescaped."""
        return string_value(self.args.strip())


@dataclass
class Statement:
    keyword: str
    name: str
    line: int
    text: str  # the whole statement, decorators excluded
    decorators: list[Decorator] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # comment lines directly above (e.g. #disable-next-line)

    def decorator(self, name: str) -> Decorator | None:
        return next((d for d in self.decorators if d.name == name), None)

    @property
    def description(self) -> str | None:
        found = self.decorator("description")
        return found.string if found else None

    @cached_property
    def head(self) -> str:
        """The statement without its keyword and name, comments removed: `string = 'x'`, `'X/y@2024-01-01' = {...}`."""
        parts = strip_comments(self.text).split(None, 2)
        return parts[2].strip() if len(parts) > 2 else ""

    @cached_property
    def type(self) -> str:
        """param/output/type: the declared type (`lockType?`, `string`, `{...}`)."""
        text = self.head
        if self.keyword == "type":
            return text.lstrip("= ").strip()
        return split_assignment(text)[0].strip()

    @cached_property
    def value(self) -> str | None:
        """param default, var/output value; None when absent."""
        if self.keyword == "targetScope":
            return strip_comments(self.text).split("=", 1)[1].strip()
        _, value = split_assignment(self.head)
        return value.strip() if value is not None else None

    @property
    def nullable(self) -> bool:
        return self.type.endswith("?")


@dataclass
class BicepFile:
    source: str
    statements: list[Statement]

    def of(self, keyword: str) -> list[Statement]:
        return [s for s in self.statements if s.keyword == keyword]

    def get(self, keyword: str, name: str) -> Statement | None:
        return next((s for s in self.statements if s.keyword == keyword and s.name == name), None)

    def metadata(self, name: str) -> str | None:
        found = self.get("metadata", name)
        return string_value(found.value or "") if found else None

    @cached_property
    def params(self) -> dict[str, Statement]:
        return {s.name: s for s in self.of("param")}

    @cached_property
    def outputs(self) -> dict[str, Statement]:
        return {s.name: s for s in self.of("output")}

    def line_of(self, pattern: str) -> int:
        """The 1-based line of the first match of `pattern` (a regex), else 1."""
        match = re.search(pattern, self.source, re.M)
        return self.source.count("\n", 0, match.start()) + 1 if match else 1


def string_value(text: str) -> str | None:
    """The value of a Bicep string literal (single-quoted or `'''` multi-line), or None for any other expression."""
    match = STRING_RE.fullmatch(text.strip())
    if match is None:
        return None
    if match.group(1) is not None:
        return match.group(1).removeprefix("\n") if match.group(1).startswith("\n") else match.group(1)
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), match.group(2))


_STRING_OR_SLASH = re.compile(r"['/]")
_IN_STRING = re.compile(r"[\\'$]")
_DEPTH_CHANGING = re.compile(r"[/'()\[\]{}]")


def strip_comments(text: str) -> str:
    """`text` without `//` and `/* */` comments (strings kept intact)."""
    out: list[str] = []
    index = 0
    while (found := _STRING_OR_SLASH.search(text, index)) is not None:
        start = found.start()
        out.append(text[index:start])
        if text[start] == "'":
            end = skip_string(text, start)
            out.append(text[start:end])
            index = end
        elif (end := comment_end(text, start)) is not None:
            index = end
        else:
            out.append("/")
            index = start + 1
    out.append(text[index:])
    return "".join(out)


def comment_end(text: str, index: int) -> int | None:
    """The index just after the comment that starts at `index` (a `//` comment's newline stays), or None when no
    comment starts there."""
    if text.startswith("//", index):
        end = text.find("\n", index)
        return len(text) if end < 0 else end
    if text.startswith("/*", index):
        end = text.find("*/", index + 2)
        return len(text) if end < 0 else end + 2
    return None


def split_assignment(text: str) -> tuple[str, str | None]:
    """`type = value` at bracket depth 0 (ignoring `==`, `!=`, `<=`, `>=`, `=>`)."""
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "'":
            index = skip_string(text, index)
            continue
        if char in "([{<":
            depth += 1
        elif char in ")]}>" and depth:
            depth -= 1
        elif char == "=" and depth == 0:
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < len(text) else " "
            if before not in "=!<>" and after not in "=>":
                return text[:index], text[index + 1 :]
        index += 1
    return text, None


def skip_string(text: str, index: int) -> int:
    """The index just after the string literal starting at `index` (interpolations may nest strings)."""
    if text.startswith("'''", index):
        end = text.find("'''", index + 3)
        return len(text) if end < 0 else end + 3
    index += 1
    while (found := _IN_STRING.search(text, index)) is not None:
        index = found.start()
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "'":
            return index + 1
        if text.startswith("${", index):
            index = skip_interpolation(text, index + 2)
            continue
        index += 1
    return len(text)


def skip_interpolation(text: str, index: int) -> int:
    depth = 1
    while index < len(text) and depth:
        char = text[index]
        if char == "'":
            index = skip_string(text, index)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        index += 1
    return index


def _depth_changes(line: str, state: dict) -> int:
    """Bracket depth change over one line, tracking multi-line strings and block comments across lines."""
    change = 0
    index = 0
    while index < len(line):
        if state.get("multiline"):
            end = line.find("'''", index)
            if end < 0:
                return change
            state["multiline"] = False
            index = end + 3
            continue
        if state.get("comment"):
            end = line.find("*/", index)
            if end < 0:
                return change
            state["comment"] = False
            index = end + 2
            continue
        found = _DEPTH_CHANGING.search(line, index)
        if found is None:
            return change
        index = found.start()
        char = line[index]
        if char == "/":
            if line.startswith("//", index):
                return change
            if line.startswith("/*", index):
                state["comment"] = True
                index += 2
                continue
        elif line.startswith("'''", index):
            end = line.find("'''", index + 3)
            if end < 0:
                state["multiline"] = True
                return change
            index = end + 3
            continue
        elif char == "'":
            index = skip_string(line, index)
            continue
        elif char in "([{":
            change += 1
        else:
            change -= 1
        index += 1
    return change


def _chunks(source: str) -> list[tuple[int, list[str]]]:
    """Top-level chunks: each starts at a line with no indentation at bracket depth 0."""
    chunks: list[tuple[int, list[str]]] = []
    depth = 0
    state: dict = {}
    for number, line in enumerate(source.splitlines(), start=1):
        starts = depth == 0 and not state.get("multiline") and not state.get("comment")
        if starts and line.strip() and not line[0].isspace():
            chunks.append((number, [line]))
        elif chunks:
            chunks[-1][1].append(line)
        depth = max(0, depth + _depth_changes(line, state))
    return chunks


DECORATOR_RE = re.compile(r"^@(?:sys\.)?(\w+)\((.*)\)\s*$", re.S)
HEAD_RE = re.compile(r"^(\w+)\s+([A-Za-z_][\w]*)?")


def parse(source: str) -> BicepFile:
    statements: list[Statement] = []
    decorators: list[Decorator] = []
    comments: list[str] = []
    for line, lines in _chunks(source):
        text = "\n".join(lines).rstrip()
        first = lines[0]
        if first.startswith("@"):
            match = DECORATOR_RE.match(strip_comments(text).rstrip())
            if match:
                decorators.append(Decorator(match.group(1), match.group(2), line))
            continue
        if first.startswith(("//", "#", "/*")):
            comments.append(first)
            continue
        head = HEAD_RE.match(first)
        keyword = head.group(1) if head else ""
        if keyword not in KEYWORDS and keyword != "extension":
            decorators, comments = [], []
            continue
        name = head.group(2) or "" if head else ""
        if keyword == "import":
            name = ""
        statements.append(Statement(keyword, name, line, text, decorators, comments))
        decorators, comments = [], []
    return BicepFile(source, statements)

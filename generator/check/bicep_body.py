"""The resource declarations of a Bicep file and their bodies, as `body.Body`, for the schema rules.

`declarations(file)` reads each `resource` statement (and the resources declared inside a body): its full type
(a nested resource's type is its parent's and its own, its API version its own or its parent's), whether it is
`existing`, and its body object. Bodies may be conditional (`= if (...) {`) or loops (`= [for ...: {`); the
object is read the same. Of each object only what is literal is kept: a key written as an identifier or a plain
string, and for each value whether it is a literal object, a string literal or a single identifier. A spread
(`...x`) or an interpolated key leaves the object open (`Body.closed` false). Values may run over several lines
(`cond\\n ? a\\n : b`); an entry ends where the next line starts another entry.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.check.bicep_reader import BicepFile, comment_end, skip_string, string_value
from generator.check.body import Body, Field

DECLARATION_KEYS = ("parent", "scope", "dependsOn")
"""Keys of a resource body that Bicep reads itself and never sends."""
TYPE_RE = re.compile(r"^(?P<type>[A-Za-z][\w.-]*(?:/[\w.-]+)*)(?:@(?P<version>[\w.-]+))?$")
API_VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:-[A-Za-z]+)?$")
RESOURCE_RE = re.compile(r"resource\s+([A-Za-z_]\w*)\s+(?='|''')")
NESTED_RE = re.compile(r"^\s*resource\s+[A-Za-z_]\w*\s+'", re.M)
IDENTIFIER_RE = re.compile(r"[A-Za-z_]\w*")
KEY_RE = re.compile(r"([A-Za-z_$][\w$]*)\s*:(?!:)")
ENTRY_START_RE = re.compile(r"(?:\}|\.\.\.|@|resource\s+\w+\s+'|[A-Za-z_$][\w$]*\s*:(?!:)|'(?:[^'\\]|\\.)*'\s*:)")
CONTINUED_BY = ("?", ":", "&", "|", "=", "+", "-", "*", "/", "%", "<", ">", ".", "(", "[", "{", ",")
KEYWORDS = ("null", "true", "false")
BRACKETS_RE = re.compile(r"['/()\[\]{}]")
GROUPS_RE = re.compile(r"['/()\[\]{},\n]")


@dataclass(frozen=True)
class Declaration:
    symbol: str
    type_name: str  # `Microsoft.KeyVault/vaults/secrets`
    api_version: str
    existing: bool
    line: int
    body: Body | None  # None when the declaration's value is no object the reader can read


class _Text:
    """A statement's text with the line and column of each offset in the file."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._closing: dict[int, int] | None = None  # every bracket's closing one, when first asked

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1

    def skip_blank(self, index: int, also: str = "") -> int:
        """Past whitespace, comments and the characters of `also`."""
        text = self.text
        while index < len(text):
            if text[index].isspace() or text[index] in also:
                index += 1
            elif (end := comment_end(text, index)) is not None:
                index = end
            elif text[index] == "#" and self._starts_line(index):  # a `#disable-next-line` directive
                end = text.find("\n", index)
                index = len(text) if end < 0 else end
            else:
                return index
        return index

    def _starts_line(self, index: int) -> bool:
        """Whether only blanks precede `index` on its line (where `#disable-next-line` directives stand)."""
        return not self.text[self.text.rfind("\n", 0, index) + 1 : index].strip()

    def closing(self, index: int) -> int:
        """The index just after the bracket that closes the one at `index` (strings and comments skipped)."""
        if self._closing is None:
            self._closing = self._match_brackets()
        return self._closing.get(index, len(self.text))

    def _match_brackets(self) -> dict[int, int]:
        """Every opening bracket's closing one, found in one pass."""
        found: dict[int, int] = {}
        opened: list[int] = []
        index = 0
        while (next_one := self._next(index, len(self.text), BRACKETS_RE)) is not None:
            index, char = next_one
            if char in "([{":
                opened.append(index)
            elif opened:
                found[opened.pop()] = index + 1
            index += 1
        return found

    def _next(self, index: int, end: int, pattern: re.Pattern[str]) -> tuple[int, str] | None:
        """The next character `pattern` finds from `index` to `end` outside strings and comments, and where."""
        text = self.text
        while (match := pattern.search(text, index, end)) is not None:
            index = match.start()
            char = text[index]
            if char == "'":
                index = skip_string(text, index)
            elif char == "/":
                after_comment = comment_end(text, index)
                if after_comment is None:
                    index += 1  # a division
                else:
                    index = after_comment
            else:
                return index, char
        return None

    def groups(self, index: int, end: int) -> Iterator[tuple[int, int]]:
        """Where each bracketed group, comma, closing bracket and newline from `index` to `end` starts and ends."""
        while (next_one := self._next(index, end, GROUPS_RE)) is not None:
            start, char = next_one
            index = self.closing(start) if char in "([{" else start + 1
            yield start, index

    def value_end(self, index: int) -> int:
        """The end of the value starting at `index`: a `,` or the enclosing `}` at its own depth, or the end of a
        line after which another entry starts."""
        for start, _ in self.groups(index, len(self.text)):
            char = self.text[start]
            if char in ",)]}" or (char == "\n" and self._ends_entry(start)):
                return start
        return len(self.text)

    def _ends_entry(self, newline: int) -> bool:
        line_start = self.text.rfind("\n", 0, newline) + 1
        before = _without_comment(self.text[line_start:newline]).rstrip()
        if before.endswith(CONTINUED_BY):
            return False
        following = self.skip_blank(newline)
        return following >= len(self.text) or ENTRY_START_RE.match(self.text, following) is not None


def _without_comment(line: str) -> str:
    index = 0
    while index < len(line):
        if line[index] == "'":
            index = skip_string(line, index)
        elif line.startswith("//", index):
            return line[:index]
        else:
            index += 1
    return line


class _Reader:
    def __init__(self, text: _Text, wanted: Callable[[str, str], bool]) -> None:
        self.text = text
        self.wanted = wanted  # whether the body of a resource of that type and version is of interest

    def declaration(self, index: int, parent: tuple[str, str] | None) -> tuple[list[Declaration], int]:
        """The declaration at `index` (`resource x 'T@v' [existing] = ...`) and those nested in its body, and the
        index after it."""
        text = self.text.text
        match = RESOURCE_RE.match(text, index)
        if match is None:
            return [], self.text.value_end(index)
        line, _ = self.text.position(index)
        type_start = match.end()
        type_end = skip_string(text, type_start)
        resolved = _full_type(string_value(text[type_start:type_end]), parent)
        rest = self.text.skip_blank(type_end)
        existing = text.startswith("existing", rest)
        if existing:
            rest = self.text.skip_blank(rest + len("existing"))
        if not text.startswith("=", rest):
            return [], self.text.value_end(rest)
        if (
            index == 0
            and not (resolved and not existing and self.wanted(*resolved))
            and not NESTED_RE.search(text, rest)
        ):
            found = [Declaration(match.group(1), *resolved, existing, line, None)] if resolved else []
            return found, len(text)  # a statement whose body no one asks about
        body_start, end = self._body_of_value(self.text.skip_blank(rest + 1))
        body, nested = (None, [])
        if body_start is not None:
            body, nested = self.object(body_start, resolved)
        found = []
        if resolved is not None:
            found.append(Declaration(match.group(1), resolved[0], resolved[1], existing, line, body))
        return [*found, *nested], end

    def _body_of_value(self, index: int) -> tuple[int | None, int]:
        """Where the body object of a declaration's value starts, and where the value ends."""
        text = self.text.text
        if text.startswith("{", index):
            return index, self.text.closing(index)
        if text.startswith("if", index):
            condition = self.text.skip_blank(index + 2)
            if not text.startswith("(", condition):
                return None, self.text.value_end(index)
            start = self.text.skip_blank(self.text.closing(condition))
            return (start, self.text.closing(start)) if text.startswith("{", start) else (None, start)
        if text.startswith("[", index):
            end = self.text.closing(index)
            return self._last_object(index + 1, end - 1), end
        return None, self.text.value_end(index)

    def _last_object(self, index: int, end: int) -> int | None:
        """The object a loop produces: the last top-level `{...}` before the closing `]`."""
        last = None
        for start, after in self.text.groups(index, end):
            if self.text.text[start] == "{" and self.text.skip_blank(after) >= end:
                last = start
        return last

    def object(self, index: int, owner: tuple[str, str] | None) -> tuple[Body, list[Declaration]]:
        """The object whose `{` is at `index`; `owner` (type, version) is the resource it is the body of, for the
        resources nested in it (None for an inner object)."""
        text = self.text.text
        start, end = index, self.text.closing(index) - 1
        fields: list[Field] = []
        nested: list[Declaration] = []
        closed = True
        index += 1
        while (index := self.text.skip_blank(index, ",")) < end:
            if text.startswith("...", index):
                closed = False
                index = self.text.value_end(index + 3)
            elif text.startswith("@", index):
                index = self._after_decorator(index)
            elif RESOURCE_RE.match(text, index):
                found, index = self.declaration(index, owner)
                nested += found if owner is not None else []
            else:
                key_start = index
                key, value_start = self._key(index)
                if key is None:
                    closed = False
                    index = self.text.value_end(index)
                    continue
                index = self.text.value_end(value_start)
                if owner is None or key not in DECLARATION_KEYS:
                    fields.append(self._field(key, key_start, value_start, index))
        return Body(tuple(fields), closed, *self.text.position(start)), nested

    def _key(self, index: int) -> tuple[str | None, int]:
        """The literal key at `index` and where its value starts; None for a key that is an expression."""
        text = self.text.text
        match = KEY_RE.match(text, index)
        if match is not None:
            return match.group(1), self.text.skip_blank(match.end())
        if text.startswith("'", index):
            after = skip_string(text, index)
            colon = self.text.skip_blank(after)
            if text.startswith(":", colon):
                raw = text[index:after]
                key = string_value(raw) if "${" not in raw else None
                return key, self.text.skip_blank(colon + 1)
        return None, index

    def _field(self, key: str, key_start: int, value_start: int, value_end: int) -> Field:
        line, col = self.text.position(key_start)
        text = self.text.text
        if text.startswith("{", value_start) and self.text.skip_blank(self.text.closing(value_start)) >= value_end:
            inner, _ = self.object(value_start, None)
            return Field(key, line, col, inner)
        value = _without_comment_block(text[value_start:value_end]).strip()
        literal = string_value(value) if value.startswith("'") and "${" not in value else None
        reference = value if IDENTIFIER_RE.fullmatch(value) and value not in KEYWORDS else None
        return Field(key, line, col, None, literal, reference)

    def _after_decorator(self, index: int) -> int:
        match = re.compile(r"@[\w.]+\s*").match(self.text.text, index)
        index = match.end() if match else index + 1
        return self.text.closing(index) if self.text.text.startswith("(", index) else index


def _without_comment_block(text: str) -> str:
    return "\n".join(_without_comment(line) for line in text.split("\n"))


def _full_type(written: str | None, parent: tuple[str, str] | None) -> tuple[str, str] | None:
    """(`Namespace/type/child`, API version) of a type string, a nested one completed from its parent's; None
    when it is not an ARM type with a dated API version."""
    if written is None or "${" in written:
        return None
    match = TYPE_RE.match(written.strip())
    if match is None:
        return None
    type_name, version = match.group("type"), match.group("version")
    if parent is not None and "/" not in type_name:
        type_name = f"{parent[0]}/{type_name}"
        version = version or parent[1]
    if version is None or not API_VERSION_RE.match(version) or type_name.count("/") < 1:
        return None
    return type_name, version


def declarations(
    file: BicepFile, wanted: Callable[[str, str], bool] = lambda _type, _version: True
) -> Iterator[Declaration]:
    """Every resource declared in the file, top-level ones and those nested in their bodies. The body of a
    top-level resource that is `existing`, or whose type and version `wanted` declines, is read only for the
    resources nested in it (`body` None otherwise)."""
    for statement in file.of("resource"):
        found, _ = _Reader(_Text(statement.text, statement.line), wanted).declaration(0, None)
        yield from found

"""A reader of Bicep values: object and array literals down to their strings, numbers and references.

`read(text)` turns one expression into a `Value` tree. Objects and arrays are read member by member (one a
line, or comma-separated on one line), each member with the `//` comment that ends its line; every other
expression (a string, with or without `${}` interpolation, a number, `true`, `null`, a reference such as
`nestedDependencies.outputs.subnetResourceId`, a function call, a ternary, a `[for ...]` loop) is kept with
its source text and a kind saying what it is. Nothing is evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OBJECT = "object"
ARRAY = "array"
STRING = "string"
NUMBER = "number"
BOOL = "bool"
NULL = "null"
REFERENCE = "reference"
CALL = "call"
LOOP = "loop"
EXPRESSION = "expression"

NUMBER_RE = re.compile(r"-?\d+")
REFERENCE_RE = re.compile(r"[A-Za-z_]\w*(?:\??\.[A-Za-z_]\w*|\[[^\[\]]*\]|!)*")
CALL_HEAD_RE = re.compile(r"[A-Za-z_][\w.]*\(")
KEY_RE = re.compile(r"[A-Za-z_$][\w$]*")
ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", "$": "$"}
OPENERS = {"(": ")", "[": "]", "{": "}"}


class BicepSyntaxError(ValueError):
    """The text is not a Bicep value this reader understands."""


@dataclass(frozen=True)
class Member:
    """A property of an object (`key` set) or an item of an array (`key` None)."""

    key: str | None  # the key as written: `name` or `'hidden-title'`
    value: Value
    comment: str = ""  # the `//` comment ending the member's last line, without the slashes


@dataclass(frozen=True)
class Value:
    kind: str
    text: str  # the source text, comments inside objects and arrays included
    members: tuple[Member, ...] = ()

    @property
    def multiline(self) -> bool:
        return "\n" in self.text

    def get(self, key: str) -> Value | None:
        """An object's property by name."""
        return next((m.value for m in self.members if m.key is not None and key_text(m.key) == key), None)


def key_text(key: str) -> str:
    """A key as the name it stands for: `'hidden-title'` -> hidden-title."""
    return string_value(key) if key.startswith("'") else key


def string_value(literal: str) -> str:
    """The text of a single-quoted or `'''` Bicep string without interpolation, escapes resolved."""
    if literal.startswith("'''"):
        return literal[3:-3].removeprefix("\r\n").removeprefix("\n")
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), literal[1:-1], flags=re.S)


def read(text: str) -> Value:
    """The value `text` holds (surrounding whitespace ignored)."""
    reader = _Reader(text)
    reader.skip_blank()
    value = reader.value()
    reader.skip_blank()
    if reader.pos != len(text):
        raise BicepSyntaxError(f"unexpected {text[reader.pos : reader.pos + 20]!r} after a value")
    return value


def unconditioned(text: str) -> str:
    """A deployment body without its `if (condition)`."""
    match = re.match(r"\s*if\s*\(", text)
    if match is None:
        return text
    reader = _Reader(text)
    reader.pos = match.end() - 1
    reader.skip_token()
    return text[reader.pos :].strip()


def loop_body(loop: Value) -> str:
    """The text of the body of a `[for x in y: body]` loop."""
    reader = _Reader(loop.text)
    reader.pos = 1
    while reader.pos < len(loop.text) - 1:
        if loop.text[reader.pos] == ":":
            return loop.text[reader.pos + 1 : -1].strip()
        reader.skip_token()
    raise BicepSyntaxError("a for loop without a body")


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # ---- characters

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r":
            self.pos += 1

    def skip_comment(self) -> str | None:
        """Skip a comment at the cursor and return its text, or None when none starts there."""
        if self.text.startswith("//", self.pos):
            end = self.text.find("\n", self.pos)
            end = len(self.text) if end < 0 else end
            found, self.pos = self.text[self.pos + 2 : end].strip(), end
            return found
        if self.text.startswith("/*", self.pos):
            end = self.text.find("*/", self.pos + 2)
            if end < 0:
                raise BicepSyntaxError("an unterminated /* comment")
            found, self.pos = self.text[self.pos + 2 : end].strip(), end + 2
            return found
        return None

    def skip_blank(self) -> None:
        """Skip whitespace, newlines, commas and comments between members."""
        while self.pos < len(self.text):
            self.skip_spaces()
            if self.pos < len(self.text) and self.text[self.pos] in "\n,":
                self.pos += 1
            elif self.skip_comment() is None:
                return

    def skip_string(self) -> None:
        text = self.text
        if text.startswith("'''", self.pos):
            end = text.find("'''", self.pos + 3)
            if end < 0:
                raise BicepSyntaxError("an unterminated ''' string")
            self.pos = end + 3
            return
        self.pos += 1
        while self.pos < len(text):
            char = text[self.pos]
            if char == "\\":
                self.pos += 2
            elif char == "'":
                self.pos += 1
                return
            elif text.startswith("${", self.pos):
                self.pos += 2
                self.skip_until("}")
                self.pos += 1
            else:
                self.pos += 1
        raise BicepSyntaxError("an unterminated string")

    def skip_until(self, closer: str) -> None:
        """Move to the `closer` that ends the bracket the cursor is inside."""
        while self.pos < len(self.text) and self.text[self.pos] != closer:
            if self.skip_comment() is None:
                self.skip_token()
        if self.pos >= len(self.text):
            raise BicepSyntaxError(f"a missing {closer!r}")

    def skip_token(self) -> None:
        char = self.text[self.pos]
        if char == "'":
            self.skip_string()
        elif char in OPENERS:
            self.pos += 1
            self.skip_until(OPENERS[char])
            self.pos += 1
        else:
            self.pos += 1

    # ---- values

    def expression_end(self) -> int:
        """Where the expression at the cursor ends: a newline, comma, closing bracket or comment at its level."""
        start = self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in ",)]}" or self.text.startswith(("//", "/*"), self.pos):
                break
            if char == "\n":
                if not self.continues_on_next_line():
                    break
                self.pos += 1
                continue
            self.skip_token()
        end = self.pos
        self.pos = start
        return end

    def continues_on_next_line(self) -> bool:
        """A multi-line ternary: the next line starts with `?` or `:`."""
        rest = self.text[self.pos + 1 :].lstrip(" \t\r")
        return rest.startswith(("?", ":")) and not rest.startswith("::")

    def value(self) -> Value:
        start = self.pos
        char = self.text[start : start + 1]
        if not char:
            raise BicepSyntaxError("a missing value")
        if char == "{":
            return self.container(OBJECT, "}")
        if char == "[" and not re.match(r"\[\s*for\b", self.text[start:]):
            return self.container(ARRAY, "]")
        end = self.expression_end()
        text = self.text[start:end].rstrip()
        self.pos = start + len(text)
        if not text:
            raise BicepSyntaxError(f"a missing value at {self.text[start : start + 20]!r}")
        return Value(self.kind_of(text), text)

    def kind_of(self, text: str) -> str:
        if text.startswith("'") and self.whole_token(text):
            return STRING
        if NUMBER_RE.fullmatch(text):
            return NUMBER
        if text in ("true", "false"):
            return BOOL
        if text == "null":
            return NULL
        if text.startswith("[") and self.whole_token(text):
            return LOOP
        if REFERENCE_RE.fullmatch(text):
            return REFERENCE
        head = CALL_HEAD_RE.match(text)
        if head and self.whole_token(text, head.end() - 1):
            return CALL
        return EXPRESSION

    @staticmethod
    def whole_token(text: str, start: int = 0) -> bool:
        """Whether the string or bracket starting at `start` ends at the end of `text`."""
        reader = _Reader(text)
        reader.pos = start
        reader.skip_token()
        return reader.pos == len(text)

    def container(self, kind: str, closer: str) -> Value:
        start = self.pos
        self.pos += 1
        members: list[Member] = []
        while True:
            self.skip_blank()
            if self.pos >= len(self.text):
                raise BicepSyntaxError(f"a missing {closer!r}")
            if self.text[self.pos] == closer:
                self.pos += 1
                return Value(kind, self.text[start : self.pos], tuple(members))
            key = self.key() if kind == OBJECT else None
            value = self.value()
            self.skip_spaces()
            comment = ""
            if self.text.startswith("//", self.pos):
                comment = self.skip_comment() or ""
            members.append(Member(key, value, comment))

    def key(self) -> str:
        start = self.pos
        if self.text.startswith("...", start):
            raise BicepSyntaxError("a spread (...) in an object")
        if self.text[start] == "'":
            self.skip_string()
        else:
            match = KEY_RE.match(self.text, start)
            if match is None:
                raise BicepSyntaxError(f"a property name expected at {self.text[start : start + 20]!r}")
            self.pos = match.end()
        key = self.text[start : self.pos]
        self.skip_spaces()
        if self.text[self.pos : self.pos + 1] != ":":
            raise BicepSyntaxError(f"':' expected after {key!r}")
        self.pos += 1
        self.skip_spaces()
        return key

"""The constant value of an HCL expression, and its JSON text as terraform-docs prints a default.

terraform-docs reads a module through terraform-config-inspect, which evaluates a variable's `default` with no
variables or functions (so only literals, tuples, objects and templates without interpolation have one),
converts it to JSON and back into plain Go values, and prints those with Go's JSON encoder: object keys
sorted, numbers as float64, two-space indentation, HTML characters left alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from generator.check.hcl_reader import Token


class NotConstant(ValueError):
    """The expression needs variables, functions or operators to be evaluated."""


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_TEMPLATE_MARKS = r"\$\$\{|%%\{|[$%]\{"
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|" + _TEMPLATE_MARKS, re.DOTALL)
_HEREDOC_MARK = re.compile(_TEMPLATE_MARKS)  # a heredoc has no backslash escapes: `\` is itself
_HEREDOC_HEAD = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")


def _template(text: str, backslashes: bool) -> str:
    """The literal text of a template; an interpolation or directive makes it non-constant."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if found in ("$${", "%%{"):
            return found[1:]
        if found in ("${", "%{"):
            raise NotConstant("a template with an interpolation")
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code in _ESCAPES:
            return _ESCAPES[code]
        raise NotConstant(f"an unknown escape \\{code}")

    return (_ESCAPE if backslashes else _HEREDOC_MARK).sub(replace, text)


def string_value(token: Token) -> str:
    """The text of a quoted string token."""
    return _template(token.value[1:-1], backslashes=True)


def heredoc_value(token: Token) -> str:
    """The text of a heredoc token: its lines, each ending with a newline; `<<-` removes the smallest indent of
    the lines that are not blank from each of them."""
    head = _HEREDOC_HEAD.match(token.value)
    if head is None:
        raise NotConstant("a malformed heredoc")
    lines = token.value[head.end() :].split("\n")[:-1]  # the last line is the closing marker
    if head.group(1):  # HCL leaves blank lines as they are and counts no indent of theirs
        indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] if line.strip() else line for line in lines]
    return _template("".join(f"{line}\n" for line in lines), backslashes=False)


class _Reader:
    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = [t for t in tokens if t.kind != "newline"]
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise NotConstant("an incomplete expression")
        self.i += 1
        return token

    def skip_commas(self) -> None:
        while (token := self.peek()) is not None and token.kind == "punct" and token.value == ",":
            self.i += 1

    def value(self) -> Any:
        token = self.take()
        if token.kind == "string":
            return string_value(token)
        if token.kind == "heredoc":
            return heredoc_value(token)
        if token.kind == "number":
            return _number(token.value)
        if token.kind == "ident":
            if token.value in ("true", "false"):
                return token.value == "true"
            if token.value == "null":
                return None
            raise NotConstant(f"a reference to {token.value}")
        if token.value == "-" and (following := self.peek()) is not None and following.kind == "number":
            self.i += 1
            return -_number(following.value)
        if token.value == "(":
            inner = self.value()
            self.expect(")")
            return inner
        if token.value == "[":
            return self.tuple()
        if token.value == "{":
            return self.object()
        raise NotConstant(f"an operator {token.value}")

    def expect(self, value: str) -> None:
        token = self.take()
        if token.value != value:
            raise NotConstant(f"{token.value} where {value} belongs")

    def tuple(self) -> list[Any]:
        items: list[Any] = []
        while True:
            self.skip_commas()
            token = self.peek()
            if token is not None and token.value == "]":
                self.i += 1
                return items
            items.append(self.value())

    def object(self) -> dict[str, Any]:
        items: dict[str, Any] = {}
        while True:
            self.skip_commas()
            token = self.take()
            if token.value == "}":
                return items
            if token.kind == "ident":
                key: Any = token.value
            else:
                self.i -= 1
                key = self.value()
            if isinstance(key, bool) or key is None or isinstance(key, (list, dict)):
                raise NotConstant("an object key that is not a string")
            separator = self.take()
            if separator.value not in ("=", ":"):
                raise NotConstant(f"{separator.value} after an object key")
            items[_json_number(key) if isinstance(key, float) else str(key)] = self.value()


def _number(text: str) -> float:
    return float(text)


def constant(tokens: Sequence[Token]) -> Any:
    """The value of the expression made of `tokens`, as plain JSON-like Python values (numbers are floats)."""
    reader = _Reader(tokens)
    result = reader.value()
    if reader.peek() is not None:
        raise NotConstant(f"an operator {reader.take().value}")
    return result


def constant_string(tokens: Sequence[Token]) -> str:
    value = constant(tokens)
    if not isinstance(value, str):
        raise NotConstant("not a string")
    return value


# ---- Go's encoding/json


def _json_number(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        raise NotConstant("a number JSON cannot hold")
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-6 <= magnitude < 1e21:
        text = format(Decimal(repr(value)), "f")
        return text[:-2] if text.endswith(".0") else text
    text = repr(value)  # shortest form, with an exponent: 1e+21, 1e-07
    mantissa, _, exponent = text.partition("e")
    sign = exponent[0] if exponent[0] in "+-" else "+"
    digits = exponent.lstrip("+-").lstrip("0") or "0"
    return f"{mantissa.removesuffix('.0')}e{sign}{digits}"


_JSON_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_JSON_SPECIAL = re.compile('["\\\\\x00-\x1f\u2028\u2029]')


def json_string(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group(0)
        return _JSON_SHORT.get(char) or f"\\u{ord(char):04x}"

    return '"' + _JSON_SPECIAL.sub(replace, text) + '"'


def go_json(value: Any, indent: str = "  ", prefix: str = "") -> str:
    """`value` as Go's json.Encoder writes it with SetIndent("", indent) and SetEscapeHTML(false)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _json_number(float(value))
    if isinstance(value, str):
        return json_string(value)
    inner = prefix + indent
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [inner + go_json(item, indent, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + prefix + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        entries = [f"{inner}{json_string(k)}: {go_json(value[k], indent, inner)}" for k in sorted(value)]
        return "{\n" + ",\n".join(entries) + "\n" + prefix + "}"
    raise TypeError(f"no JSON form for {type(value).__name__}")


def constant_entries(tokens: Sequence[Token]) -> dict[str, Any]:
    """The entries of an object expression whose values are constants; the others are left out
    (a `required_providers` entry's `configuration_aliases` lists references)."""
    reader = _Reader(tokens)
    if (first := reader.peek()) is None or first.value != "{":
        return {}
    reader.i += 1
    entries: dict[str, Any] = {}
    while (token := reader.peek()) is not None and token.value != "}":
        reader.skip_commas()
        key = reader.take()
        separator = reader.take()
        if key.kind not in ("ident", "string") or separator.value not in ("=", ":"):
            return entries
        start = reader.i
        try:
            value = reader.value()
        except NotConstant:
            reader.i = _skip_value(reader.tokens, start)
            continue
        entries[key.value if key.kind == "ident" else string_value(key)] = value
        reader.skip_commas()
    return entries


def _skip_value(tokens: Sequence[Token], i: int) -> int:
    """The index after the value starting at `tokens[i]` inside an object: up to a `,` or `}` outside brackets,
    or the start of the next `key =` entry on a line of its own."""
    depth = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "punct" and token.value in "([{":
            depth += 1
        elif token.kind == "punct" and token.value in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (
            (token.kind == "punct" and token.value == ",")
            or (
                token.kind in ("ident", "string")
                and i + 1 < len(tokens)
                and tokens[i + 1].value in ("=", ":")
                and token.line != tokens[i - 1].line
            )
        ):
            return i
        i += 1
    return i

"""Bicep expressions as the compiled ARM template writes them, for the defaults and allowed values of a README.

`arm_value` turns a Bicep value into what `main.json` holds: literals stay Python values (str, int, bool,
None, list, dict) and any other expression becomes an ARM expression string (`[resourceGroup().location]`,
`[format('{0}-pip', parameters('name'))]`). It covers the expression forms BRM modules use in defaults:
references, calls, member and index access, string interpolation, unary and binary operators, `??` and the
conditional operator. Anything else is a `BicepSyntaxError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from generator.check.bicep_reader import skip_interpolation, skip_string

T = TypeVar("T")


class BicepSyntaxError(ValueError):
    """An expression the reader cannot read."""


TOKEN_RE = re.compile(
    r"""(?P<space>[ \t\r\n]+|//[^\n]*|/\*.*?\*/|\#[^\n]*)
    |(?P<multiline>'''.*?''')
    |(?P<string>')
    |(?P<number>\d+)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<op>\?\?|\.\?|\[\?|==|!=|<=|>=|&&|\|\||=>|\.\.\.|[-+*/%!<>?:.,()\[\]{}=@|])""",
    re.S | re.X,
)
BINARY = {  # operator: (precedence, ARM function)
    "??": (1, "coalesce"),
    "||": (2, "or"),
    "&&": (3, "and"),
    "==": (4, "equals"),
    "!=": (4, "notEquals"),
    "<": (5, "less"),
    "<=": (5, "lessOrEquals"),
    ">": (5, "greater"),
    ">=": (5, "greaterOrEquals"),
    "+": (6, "add"),
    "-": (6, "sub"),
    "*": (7, "mul"),
    "/": (7, "div"),
    "%": (7, "mod"),
}
ESCAPE_RE = re.compile(r"\\(.)", re.S)
ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", "$": "$"}
NAMESPACES = ("az", "sys")


@dataclass(frozen=True)
class Node:
    kind: str  # literal | string | ref | call | member | index | unary | binary | ternary | array | object
    value: Any = None  # literal value; ref/call/member name; operator
    parts: tuple[Any, ...] = ()  # children; for `string`, the text pieces and expression nodes in turn


@dataclass
class Token:
    kind: str
    text: str


def tokens(source: str) -> list[Token]:
    found: list[Token] = []
    index = 0
    while index < len(source):
        if source[index] == "'" and not source.startswith("'''", index):
            end = string_end(source, index)
            found.append(Token("string", source[index:end]))
            index = end
            continue
        match = TOKEN_RE.match(source, index)
        if match is None:
            raise BicepSyntaxError(f"unexpected {source[index]!r}")
        kind = match.lastgroup or ""
        if kind == "space" and "\n" in match.group():
            found.append(Token("newline", "\n"))
        elif kind != "space":
            found.append(Token(kind, match.group()))
        index = match.end()
    return found


def string_end(source: str, index: int) -> int:
    """The index after the single-quoted string at `index`, interpolations included."""
    end = skip_string(source, index)
    if end - 1 <= index or source[end - 1] != "'":
        raise BicepSyntaxError("unterminated string")
    return end


class Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokens(source)
        self.index = 0

    def peek(self, skip_newlines: bool = False) -> Token | None:
        index = self.index
        while skip_newlines and index < len(self.tokens) and self.tokens[index].kind == "newline":
            index += 1
        return self.tokens[index] if index < len(self.tokens) else None

    def skip_newlines(self) -> None:
        while (token := self.peek()) is not None and token.kind == "newline":
            self.index += 1

    def take(self, text: str | None = None) -> Token:
        token = self.peek()
        if token is None or (text is not None and token.text != text):
            raise BicepSyntaxError(f"expected {text or 'more'}, found {token.text if token else 'the end'}")
        self.index += 1
        return token

    def at(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.text == text and token.kind in ("op", "name")

    def whole(self) -> Node:
        self.skip_newlines()
        node = self.expression()
        self.skip_newlines()
        if self.peek() is not None:
            raise BicepSyntaxError(f"unexpected {self.peek().text!r}")  # type: ignore[union-attr]
        return node

    def expression(self) -> Node:
        condition = self.binary(1)
        if (token := self.peek(skip_newlines=True)) is not None and token.kind == "op" and token.text == "?":
            self.skip_newlines()
            self.take("?")
            self.skip_newlines()
            yes = self.expression()
            self.skip_newlines()
            self.take(":")
            self.skip_newlines()
            return Node("ternary", None, (condition, yes, self.expression()))
        return condition

    def binary(self, level: int) -> Node:
        left = self.unary()
        while (token := self.peek()) is not None and token.kind == "op" and token.text in BINARY:
            precedence = BINARY[token.text][0]
            if precedence < level:
                break
            self.take()
            self.skip_newlines()
            right = self.binary(precedence + 1)
            left = Node("binary", token.text, (left, right))
        return left

    def unary(self) -> Node:
        if self.at("!") or self.at("-"):
            operator = self.take().text
            operand = self.unary()
            if operator == "-" and operand.kind == "literal" and isinstance(operand.value, int):
                return Node("literal", -operand.value)
            return Node("unary", operator, (operand,))
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while (token := self.peek()) is not None and token.kind == "op":
            if token.text in (".", ".?"):
                self.take()
                name = self.take().text
                if self.at("("):
                    node = Node("call", name, (node, *self.arguments()))  # a method: `x.getSecret('y')`
                else:
                    node = Node("member", name, (node, token.text == ".?"))
            elif token.text in ("[", "[?"):
                self.take()
                self.skip_newlines()
                key = self.expression()
                self.skip_newlines()
                self.take("]")
                node = Node("index", token.text == "[?", (node, key))
            elif token.text == "!":
                self.take()  # the non-null assertion compiles to nothing
            else:
                break
        return node

    def listed(self, close: str, item: Callable[[], T]) -> list[T]:
        """Items up to `close` (taken too), separated by commas or new lines."""
        found: list[T] = []
        self.skip_newlines()
        while not self.at(close):
            found.append(item())
            self.skip_newlines()
            if self.at(","):
                self.take(",")
                self.skip_newlines()
        self.take(close)
        return found

    def enclosed(self, item: Callable[[], T], close: str) -> T:
        """One item, then `close` (new lines allowed around it)."""
        self.skip_newlines()
        found = item()
        self.skip_newlines()
        self.take(close)
        return found

    def arguments(self) -> list[Node]:
        self.take("(")
        return self.listed(")", self.expression)

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return Node("literal", int(token.text))
        if token.kind == "multiline":
            return Node("literal", multiline_value(token.text))
        if token.kind == "string":
            return string_node(token.text)
        if token.kind == "name":
            if token.text in ("true", "false"):
                return Node("literal", token.text == "true")
            if token.text == "null":
                return Node("literal", None)
            if token.text in NAMESPACES and self.at("."):
                self.take(".")
                token = self.take()
            if self.at("("):
                return Node("call", token.text, (None, *self.arguments()))
            return Node("ref", token.text)
        if token.text == "(":
            return self.enclosed(self.expression, ")")
        if token.text == "[":
            return Node("array", None, tuple(self.listed("]", self.expression)))
        if token.text == "{":
            return Node("object", None, tuple(self.listed("}", self.entry)))
        raise BicepSyntaxError(f"unexpected {token.text!r}")

    def entry(self) -> tuple[str, Node]:
        """`key: value` of an object."""
        key = self.take()
        name = string_value(key.text) if key.kind == "string" else key.text
        self.take(":")
        self.skip_newlines()
        return name, self.expression()


def multiline_value(text: str) -> str:
    """A `'''` string as the compiled template holds it: without a first line break; and when its text starts
    on the line of the opening quotes, without the indent its later lines share (BRM's compiled templates show
    such an indented description flush left, and a string that starts on a new line as written)."""
    body = text[3:-3]
    if body.startswith(("\n", "\r\n")):
        return body.removeprefix("\r").removeprefix("\n")
    lines = body.split("\n")
    common = min((len(line) - len(line.lstrip(" \t")) for line in lines[1:] if line.strip()), default=0)
    return "\n".join([lines[0], *(line[common:] for line in lines[1:])])


def string_value(text: str) -> str:
    node = string_node(text)
    if node.kind != "literal":
        raise BicepSyntaxError("an interpolated string where a name is expected")
    return node.value


def string_node(text: str) -> Node:
    """A single-quoted string: literal text pieces and `${...}` expressions in turn."""
    body = text[1:-1]
    if "${" not in body:
        return Node("literal", ESCAPE_RE.sub(lambda m: ESCAPES.get(m.group(1), m.group(0)), body))
    parts: list[Any] = []
    buffer: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            buffer.append(ESCAPES.get(body[index + 1], body[index : index + 2]))
            index += 2
            continue
        if body.startswith("${", index):
            inner_end = interpolation_end(body, index + 2)
            parts.append("".join(buffer))
            buffer = []
            parts.append(Parser(body[index + 2 : inner_end]).whole())
            index = inner_end + 1
            continue
        buffer.append(char)
        index += 1
    parts.append("".join(buffer))
    pieces = tuple(p for p in parts if p != "")
    if all(isinstance(p, str) for p in pieces):
        return Node("literal", "".join(pieces))
    return Node("string", None, pieces)


def interpolation_end(body: str, index: int) -> int:
    """The index of the `}` closing the interpolation whose expression starts at `index`."""
    end = skip_interpolation(body, index)
    if body[end - 1 : end] != "}":
        raise BicepSyntaxError("unterminated interpolation")
    return end - 1


@cache
def parse_expression(source: str) -> Node:
    return Parser(source).whole()


# ---- to ARM


def arm_value(source: str, kind_of: Callable[[str], str]) -> Any:
    """The compiled form of a Bicep value; `kind_of(name)` says whether a name is a `parameters` or `variables`
    reference (or anything else, written as is)."""
    return compiled(parse_expression(source), kind_of)


def compiled(node: Node, kind_of: Callable[[str], str]) -> Any:
    if node.kind == "literal":
        return node.value
    if node.kind == "array":
        return [compiled(item, kind_of) for item in node.parts]
    if node.kind == "object":
        return {key: compiled(value, kind_of) for key, value in node.parts}
    return f"[{arm(node, kind_of)}]"


def arm(node: Node, kind_of: Callable[[str], str]) -> str:
    """The ARM expression text of `node` (without the enclosing brackets)."""
    kind = node.kind
    if kind == "literal":
        return arm_literal(node.value)
    if kind == "string":
        template = "".join(p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else "{}" for p in node.parts)
        numbered = number_placeholders(template)
        args = [arm(p, kind_of) for p in node.parts if not isinstance(p, str)]
        return f"format({arm_literal(numbered)}, {', '.join(args)})"
    if kind == "ref":
        scope = kind_of(node.value)
        return f"{scope}('{node.value}')" if scope else node.value
    if kind == "call":
        target, *args = node.parts
        text = ", ".join(arm(a, kind_of) for a in args)
        if target is not None:
            return f"{arm(target, kind_of)}.{node.value}({text})"
        return f"{node.value}({text})"
    if kind == "member":
        target, safe = node.parts
        if safe:
            return f"tryGet({arm(target, kind_of)}, '{node.value}')"
        return f"{arm(target, kind_of)}.{node.value}"
    if kind == "index":
        target, key = node.parts
        if node.value:
            return f"tryGet({arm(target, kind_of)}, {arm(key, kind_of)})"
        return f"{arm(target, kind_of)}[{arm(key, kind_of)}]"
    if kind == "unary":
        (operand,) = node.parts
        return f"not({arm(operand, kind_of)})" if node.value == "!" else f"sub(0, {arm(operand, kind_of)})"
    if kind == "binary":
        left, right = (arm(p, kind_of) for p in node.parts)
        if node.value == "!=":
            return f"not(equals({left}, {right}))"
        return f"{BINARY[node.value][1]}({left}, {right})"
    if kind == "ternary":
        return f"if({', '.join(arm(p, kind_of) for p in node.parts)})"
    if kind == "array":
        return f"createArray({', '.join(arm(p, kind_of) for p in node.parts)})"
    if kind == "object":
        pairs = ", ".join(f"{arm_literal(k)}, {arm(v, kind_of)}" for k, v in node.parts)
        return f"createObject({pairs})"
    raise BicepSyntaxError(f"cannot compile a {kind}")


def number_placeholders(template: str) -> str:
    counter = iter(range(1_000))
    return re.sub(r"(?<!\{)\{\}(?!\})", lambda _: f"{{{next(counter)}}}", template)


def arm_literal(value: Any) -> str:
    if value is True:
        return "true()"
    if value is False:
        return "false()"
    if value is None:
        return "null()"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def reference_kinds(params: Mapping[str, object], variables: Mapping[str, object]) -> Callable[[str], str]:
    def kind_of(name: str) -> str:
        if name in params:
            return "parameters"
        if name in variables:
            return "variables"
        return ""

    return kind_of

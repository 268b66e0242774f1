"""python-hcl2's values of a Terraform file, read from our own tokens: the same values, many times faster.

`read_values` covers the HCL that modules are written in: attributes and blocks, literals, strings with
interpolations, heredocs as values, tuples, objects, function calls, traversals, splats, operators, conditionals
and `for` expressions, laid out on lines as python-hcl2 accepts them. Anything outside that (a `/* */` comment, a
template directive, a heredoc inside an expression, a line break python-hcl2 might read otherwise, a carriage
return, ...) makes it return None, and the caller asks python-hcl2. Inside it, the values are
python-hcl2's (8.x, serialized as `hcl_reader` asks: string quotes stripped, heredocs as strings, no comments)
character for character, including how expressions are written back as `${...}` text; a test compares both
readers over generated modules and real Terraform repositories.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from generator.check.hcl_reader import Token, _scan, _Scanner

IS_BLOCK = "__is_block__"
KEYWORDS = frozenset(("if", "in", "for", "for_each", "else", "endif", "endfor"))
LITERALS = {"true": True, "false": False, "null": None}
BINARY_LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))
LEVEL_OF = {operator: level for level, operators in enumerate(BINARY_LEVELS) for operator in operators}
UNSUPPORTED_TEXT = re.compile("[\r\ufeff\ue000-\ue003]|/\\*")  # python-hcl2 reads these in ways not mirrored here
HEREDOC = re.compile(r"<<(-?)([a-zA-Z][a-zA-Z0-9._-]*)\n(?:[\s\S]*?\n)??\s*\2\n")
SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
UNICODE_ESCAPE_WIDTHS = {"u": 4, "U": 8}
HEX = frozenset("0123456789abcdefABCDEF")


class Unsupported(Exception):
    """The text is outside what this reader mirrors; python-hcl2 reads it instead."""


def read_values(source: str) -> dict[str, Any] | None:
    """The values python-hcl2 gives for `source`, or None when it is outside the subset read here."""
    if UNSUPPORTED_TEXT.search(source):
        return None
    try:
        return _Reader(source, _scan(source)[0]).body(closing=False)
    except (Unsupported, RecursionError):  # very deep nesting is left to python-hcl2 as well
        return None


# Expression nodes, serialized in one of python-hcl2's two contexts: as a value (an attribute's, or an element
# of an object or tuple that is a value itself) or as text inside a `${...}` expression.


class Node:
    def value(self) -> Any:
        return "${" + self.text() + "}"

    def text(self) -> str:
        raise NotImplementedError


class Number(Node):
    def __init__(self, source: str) -> None:
        self.source = source
        self.is_float = "." in source or "e" in source.lower()

    def value(self) -> Any:
        if "e" in self.source.lower():
            return "${" + self.source + "}"  # scientific notation is kept as written
        return float(self.source) if self.is_float else int(self.source)

    def text(self) -> str:
        if "e" in self.source.lower():
            return self.source
        return str(float(self.source) if self.is_float else int(self.source))


class String(Node):
    def __init__(self, parts: list[str | Node]) -> None:
        self.parts = parts  # literal source text (with the `$${`/`%%{` escapes bridged) or interpolated expressions

    def value(self) -> Any:
        return "".join(_unescaped(p) if isinstance(p, str) else "${" + p.text() + "}" for p in self.parts)

    def text(self) -> str:
        return '"' + "".join(_unbridged(p) if isinstance(p, str) else "${" + p.text() + "}" for p in self.parts) + '"'


class Heredoc(Node):
    def __init__(self, content: str) -> None:
        self.content = content

    def value(self) -> Any:
        return self.content

    def text(self) -> str:
        raise Unsupported("a heredoc inside an expression")


class Tuple(Node):
    def __init__(self, elements: list[Node]) -> None:
        self.elements = elements

    def value(self) -> Any:
        return [e.value() for e in self.elements]

    def text(self) -> str:
        return "[" + ", ".join(e.text() for e in self.elements) + "]"


class Object(Node):
    def __init__(self, elements: list[tuple[Node, Node]]) -> None:
        self.elements = elements

    def value(self) -> Any:
        return {_key_value(k): v.value() for k, v in self.elements}

    def text(self) -> str:
        return "{" + ", ".join(f"{k.text()} = {v.text()}" for k, v in self.elements) + "}"


class Parenthesized(Node):
    def __init__(self, inner: Node) -> None:
        self.inner = inner

    def value(self) -> Any:
        inner = self.inner.value()
        if _is_dollar(inner):
            return "${(" + inner[2:-1] + ")}"
        return "${(" + f"{inner}" + ")}"  # python-hcl2 formats a bare value here: `(true)` becomes `${(True)}`

    def text(self) -> str:
        return f"({self.inner.text()})"


class Text(Node):
    """An expression whose text is known when it is read: operations, calls, traversals, `for` expressions."""

    def __init__(self, text: str) -> None:
        self.source = text

    def text(self) -> str:
        return self.source


class Name(Text):
    def value(self) -> Any:
        return self.source


class Literal(Text):
    """`true`, `false` or `null`."""

    def value(self) -> Any:
        return LITERALS[self.source]


class Negative(Node):
    def __init__(self, operand: Node) -> None:
        self.operand = operand

    def value(self) -> Any:
        if isinstance(self.operand, Number) and "e" not in self.operand.source.lower():
            return -self.operand.value()  # a negative number, not an expression
        return super().value()

    def text(self) -> str:
        return "-" + self.operand.text()


def _is_dollar(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("${") and value.endswith("}")


def _key_value(key: Node) -> str:
    if isinstance(key, Parenthesized):
        return "${" + key.text() + "}"
    value = key.value() if not isinstance(key, Literal) else key.source
    return str(value) if isinstance(value, (int, float)) else value


def _unbridged(text: str) -> str:
    return text.replace("\ue000\ue001{", "${").replace("\ue002\ue003{", "%{")


def _unescaped(text: str) -> str:
    """A literal part of a quoted string with HCL's escapes resolved in one pass; unknown ones stay as written."""
    if "\\" not in text:
        return _unbridged(text)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        marker = text[i + 1]
        if marker in SIMPLE_ESCAPES:
            out.append(SIMPLE_ESCAPES[marker])
            i += 2
            continue
        if marker in UNICODE_ESCAPE_WIDTHS:
            digits = text[i + 2 : i + 2 + UNICODE_ESCAPE_WIDTHS[marker]]
            if len(digits) == UNICODE_ESCAPE_WIDTHS[marker] and all(d in HEX for d in digits):
                point = int(digits, 16)
                if point <= 0x10FFFF and not 0xD800 <= point < 0xE000:
                    out.append(chr(point))
                    i += 2 + len(digits)
                    continue
        out.append(c + marker)
        i += 2
    return _unbridged("".join(out))


def _heredoc_content(source: str, token: Token) -> str:
    """A heredoc's value as python-hcl2 gives it, after checking python-hcl2 sees the same heredoc."""
    # python-hcl2 reads the text with a newline added; only a text without a final one can need it here
    match = HEREDOC.match(source if source.endswith("\n") else source + "\n", token.start)
    if match is None or match.end() != token.end + 1:
        raise Unsupported("a heredoc python-hcl2 delimits otherwise")
    body = source[source.index("\n", token.start) + 1 : match.end() - len(match.group(2)) - 1]
    body = re.sub(r"\n\Z", "", re.sub(r"[ \t]*\Z", "", body))
    body = body.replace("$${", "${").replace("%%{", "%{")  # python-hcl2 reads these escapes in heredocs too
    if not match.group(1):
        return body
    lines = body.split("\n")
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:].replace("\\", "\\\\").replace('"', '\\"') for line in lines)


class _Reader:
    """A recursive-descent reader over the tokens of `_scan`, following python-hcl2's grammar."""

    def __init__(self, source: str, tokens: tuple[Token, ...]) -> None:
        self.source = source
        end = Token("end", "", 0, 0, len(source), len(source))
        self.tokens = (*tokens, end, end, end)  # looking a few tokens ahead needs no bounds checks
        self.i = 0

    # token helpers

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[self.i + ahead]

    def at(self, value: str, ahead: int = 0) -> bool:
        token = self.tokens[self.i + ahead]
        return token.value == value and token.kind == "punct"

    def at_word(self, word: str) -> bool:
        token = self.tokens[self.i]
        return token.value == word and token.kind == "ident"

    def take(self) -> Token:
        token = self.tokens[self.i]
        if token.kind == "end":
            raise Unsupported("the text ends early")
        self.i += 1
        return token

    def expect(self, value: str) -> Token:
        if not self.at(value):
            raise Unsupported(f"expected {value}")
        return self.take()

    def operator(self) -> tuple[Token, int]:
        """The next token, which may be an operator, and how many tokens it takes: like python-hcl2, a single line
        break (with a comment or not) before an operator other than `-` continues the expression."""
        if self.tokens[self.i].kind != "newline":
            return self.tokens[self.i], 1
        token = self.tokens[self.i + 1]
        return (token, 2) if token.value != "-" else (self.tokens[self.i], 1)

    def skip_newlines(self) -> bool:
        start = self.i
        while self.tokens[self.i].kind == "newline":
            self.i += 1
        return self.i > start

    # structure

    def body(self, closing: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        attributes: set[str] = set()
        while True:
            self.skip_newlines()
            token = self.peek()
            if token.kind == "end" or self.at("}"):
                if (token.kind == "end") == closing:
                    raise Unsupported("unbalanced braces")
                if closing:
                    self.take()
                return result
            if token.kind != "ident":
                raise Unsupported("a statement that is not an attribute or a block")
            self.take()
            if self.at("="):
                self.take()
                result[token.value] = self.expression().value()
                attributes.add(token.value)
            else:
                if token.value in attributes:
                    raise Unsupported("a block named like an attribute before it")  # python-hcl2 refuses it
                result.setdefault(token.value, []).append(self.block())
            if self.peek().kind not in ("end", "newline") and not self.at("}"):
                raise Unsupported("two statements on one line")

    def block(self) -> dict[str, Any]:
        labels: list[str] = []
        while (token := self.peek()).kind in ("ident", "string"):
            self.take()
            labels.append(token.value if token.kind == "ident" else self.string(token).value())
        self.expect("{")
        content = self.body(closing=True)
        content[IS_BLOCK] = True
        for label in reversed(labels):
            content = {label: content}
        return content

    # expressions

    def expression(self) -> Node:
        condition = self.binary(0)
        token, width = self.operator()
        if token.value != "?" or token.kind != "punct":
            return condition
        self.i += width
        self.skip_newlines()
        if_true = self.expression()
        self.skip_newlines()
        self.expect(":")
        self.skip_newlines()
        if_false = self.expression()
        return Text(f"{condition.text()} ? {if_true.text()} : {if_false.text()}")

    def binary(self, minimum: int) -> Node:
        """Operators of precedence `minimum` and above, left to right (precedence climbing)."""
        left = self.unary()
        while True:
            token, width = self.operator()
            level = LEVEL_OF.get(token.value, -1) if token.kind == "punct" else -1
            if level < minimum:
                return left
            self.i += width
            if token.value == "-" and self.peek().start == token.end:
                raise Unsupported("a minus python-hcl2 may read as a negative number")
            self.skip_newlines()
            right = self.binary(level + 1)
            left = Text(f"{left.text()} {token.value} {right.text()}")

    def unary(self) -> Node:
        token = self.tokens[self.i]
        if token.kind != "punct" or token.value not in ("!", "-"):
            return self.term()
        operator = self.take().value
        if self.at("!") or self.at("-"):
            raise Unsupported("a repeated unary operator")  # python-hcl2 refuses it
        return Text("!" + self.term().text()) if operator == "!" else Negative(self.term())

    def term(self) -> Node:
        token = self.take()
        node: Node
        if token.kind == "number":
            node = Number(token.value)
        elif token.kind == "string":
            node = self.string(token)
        elif token.kind == "heredoc":
            return Heredoc(_heredoc_content(self.source, token))
        elif token.kind == "ident":
            following = self.tokens[self.i]
            if token.value in LITERALS:
                node = Literal(token.value)
            elif token.value in KEYWORDS:
                raise Unsupported("a keyword as a name")
            elif following.kind != "punct" or following.value not in ("(", "::"):
                node = Name(token.value)
            elif following.value == "(":
                node = self.call(token.value)
            else:
                node = self.call(self.provider_function(token.value))
        elif token.kind == "punct" and token.value == "(":
            self.skip_newlines()
            inner = self.expression()
            self.skip_newlines()
            self.expect(")")
            node = Parenthesized(inner)
        elif token.kind == "punct" and token.value == "[":
            node = self.tuple()
        elif token.kind == "punct" and token.value == "{":
            node = self.object()
        else:
            raise Unsupported(f"unexpected {token.value!r}")
        return self.postfix(node)

    def postfix(self, node: Node) -> Node:
        segments: list[str] = []
        while True:
            token = self.tokens[self.i]
            if token.kind != "punct" or token.value not in (".", "["):
                return Text(node.text() + "".join(segments)) if segments else node
            if token.value == ".":
                dot, following = self.take(), self.peek()
                if following.kind == "ident" and following.value not in KEYWORDS:
                    segments.append("." + self.take().value)
                elif following.kind == "number" and following.value.isdigit():
                    segments.append("." + str(int(self.take().value)))
                elif following.kind == "punct" and following.value == "*" and following.start == dot.end:
                    self.take()
                    segments.append(".*")
                else:
                    raise Unsupported("an index python-hcl2 reads in its own way")
            elif self.at("*", 1) and self.at("]", 2) and self._adjacent(3):
                self.i += 3
                segments.append("[*]")
            else:
                self.take()
                self.skip_newlines()
                index = self.expression()
                self.skip_newlines()
                self.expect("]")
                segments.append(f"[{index.text()}]")

    def provider_function(self, first: str) -> str:
        """The name of `provider::NAME::FUNCTION(...)` up to its parenthesis."""
        names = [first]
        for _ in range(2):
            self.expect("::")
            token = self.take()
            if token.kind != "ident" or token.value in KEYWORDS or token.value in LITERALS:
                raise Unsupported("a provider function name that is not a name")
            names.append(token.value)
        return "::".join(names)

    def _adjacent(self, count: int) -> bool:
        run = self.tokens[self.i : self.i + count]
        return all(a.end == b.start for a, b in pairwise(run))

    def call(self, name: str) -> Node:
        self.expect("(")
        self.skip_newlines()
        arguments: list[str] = []
        ellipsis = ""
        while not self.at(")"):
            arguments.append(self.expression().text())
            if self.at("..."):
                self.take()
                self.skip_newlines()
                ellipsis = " ..."
                break
            broken = self.skip_newlines()
            if not self.at(","):
                break
            self.take()
            self.skip_newlines()
            if broken and self.at(")"):
                raise Unsupported("a trailing comma on its own line")  # python-hcl2 refuses it
        self.expect(")")
        return Text(f"{name}({', '.join(arguments)}{ellipsis})")

    def tuple(self) -> Node:
        self.skip_newlines()
        if self.at_word("for"):
            intro = self.for_intro()
            value = self.expression().text()
            condition = self.for_condition()
            self.expect("]")
            return Text(f"[{intro}{value}{condition}]")
        elements: list[Node] = []
        while not self.at("]"):
            elements.append(self.expression())
            self.skip_newlines()
            if not self.at(","):
                break
            self.take()
            self.skip_newlines()
        self.expect("]")
        return Tuple(elements)

    def object(self) -> Node:
        self.skip_newlines()
        if self.at_word("for") and not (self.at("=", 1) or self.at(":", 1)):
            intro = self.for_intro()
            key = self.expression().text()
            self.expect("=>")
            self.skip_newlines()
            value = self.expression().text()
            self.skip_newlines()
            grouped = ""
            if self.at("..."):
                self.take()
                self.skip_newlines()
                grouped = "..."
            condition = self.for_condition()
            self.expect("}")
            return Text(f"{{{intro}{key} => {value}{grouped}{condition}}}")
        elements: list[tuple[Node, Node]] = []
        while not self.at("}"):
            key = self.object_key()
            if not (self.at("=") or self.at(":")):
                raise Unsupported("an object key python-hcl2 reads as an expression")
            self.take()
            elements.append((key, self.expression()))
            separated = self.skip_newlines()
            if self.at(","):
                self.take()
                self.skip_newlines()
            elif not separated and not self.at("}"):
                raise Unsupported("two object elements on one line without a comma")
        self.expect("}")
        return Object(elements)

    def object_key(self) -> Node:
        token = self.peek()
        if token.kind == "ident" and (self.at("=", 1) or self.at(":", 1)):
            self.take()
            return Literal(token.value) if token.value in LITERALS else Name(token.value)
        if token.kind in ("string", "number") and (self.at("=", 1) or self.at(":", 1)):
            self.take()
            return self.string(token) if token.kind == "string" else Number(token.value)
        if token.kind == "punct" and token.value == "(":
            node = self.term()
            if not isinstance(node, Parenthesized):
                raise Unsupported("an object key python-hcl2 reads as an expression")
            return node
        raise Unsupported("an object key python-hcl2 reads as an expression")

    def for_intro(self) -> str:
        self.take()  # for
        self.skip_newlines()
        names = [self.iterator()]
        if self.at(","):
            self.take()
            names.append(self.iterator())
        self.skip_newlines()
        if not self.at_word("in"):
            raise Unsupported("a for expression without in")
        self.take()
        self.skip_newlines()
        collection = self.expression().text()
        self.skip_newlines()
        self.expect(":")
        self.skip_newlines()
        return f"for {', '.join(names)} in {collection} : "

    def iterator(self) -> str:
        token = self.take()
        if token.kind != "ident" or token.value in KEYWORDS or token.value in LITERALS:
            raise Unsupported("a for expression iterator that is not a name")
        return token.value

    def for_condition(self) -> str:
        self.skip_newlines()
        if not self.at_word("if"):
            return ""
        self.take()
        self.skip_newlines()
        condition = self.expression().text()
        self.skip_newlines()
        return f" if {condition}"

    def string(self, token: Token) -> String:
        """The parts of a quoted string: literal text and `${...}` interpolations, each read as an expression."""
        text = token.value.replace("$${", "\ue000\ue001{").replace("%%{", "\ue002\ue003{")
        end = len(text) - 1
        if end < 1 or text[end] != '"':
            raise Unsupported("an unterminated string")
        parts: list[str | Node] = []
        i = literal = 1
        while i < end:
            c = text[i]
            if c == "\\":
                i += 2
            elif c == '"':
                raise Unsupported("a string that ends early")
            elif c == "%" and text.startswith("%{", i):
                raise Unsupported("a template directive")
            elif c == "$" and text.startswith("${", i):
                close = _Scanner(text)._template_end(i + 2)
                if close > end:
                    raise Unsupported("an unterminated interpolation")
                if i > literal:
                    parts.append(text[literal:i])
                parts.append(_interpolation(text[i + 2 : close - 1]))
                i = literal = close
            else:
                i += 1
        if i != end:
            raise Unsupported("a string whose closing quote is escaped")
        if end > literal:
            parts.append(text[literal:end])
        return String(parts)


def _interpolation(inner: str) -> Node:
    scanner = _Scanner(inner)  # not `_scan`: its cache is for whole files
    tokens, comments = scanner.run(), scanner.comments
    if comments or any(t.kind in ("newline", "heredoc") for t in tokens):
        raise Unsupported("an interpolation over lines or with comments")
    reader = _Reader(inner, tuple(tokens))
    node = reader.expression()
    if reader.peek().kind != "end":
        raise Unsupported("an interpolation python-hcl2 reads otherwise")
    return node

"""A small evaluator of the HCL `validation` conditions the Terraform generator writes, to check values against
them without Terraform: literals, lists, `var.` references and attribute access, `! && || == != < <= > >=`,
`? :`, `[for v in X : E]` (nested too), and the functions `alltrue`, `can`, `contains`, `length`, `regex`, `try`
and `values`.

As in Terraform, `&&` and `||` evaluate both sides, reading an attribute of null is an error, `regex` fails when
nothing matches, `can`/`try` turn errors into `false`/the fallback, a `for` over a map (and `values`) takes its
values in the order of their keys, and iterating over null is an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)'
    r"|(?P<op>&&|\|\||==|!=|<=|>=|[<>!?:\[\](),.-]))"
)
PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}


class EvalError(Exception):
    """What Terraform would report as an error while evaluating the condition."""


def tokens(text: str) -> list[tuple[str, str]]:
    found, index = [], 0
    while index < len(text):
        match = TOKEN.match(text, index)
        if match is None or match.end() == index:
            if text[index:].strip():
                raise ValueError(f"cannot read {text[index:]!r}")
            break
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        index = match.end()
    return found


class Parser:
    """Parses into nested tuples: ("lit", v), ("ref", name), ("attr", e, name), ("call", f, args), ("list", items),
    ("for", var, e, body), ("not", e), ("bin", op, a, b), ("cond", c, a, b)."""

    def __init__(self, text: str) -> None:
        self.items = tokens(text)
        self.at = 0

    def peek(self) -> str | None:
        return self.items[self.at][1] if self.at < len(self.items) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        kind, value = self.items[self.at]
        if expected is not None and value != expected:
            raise ValueError(f"expected {expected!r}, found {value!r}")
        self.at += 1
        return kind, value

    def parse(self) -> Any:
        node = self.expression()
        if self.at != len(self.items):
            raise ValueError(f"unread {self.items[self.at :]}")
        return node

    def expression(self) -> Any:
        condition = self.binary(1)
        if self.peek() == "?":
            self.take("?")
            then = self.expression()
            self.take(":")
            return ("cond", condition, then, self.expression())
        return condition

    def binary(self, level: int) -> Any:
        left = self.unary()
        while (op := self.peek()) in PRECEDENCE and PRECEDENCE[op] >= level:
            self.take()
            left = ("bin", op, left, self.binary(PRECEDENCE[op] + 1))
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return ("not", self.unary())
        if self.peek() == "-":
            self.take()
            return ("neg", self.unary())
        node = self.primary()
        while self.peek() == ".":
            self.take()
            node = ("attr", node, self.take()[1])
        return node

    def primary(self) -> Any:
        kind, value = self.take()
        if kind == "string":
            return ("lit", json.loads(value.replace("$${", "${").replace("%%{", "%{")))
        if kind == "number":
            return ("lit", float(value) if "." in value else int(value))
        if value == "(":
            node = self.expression()
            self.take(")")
            return node
        if value == "[":
            if self.peek() == "for":
                self.take()
                name = self.take()[1]
                self.take("in")
                source = self.expression()
                self.take(":")
                body = self.expression()
                self.take("]")
                return ("for", name, source, body)
            items = []
            while self.peek() != "]":
                items.append(self.expression())
                if self.peek() == ",":
                    self.take()
            self.take("]")
            return ("list", items)
        if kind == "name":
            if value in ("true", "false", "null"):
                return ("lit", {"true": True, "false": False, "null": None}[value])
            if self.peek() == "(":
                self.take()
                args = []
                while self.peek() != ")":
                    args.append(self.expression())
                    if self.peek() == ",":
                        self.take()
                self.take(")")
                return ("call", value, args)
            return ("ref", value)
        raise ValueError(f"unexpected {value!r}")


def evaluate(condition: str, variables: Mapping[str, Any]) -> Any:
    """The value of `condition` with `var.<name>` read from `variables`."""
    return _eval(Parser(condition).parse(), {"var": dict(variables)})


def _eval(node: Any, scope: dict[str, Any]) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ref":
        if node[1] not in scope:
            raise EvalError(f"unknown {node[1]}")
        return scope[node[1]]
    if kind == "attr":
        value = _eval(node[1], scope)
        if not isinstance(value, Mapping) or node[2] not in value:
            raise EvalError(f"no attribute {node[2]} in {value!r}")
        return value[node[2]]
    if kind == "list":
        return [_eval(item, scope) for item in node[1]]
    if kind == "for":
        source = _eval(node[2], scope)
        if source is None:
            raise EvalError("iteration over null")
        items = _map_values(source) if isinstance(source, Mapping) else source
        return [_eval(node[3], {**scope, node[1]: item}) for item in items]
    if kind == "not":
        return not _bool(_eval(node[1], scope))
    if kind == "neg":
        return -_eval(node[1], scope)
    if kind == "cond":
        return _eval(node[2], scope) if _bool(_eval(node[1], scope)) else _eval(node[3], scope)
    if kind == "bin":
        return _binary(node[1], _eval(node[2], scope), _eval(node[3], scope))
    if kind == "call":
        return _call(node[1], node[2], scope)
    raise ValueError(node)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise EvalError(f"{value!r} is not a bool")
    return value


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("&&", "||"):
        return _bool(left) and _bool(right) if op == "&&" else _bool(left) or _bool(right)
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
        raise EvalError(f"{left!r} {op} {right!r}: not numbers")
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _call(name: str, args: list[Any], scope: dict[str, Any]) -> Any:
    if name == "can":
        try:
            _eval(args[0], scope)
        except EvalError:
            return False
        return True
    if name == "try":
        for arg in args:
            try:
                return _eval(arg, scope)
            except EvalError:
                continue
        raise EvalError("no argument of try() succeeded")
    values = [_eval(arg, scope) for arg in args]
    if any(v is None for v in values):
        raise EvalError(f"null argument to {name}()")
    if name == "contains":
        return values[1] in values[0]
    if name == "length":
        if not isinstance(values[0], (str, list, dict)):
            raise EvalError(f"length of {values[0]!r}")
        return len(values[0])
    if name == "alltrue":
        return all(_bool(v) for v in values[0])
    if name == "values":
        if not isinstance(values[0], Mapping):
            raise EvalError(f"values of {values[0]!r}: not a map")
        return _map_values(values[0])
    if name == "regex":
        if not isinstance(values[1], str):
            raise EvalError("regex of a non-string")
        match = re.search(values[0], values[1])
        if match is None:
            raise EvalError("no match")
        return match.group(0)
    raise ValueError(f"unknown function {name}")


def _map_values(value: Mapping[str, Any]) -> list[Any]:
    """A map's values in the lexical order of their keys, as Terraform lists them."""
    return [value[key] for key in sorted(value)]

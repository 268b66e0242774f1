"""The blocks and attributes of an HCL file, with each attribute's expression as tokens and source text.

terraform-docs prints some things from the source (a variable's type) and evaluates others (defaults,
descriptions), so both are kept. Built on the tokenizer of `generator.check.hcl_reader`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.check.hcl_reader import Token, _scan

_OPEN = "{[("
_CLOSE = "}])"


@dataclass(frozen=True)
class Expression:
    tokens: tuple[Token, ...]
    source: str  # the expression as written, first token to last


@dataclass
class Body:
    attributes: dict[str, Expression] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Block:
    kind: str
    labels: tuple[str, ...]
    line: int  # 1-based line of the block header
    body: Body


class StructureError(ValueError):
    """The tokens do not make HCL blocks and attributes."""


def _is(token: Token, value: str) -> bool:
    return token.kind == "punct" and token.value == value


def _matching(tokens: tuple[Token, ...], i: int) -> int:
    """The index of the bracket closing the one at `tokens[i]`."""
    depth = 0
    for j in range(i, len(tokens)):
        token = tokens[j]
        if token.kind != "punct":
            continue
        if token.value in _OPEN:
            depth += 1
        elif token.value in _CLOSE:
            depth -= 1
            if depth == 0:
                return j
    raise StructureError(f"line {tokens[i].line}: {tokens[i].value} is never closed")


def _expression_end(tokens: tuple[Token, ...], i: int, end: int) -> int:
    """The index after the expression starting at `tokens[i]`: the end of its line outside brackets."""
    while i < end:
        token = tokens[i]
        if token.kind == "newline":
            return i
        if token.kind == "punct" and token.value in _OPEN:
            i = _matching(tokens, i)
        elif token.kind == "punct" and token.value in _CLOSE:
            raise StructureError(f"line {token.line}: unexpected {token.value}")
        i += 1
    return end


def _body(tokens: tuple[Token, ...], source: str, i: int, end: int) -> Body:
    body = Body()
    while i < end:
        token = tokens[i]
        if token.kind == "newline":
            i += 1
            continue
        if token.kind != "ident":
            raise StructureError(f"line {token.line}: unexpected {token.value!r}")
        following = tokens[i + 1] if i + 1 < end else None
        if following is not None and _is(following, "="):
            stop = _expression_end(tokens, i + 2, end)
            if stop == i + 2:
                raise StructureError(f"line {token.line}: {token.value} has no value")
            expression = tokens[i + 2 : stop]
            text = source[expression[0].start : expression[-1].end]
            body.attributes[token.value] = Expression(expression, text)
            i = stop
            continue
        labels: list[str] = []
        j = i + 1
        while j < end and tokens[j].kind in ("string", "ident"):
            labels.append(tokens[j].value[1:-1] if tokens[j].kind == "string" else tokens[j].value)
            j += 1
        if j >= end or not _is(tokens[j], "{"):
            raise StructureError(f"line {token.line}: {token.value} is neither an attribute nor a block")
        close = _matching(tokens, j)
        body.blocks.append(
            Block(
                token.value,
                tuple(labels),
                token.line,
                _body(
                    tokens,
                    source,
                    j + 1,
                    close,
                ),
            )
        )
        i = close + 1
    return body


def structure(source: str) -> Body:
    """The top-level body of an HCL file."""
    tokens = _scan(source)[0]
    return _body(tokens, source, 0, len(tokens))

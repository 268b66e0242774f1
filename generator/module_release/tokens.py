"""The token cursor the type-expression parsers of both languages walk with."""

from __future__ import annotations


class TypeSyntaxError(ValueError):
    """A type expression that does not read as one."""


class TokenStream:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self, offset: int = 0) -> str | None:
        at = self.index + offset
        return self.tokens[at] if at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise TypeSyntaxError(f"expected {expected or 'more'}, found {token or 'the end'}")
        self.index += 1
        return token

    def end(self) -> None:
        if self.peek() is not None:
            raise TypeSyntaxError(f"unexpected {self.peek()!r}")

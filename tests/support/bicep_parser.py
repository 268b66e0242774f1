"""Parse Bicep with tree-sitter-bicep, bridging the grammar's known gaps (see ERRATA: release 1.1.0).

The gaps are rewritten to equivalent constructs of the same length, so that line and column numbers
of any remaining error still point at the source. Nothing else is forgiven: any ERROR or MISSING
node left after the rewrites is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# `resourceInput<'Microsoft.X/y@2024-01-01'>.tags` (and resourceOutput): a resource-derived type.
RESOURCE_DERIVED_TYPE = re.compile(r"resource(?:Input|Output)<'[^']*'>(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# A nullable type at the end of a line: `param lock lockType?`, `  name: string?`, `output x string? = ...`.
NULLABLE_AT_EOL = re.compile(r"^(\s*(?:param\s+\w+\s+|output\s+\w+\s+|\w+:\s+)[\w.\[\]]+)\?(\s*(?://.*)?)$", re.M)
NULLABLE_OUTPUT = re.compile(r"^(output\s+\w+\s+[\w.\[\]]+)\?(\s*=)", re.M)
# The non-null assertion `x!` (not `!=`, not the prefix `!x`).
NON_NULL = re.compile(r"(?<=[\w)\]])!(?!=)")


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    column: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.kind} {self.text!r}"


def _same_length(replacement: str, original: str) -> str:
    return replacement.ljust(len(original))


def bridge_known_gaps(source: str) -> str:
    source = RESOURCE_DERIVED_TYPE.sub(lambda m: _same_length("object", m.group(0)), source)
    source = NULLABLE_AT_EOL.sub(lambda m: f"{m.group(1)} {m.group(2)}", source)
    source = NULLABLE_OUTPUT.sub(lambda m: f"{m.group(1)} {m.group(2)}", source)
    return NON_NULL.sub(" ", source)


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_bicep

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bicep.language()))


def syntax_problems(source: str) -> list[SyntaxProblem]:
    data = bridge_known_gaps(source).encode()
    tree = _parser().parse(data)
    problems: list[SyntaxProblem] = []

    def walk(node) -> None:
        if node.type == "ERROR" or node.is_missing:
            row, column = node.start_point
            kind = "missing" if node.is_missing else "error"
            problems.append(
                SyntaxProblem(row + 1, column + 1, kind, data[node.start_byte : node.end_byte][:60].decode())
            )
            return
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    return problems


def parse_file(path: Path) -> list[SyntaxProblem]:
    return syntax_problems(path.read_text(encoding="utf-8"))

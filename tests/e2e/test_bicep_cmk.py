"""Generated modules with a customer-managed key write their own type's properties (issue 12, item 4).

The resource declaration of a generated `main.bicep` is read back as body paths, which must all be in the type's
schema, the key's paths the catalog names among them; the file parses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.azure_types.lookup import resource_schema
from generator.catalog import Catalog
from tests.support.bicep_parser import parse_file
from tests.support.cli import run_avm

KEY = re.compile(r"^(?P<pad> *)(?P<key>[A-Za-z_][A-Za-z0-9_]*): ")
CASES = [("Microsoft.Storage", "storageAccounts"), ("Microsoft.DocumentDB", "databaseAccounts")]


def written_paths(source: str, symbol: str) -> set[str]:
    """The body paths the declaration of `symbol` writes: each `key:` line under the keys above it (by indent)."""
    lines = source.split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(rf"^resource {symbol} '[^']+' = {{$", line))
    paths: set[str] = set()
    stack: list[tuple[int, str]] = []
    for line in lines[start + 1 :]:
        if line == "}":
            break
        match = KEY.match(line) or re.match(r"^(?P<pad> *)(?P<key>[A-Za-z_][A-Za-z0-9_]*):$", line)
        if match is None:
            continue
        indent = len(match["pad"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match["key"]))
        paths.add(".".join(key for _, key in stack))
    return paths


@pytest.mark.parametrize(("namespace", "resource_type"), CASES, ids=[t for _, t in CASES])
def test_the_key_is_written_where_the_schema_takes_it(
    namespace: str, resource_type: str, tmp_path: Path, avm_cache: Path
) -> None:
    out = tmp_path / "module"
    result = run_avm(
        "new", "resource", "--lang", "bicep", "--provider", namespace, "--type", resource_type,
        "--interfaces", "customer-managed-key,managed-identities", "--index", "none", "--defaults", "-o", str(out),
        cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    facts = Catalog.load().facts(namespace, resource_type)
    schema = resource_schema(namespace, resource_type, facts.api_version).schema
    source = (out / "main.bicep").read_text()
    symbol = re.search(rf"^resource (\w+) '{namespace}/{resource_type}@", source, re.M)[1]
    written = written_paths(source, symbol)
    assert not {p for p in written if schema.at(p) is None}, "written paths the schema does not have"
    assert facts.customer_managed_key is not None
    assert set(facts.customer_managed_key.paths) <= written
    assert "cMKUserAssignedIdentity" in source
    assert parse_file(out / "main.bicep") == []

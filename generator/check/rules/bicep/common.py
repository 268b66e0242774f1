"""What the Bicep rules share: the language, the scope folders, main.bicep, version.json, the e2e tests."""

from __future__ import annotations

import re

from generator.check.bicep_reader import BicepFile, Statement
from generator.check.core import Module

B = "bicep"
SCOPES = ("rg-scope", "sub-scope", "mg-scope")  # the child folders of a multi-scope module


def main(module: Module) -> BicepFile | None:
    return module.bicep("main.bicep")


def has_version(module: Module) -> bool:
    return module.exists("version.json")


def test_files(module: Module) -> list[str]:
    return module.files("tests/e2e/*/main.test.bicep")


def line_in(statement: Statement, pattern: str) -> int:
    match = re.search(pattern, statement.text, re.M)
    return statement.line + (statement.text.count("\n", 0, match.start()) if match else 0)
